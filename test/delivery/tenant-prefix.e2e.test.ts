import { ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import { deliverSnapshot, directoryAttachmentSource, directoryTableSource } from '../../delivery/index.js';
import {
  CUSTOMER_ACCOUNT_ID,
  VENDOR_ACCOUNT_ID,
  assumeRoleAs,
  createCustomerDestination,
  createVendorIdentity,
  type AccountIdentity,
  type CustomerDestination,
} from '../../emulator/accounts.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { IonDestError } from '../../errors/index.js';
import { permissionPolicy } from '../../policy/index.js';
import { auditDestination, verifyDestination } from '../../verifier/index.js';
import { parseFleet, verifyFleet } from '../../verifier/fleet.js';
import { createCustomerAdmin } from '../verifier/fixtures.js';
import { EXTERNAL_ID, TENANT, listKeys } from './helpers.js';
import { writeSnapshotFixture, type SnapshotFixture } from './snapshot-fixture.js';

const BUCKET = 'acme-ion-prefixed';
const OTHER_TENANT = 'globex';

/**
 * A role narrowed to the tenant's prefix (`permissionPolicy({ tenantPrefix })`), with IAM
 * enforcement on: the delivery under the prefix succeeds, a delivery to another tenant's
 * prefix is refused with WRITE_DENIED, and listing is held to keys under the prefix.
 */
describe('a delivery role narrowed to the tenant prefix, IAM enforced', () => {
  let emulator: Emulator;
  let destination: CustomerDestination;
  /** The setup guide's whole-bucket role, for the prefix-only check to catch. */
  let wholeBucket: CustomerDestination;
  let vendor: AccountIdentity;
  let admin: AccountIdentity;
  let session: S3Client;
  let work: string;
  let fixture: SnapshotFixture;

  const deliver = (tenant: string, jobId: string) =>
    deliverSnapshot({
      roleArn: destination.roleArn,
      externalId: EXTERNAL_ID,
      bucket: BUCKET,
      region: 'us-east-1',
      tenant,
      jobId,
      tables: directoryTableSource(fixture.tablesDir),
      attachments: directoryAttachmentSource(fixture.attachmentsDir),
      snapshotTime: new Date('2026-03-01T02:00:00Z'),
      endpointUrl: emulator.url,
      sourceCredentials: vendor.credentials,
    });

  beforeAll(async () => {
    emulator = await startEmulator();
    destination = await createCustomerDestination(emulator, {
      bucket: BUCKET,
      roleName: 'IonSnapshotDelivery',
      trustedAccountId: VENDOR_ACCOUNT_ID,
      externalIds: EXTERNAL_ID,
      permissionPolicy: permissionPolicy({ bucket: BUCKET, tenantPrefix: TENANT }),
    });
    wholeBucket = await createCustomerDestination(emulator, {
      bucket: 'acme-ion-whole',
      roleName: 'IonSnapshotDeliveryWhole',
      trustedAccountId: VENDOR_ACCOUNT_ID,
      externalIds: EXTERNAL_ID,
    });
    vendor = await createVendorIdentity(emulator);
    admin = await createCustomerAdmin(emulator, CUSTOMER_ACCOUNT_ID);
    await emulator.enableAuth();
    const credentials = await assumeRoleAs(emulator, vendor.credentials, { roleArn: destination.roleArn, externalId: EXTERNAL_ID });
    session = createS3Client({
      region: 'us-east-1',
      endpointUrl: emulator.url,
      credentials,
      expectedBucketOwner: CUSTOMER_ACCOUNT_ID,
      maxAttempts: 1,
    });
    work = mkdtempSync(join(tmpdir(), 'ion-dest-tenant-prefix-'));
    fixture = writeSnapshotFixture(join(work, 'snapshot'));
  });

  afterAll(async () => {
    session?.destroy();
    await emulator?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('delivers under the tenant prefix', async () => {
    await deliver(TENANT, 'job-1');
    expect(await listKeys(session, BUCKET, `${TENANT}/job-1/`)).toEqual([
      `${TENANT}/job-1/snapshot_attachments_job-1.tar`,
      `${TENANT}/job-1/snapshot_tables_job-1.tar`,
    ]);
  });

  // With s3:prefix evaluated as AWS does, the delivery's first call outside the prefix is its
  // listing of <tenant>/<job>/, so the refusal surfaces as LIST_DENIED; the write itself is refused too.
  it("refuses a delivery to another tenant's prefix (LIST_DENIED, before any write), and a write there (AccessDenied)", async () => {
    const error = await deliver(OTHER_TENANT, 'job-1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('LIST_DENIED');
    await expect(
      session.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${OTHER_TENANT}/probe.txt`, Body: 'x' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('lists keys under the prefix, and is refused a listing of another prefix or of the whole bucket', async () => {
    const mine = await session.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${TENANT}/` }));
    expect(mine.KeyCount).toBeGreaterThan(0);
    await expect(session.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${OTHER_TENANT}/` }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(session.send(new ListObjectsV2Command({ Bucket: BUCKET }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('can still find in-progress uploads (ListBucketMultipartUploads has no s3:prefix key, so it stays on the bucket)', async () => {
    const uploads = await session.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: `${TENANT}/` }));
    expect(uploads.$metadata.httpStatusCode).toBe(200);
  });

  const permissionsCheck = async (tenantPrefix?: string) => {
    const report = await auditDestination({
      roleName: 'IonSnapshotDelivery',
      bucket: BUCKET,
      trustedAccountId: VENDOR_ACCOUNT_ID,
      externalIds: EXTERNAL_ID,
      region: 'us-east-1',
      endpointUrl: emulator.url,
      credentials: admin.credentials,
      maxAttempts: 1,
      ...(tenantPrefix !== undefined ? { tenantPrefix } : {}),
    });
    return report.checks.find((c) => c.id === 'role-permissions')!;
  };

  it('audit --tenant-prefix passes the narrowed role as exact', async () => {
    const check = await permissionsCheck(TENANT);
    expect(check).toMatchObject({ status: 'pass' });
    expect(check.message).toContain(`under the tenant prefix ${TENANT}/`);
  });

  it('audit without --tenant-prefix warns that the role is narrowed to the prefix, naming it', async () => {
    const check = await permissionsCheck();
    expect(check).toMatchObject({ status: 'warn', code: 'PERMISSION_NARROWED_TO_PREFIX' });
    expect(check.message).toContain(`--tenant-prefix ${TENANT}`);
  });

  it('audit with another tenant prefix fails', async () => {
    expect(await permissionsCheck(OTHER_TENANT)).toMatchObject({ status: 'fail' });
  });

  it('verify passes on the narrowed role with --tenant as the prefix: HeadBucket is refused, listing under the prefix proves the bucket', async () => {
    const report = await verifyDestination({
      roleArn: destination.roleArn,
      externalId: EXTERNAL_ID,
      bucket: BUCKET,
      region: 'us-east-1',
      tenant: TENANT,
      endpointUrl: emulator.url,
      credentials: vendor.credentials,
      maxAttempts: 1,
    });
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.id === 'bucket-exists')?.message).toContain(`${TENANT}/`);
  });

  const verifyNarrowed = (target: CustomerDestination) =>
    verifyDestination({
      roleArn: target.roleArn,
      externalId: EXTERNAL_ID,
      bucket: target.bucket,
      region: 'us-east-1',
      tenant: TENANT,
      endpointUrl: emulator.url,
      credentials: vendor.credentials,
      maxAttempts: 1,
      tenantPrefix: true,
    });

  it('verify --tenant-prefix adds prefix-only, which passes when a write outside the prefix is refused', async () => {
    const report = await verifyNarrowed(destination);
    expect(report.ok).toBe(true);
    expect(report.checks.at(-1)).toMatchObject({ id: 'prefix-only', status: 'pass' });
  });

  it('verify --tenant-prefix fails prefix-only on the whole-bucket role, and leaves no object behind', async () => {
    const report = await verifyNarrowed(wholeBucket);
    expect(report.ok).toBe(false);
    const check = report.checks.find((c) => c.id === 'prefix-only');
    expect(check).toMatchObject({ status: 'fail', code: 'ROLE_WIDER_THAN_CONTRACT' });
    expect(check?.message).toContain(`outside ${TENANT}/`);
    const wholeSession = createS3Client({
      region: 'us-east-1',
      endpointUrl: emulator.url,
      credentials: await assumeRoleAs(emulator, vendor.credentials, { roleArn: wholeBucket.roleArn, externalId: EXTERNAL_ID }),
      expectedBucketOwner: CUSTOMER_ACCOUNT_ID,
      maxAttempts: 1,
    });
    try {
      expect(await listKeys(wholeSession, wholeBucket.bucket, '.ion-dest-verify-outside-prefix/')).toEqual([]);
    } finally {
      wholeSession.destroy();
    }
  });

  it('a fleet file says tenant_prefix row by row: prefix-only for the rows that say true, and it catches the whole-bucket role', async () => {
    const csv = [
      'role_arn,external_id,bucket,region,tenant,tenant_prefix',
      `${destination.roleArn},${EXTERNAL_ID},${BUCKET},us-east-1,${TENANT},true`,
      `${wholeBucket.roleArn},${EXTERNAL_ID},${wholeBucket.bucket},us-east-1,${TENANT},true`,
      `${destination.roleArn},${EXTERNAL_ID},${BUCKET},us-east-1,${TENANT},`,
    ].join('\n');
    const reports = await verifyFleet(parseFleet(csv, 'csv'), { endpointUrl: emulator.url, credentials: vendor.credentials, maxAttempts: 1 }, 2);
    expect(reports.map((r) => r.checks.find((c) => c.id === 'prefix-only')?.status)).toEqual(['pass', 'fail', undefined]);
    expect(reports.map((r) => r.ok)).toEqual([true, false, true]);
  });

  it('verify without --tenant-prefix reports no prefix-only check', async () => {
    const report = await verifyDestination({
      roleArn: destination.roleArn,
      externalId: EXTERNAL_ID,
      bucket: BUCKET,
      region: 'us-east-1',
      tenant: TENANT,
      endpointUrl: emulator.url,
      credentials: vendor.credentials,
      maxAttempts: 1,
    });
    expect(report.checks.map((c) => c.id)).not.toContain('prefix-only');
  });
});
