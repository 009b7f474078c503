import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../aws/clients.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3AttachmentSource, type S3AttachmentSourceOptions } from '../../delivery/sources/s3-attachments.js';
import { IonDestError } from '../../errors/index.js';
import {
  CUSTOMER_ACCOUNT_ID,
  EMULATOR_REGION,
  VENDOR_ACCOUNT_ID,
  accountAdminClients,
  createAccountIdentity,
  createCustomerDestination,
  type AccountIdentity,
} from '../../emulator/accounts.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { POLICY_VERSION, bucketObjectsArn } from '../../policy/index.js';
import { ATTACHMENTS_BUCKET, createAttachmentsBucket } from './snapshot-sources-world.js';

const CUSTOMER_BUCKET = 'acme-ion-snapshots';
const PREFIX = 'tenants/acme/';

/** Under the prefix: a folder marker, nested folders, odd names, an empty and a multi-MiB binary object. */
const OBJECTS: Record<string, Buffer> = {
  [PREFIX]: Buffer.alloc(0),
  [`${PREFIX}nested/`]: Buffer.alloc(0),
  [`${PREFIX}report.pdf`]: randomBytes(300 * 1024),
  [`${PREFIX}nested/deep/é file "1".txt`]: Buffer.from('hello\n'),
  [`${PREFIX}empty.bin`]: Buffer.alloc(0),
  [`${PREFIX}big.bin`]: randomBytes(6 * 1024 * 1024 + 17),
  'tenants/acme-other/not-ours.txt': Buffer.from('other tenant'),
  'tenants/globex/x.txt': Buffer.from('other tenant'),
  'unsafe/a//b.txt': Buffer.from('empty segment'),
  'conflict/x': Buffer.from('a file'),
  'conflict/x/y': Buffer.from('under a file'),
};

let emulator: Emulator;
let reader: AccountIdentity;
/** Another First Resonance identity that may write the attachments bucket, to change an object midway. */
let uploader: S3Client;

function source(overrides: Partial<S3AttachmentSourceOptions> = {}) {
  return createS3AttachmentSource({
    url: `s3://${ATTACHMENTS_BUCKET}/${PREFIX}`,
    region: EMULATOR_REGION,
    endpointUrl: emulator.url,
    credentials: reader.credentials,
    ...overrides,
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  emulator = await startEmulator();
  ({ reader } = await createAttachmentsBucket(emulator, OBJECTS));
  await createCustomerDestination(emulator, {
    bucket: CUSTOMER_BUCKET,
    roleName: 'ion-snapshot-delivery',
    trustedAccountId: VENDOR_ACCOUNT_ID,
    externalIds: 'ion-acme-7f3a9c',
  });
  const { s3 } = accountAdminClients(emulator, CUSTOMER_ACCOUNT_ID);
  await s3.send(new PutObjectCommand({ Bucket: CUSTOMER_BUCKET, Key: `${PREFIX}customer-private.txt`, Body: 'private' }));
  s3.destroy();
  const writer = await createAccountIdentity(emulator, {
    accountId: VENDOR_ACCOUNT_ID,
    userName: 'attachments-writer',
    policy: { Version: POLICY_VERSION, Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: bucketObjectsArn('aws', ATTACHMENTS_BUCKET) }] },
  });
  uploader = createS3Client({ region: EMULATOR_REGION, endpointUrl: emulator.url, credentials: writer.credentials, expectedBucketOwner: VENDOR_ACCOUNT_ID });
  await emulator.enableAuth();
});

afterAll(async () => {
  uploader?.destroy();
  await emulator?.stop();
});

describe('S3 attachments source', () => {
  it('lists every object under the prefix by relative path with its size, skipping folder markers', async () => {
    const list = await source().list();
    const expected = Object.entries(OBJECTS)
      .filter(([key, body]) => key.startsWith(PREFIX) && !(key.endsWith('/') && body.length === 0))
      .map(([key, body]) => ({ path: key.slice(PREFIX.length), size: body.length }));
    expect([...list].sort((a, b) => a.path.localeCompare(b.path))).toEqual(expected.sort((a, b) => a.path.localeCompare(b.path)));
  });

  it('treats a prefix without a trailing slash as the same folder (not its siblings)', async () => {
    const list = await source({ url: `s3://${ATTACHMENTS_BUCKET}/tenants/acme` }).list();
    expect(list.map((a) => a.path).sort()).toEqual(['big.bin', 'empty.bin', 'nested/deep/é file "1".txt', 'report.pdf']);
  });

  it('streams each object byte for byte', async () => {
    const s = source();
    const list = await s.list();
    for (const attachment of list) {
      const bytes = await readAll(await s.openAttachment(attachment));
      expect(bytes.equals(OBJECTS[`${PREFIX}${attachment.path}`]!), attachment.path).toBe(true);
      expect(bytes.length).toBe(attachment.size);
    }
  });

  it("refuses the customer's bucket: the expected owner defaults to the credentials' own account", async () => {
    const error = await source({ url: `s3://${CUSTOMER_BUCKET}/${PREFIX}` }).list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('ATTACHMENTS_BUCKET_UNREADABLE');
    expect((error as IonDestError).message).toContain(`expected bucket owner ${VENDOR_ACCOUNT_ID}`);
  });

  it('refuses its own bucket when told to expect another owner', async () => {
    const error = await source({ expectedBucketOwner: CUSTOMER_ACCOUNT_ID }).list().catch((e: unknown) => e);
    expect((error as IonDestError).code).toBe('ATTACHMENTS_BUCKET_UNREADABLE');
    const list = await source({ expectedBucketOwner: VENDOR_ACCOUNT_ID }).list();
    expect(list.length).toBe(4);
  });

  it('fails an object that changed after it was listed instead of packing a wrong size', async () => {
    const s = source({ url: `s3://${ATTACHMENTS_BUCKET}/tenants/globex/` });
    const [attachment] = await s.list();
    await uploader.send(new PutObjectCommand({ Bucket: ATTACHMENTS_BUCKET, Key: 'tenants/globex/x.txt', Body: 'rewritten, longer' }));
    const error = await s.openAttachment(attachment!).catch((e: unknown) => e);
    expect((error as IonDestError).code).toBe('ATTACHMENT_CHANGED');
    expect((error as IonDestError).message).toContain('tenants/globex/x.txt');
  });

  it.each([
    ['unsafe/', /empty, "\." or "\.\." segment/],
    ['conflict/', /is an object and also a folder/],
  ])('rejects keys under %s that cannot be extracted safely', async (prefix, message) => {
    const error = await source({ url: `s3://${ATTACHMENTS_BUCKET}/${prefix}` }).list().catch((e: unknown) => e);
    expect((error as IonDestError).code).toBe('SNAPSHOT_SOURCE_INVALID');
    expect((error as IonDestError).message).toMatch(message);
  });

  it.each([
    ['s3://Bad_Bucket/x/', /bucket name/],
    ['https://bucket/x/', /s3:\/\/bucket\/prefix\//],
    ['s3://fr-ion-attachments/a/../b/', /segment/],
  ])('rejects %s before any AWS call', (url, rule) => {
    let error: unknown;
    try {
      createS3AttachmentSource({ url, region: EMULATOR_REGION, endpointUrl: 'http://127.0.0.1:1' });
    } catch (e) {
      error = e;
    }
    expect((error as IonDestError).code).toBe('INVALID_INPUT');
    expect((error as IonDestError).message).toMatch(rule);
  });
});
