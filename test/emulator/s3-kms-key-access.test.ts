import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import { KMS_ACTIONS, permissionPolicy } from '../../policy/index.js';
import { createKmsKey } from '../verifier/fixtures.js';
import {
  CUSTOMER_ACCOUNT_ID,
  EMULATOR_REGION,
  VENDOR_ACCOUNT_ID,
  assumeRoleAs,
  createCustomerDestination,
  createVendorIdentity,
  type AccountIdentity,
} from '../../emulator/accounts.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';

/**
 * The fidelity patch fidelity/s3_kms_key_access.py: writing (reading) an SSE-KMS
 * object needs kms:GenerateDataKey (kms:Decrypt) on the key. The same requests
 * against plain moto succeed, showing the patch is what makes the difference.
 */
const EXTERNAL_ID = 'ion-acme-7f3a9c';
const KEY = 'acme/kms-probe.txt';

interface World {
  emulator: Emulator;
  vendor: AccountIdentity;
  /** Role name per case: no KMS statement, GenerateDataKey only, full contract with the key. */
  roles: Record<'noKms' | 'encryptOnly' | 'full', string>;
}

async function buildWorld(fidelity: boolean): Promise<World> {
  const emulator = await startEmulator({ fidelity });
  const key = await createKmsKey(emulator, CUSTOMER_ACCOUNT_ID);
  const encryptOnly = permissionPolicy({ bucket: 'kms-encrypt-only', kmsKeyArn: key });
  encryptOnly.Statement[1]!.Action = KMS_ACTIONS.filter((a) => a !== 'kms:Decrypt');
  const cases = [
    ['kms-no-statement', permissionPolicy({ bucket: 'kms-no-statement' })],
    ['kms-encrypt-only', encryptOnly],
    ['kms-full', permissionPolicy({ bucket: 'kms-full', kmsKeyArn: key })],
  ] as const;
  const roles: string[] = [];
  for (const [name, policy] of cases) {
    const d = await createCustomerDestination(emulator, {
      bucket: name,
      roleName: name,
      trustedAccountId: VENDOR_ACCOUNT_ID,
      externalIds: EXTERNAL_ID,
      encryption: { kmsKeyArn: key },
      permissionPolicy: policy,
    });
    roles.push(d.roleArn);
  }
  const vendor = await createVendorIdentity(emulator);
  await emulator.enableAuth();
  return { emulator, vendor, roles: { noKms: roles[0]!, encryptOnly: roles[1]!, full: roles[2]! } };
}

async function putThenGet(world: World, roleArn: string): Promise<{ put: string; get: string }> {
  const session = await assumeRoleAs(world.emulator, world.vendor.credentials, { roleArn, externalId: EXTERNAL_ID });
  const s3 = createS3Client({ region: EMULATOR_REGION, endpointUrl: world.emulator.url, credentials: session, expectedBucketOwner: CUSTOMER_ACCOUNT_ID, maxAttempts: 1 });
  const bucket = roleArn.split('/').at(-1)!;
  const outcome = async (send: () => Promise<unknown>) => {
    try {
      await send();
      return 'ok';
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  };
  const put = await outcome(() => s3.send(new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: 'x' })));
  const get = await outcome(async () => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: KEY }))).Body?.transformToString());
  s3.destroy();
  return { put, get };
}

describe('fidelity: S3 asks KMS whether the caller may use the bucket key', () => {
  let patched: World;
  let plain: World;
  beforeAll(async () => {
    [patched, plain] = await Promise.all([buildWorld(true), buildWorld(false)]);
  });
  afterAll(async () => {
    await Promise.all([patched?.emulator.stop(), plain?.emulator.stop()]);
  });

  it('without a KMS statement, PutObject is denied naming kms:GenerateDataKey (plain moto allows it)', async () => {
    const result = await putThenGet(patched, patched.roles.noKms);
    expect(result.put).toMatch(/^AccessDenied: .*kms:GenerateDataKey on resource: arn:aws:kms:/);
    expect(await putThenGet(plain, plain.roles.noKms)).toEqual({ put: 'ok', get: 'ok' });
  });

  it('with kms:GenerateDataKey only, the write works and the read is denied naming kms:Decrypt', async () => {
    const result = await putThenGet(patched, patched.roles.encryptOnly);
    expect(result.put).toBe('ok');
    expect(result.get).toMatch(/^AccessDenied: .*kms:Decrypt/);
  });

  it('with the contract KMS statement, write and read work', async () => {
    expect(await putThenGet(patched, patched.roles.full)).toEqual({ put: 'ok', get: 'ok' });
  });
});
