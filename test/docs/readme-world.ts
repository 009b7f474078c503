import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@smithy/types';
import { customerDemoPolicy } from '../../demo/permissions.js';
import { POLICY_VERSION, bucketArn, bucketObjectsArn, type PolicyDocument } from '../../policy/index.js';
import {
  CUSTOMER_ACCOUNT_ID,
  EMULATOR_REGION,
  OTHER_ACCOUNT_ID,
  VENDOR_ACCOUNT_ID,
  accountAdminClients,
  applyStackBucketSettings,
  createAccountIdentity,
  createCustomerDestination,
  vendorAssumeRolePolicy,
} from '../../emulator/accounts.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { startPostgres, type PostgresServer } from '../../emulator/postgres-server.js';

/**
 * The world README.md's examples describe, built in one emulator: First Resonance's
 * account and the customer's, the acme destination every example names, the two
 * extra tenants of the fleet example, First Resonance's own buckets (templates,
 * attachments) and the tenant's PostgreSQL schema. A README value changed without
 * changing this world makes its command fail.
 */

/** One destination of the README, in the customer's account. */
export interface ReadmeDestination {
  tenant: string;
  bucket: string;
  roleName: string;
  externalId: string;
  /** The account the trust policy names (First Resonance's unless a broken example). */
  trustedAccountId: string;
  versioning: boolean;
  /** Block Public Access, BucketOwnerEnforced and the abort-incomplete-uploads rule, as the stack sets them. */
  stackSettings: boolean;
}

export const README_WORLD = {
  region: EMULATOR_REGION,
  vendor: { accountId: VENDOR_ACCOUNT_ID, userName: 'ion-delivery', profile: 'fr-delivery' },
  customer: { accountId: CUSTOMER_ACCOUNT_ID, userName: 'acme-admin', profile: 'acme-admin' },
  destinations: [
    { tenant: 'acme', bucket: 'acme-ion-snapshots', roleName: 'ion-delivery', externalId: 'ion-acme-7f3a9c', trustedAccountId: VENDOR_ACCOUNT_ID, versioning: true, stackSettings: true },
    { tenant: 'globex', bucket: 'globex-ion-snapshots', roleName: 'ion-delivery-globex', externalId: 'ion-globex-2b8d41', trustedAccountId: VENDOR_ACCOUNT_ID, versioning: false, stackSettings: true },
    // The broken example of the fleet and audit outputs: its role trusts another account.
    { tenant: 'initech', bucket: 'initech-ion-snapshots', roleName: 'ion-delivery-initech', externalId: 'ion-initech-5c1e07', trustedAccountId: OTHER_ACCOUNT_ID, versioning: true, stackSettings: false },
  ] satisfies ReadmeDestination[],
  /** First Resonance's bucket for published templates (publish-template). */
  templatesBucket: 'fr-cfn-templates',
  /** First Resonance's attachments bucket and the tenant's prefix in it (deliver --attachments s3://…). */
  attachmentsBucket: 'fr-ion-attachments',
  attachmentsPrefix: 'tenants/tenant_acme/',
  /** The README's database: `postgres://exporter@db.internal:5432/ion`, schema tenant_acme. */
  database: { exampleHost: 'db.internal:5432', user: 'exporter', name: 'ion', schema: 'tenant_acme' },
} as const;

/** A named identity of the world and the environment that signs as it. */
export interface WorldIdentity {
  accountId: string;
  arn: string;
  credentials: AwsCredentialIdentity;
}

export interface ReadmeWorld {
  emulator: Emulator;
  postgres: PostgresServer;
  /** Password of the README's database user on the test server. */
  databasePassword: string;
  vendor: WorldIdentity;
  customer: WorldIdentity;
  /** A fresh working directory: the README's relative paths resolve here. */
  workDir: string;
  /** Shared credentials file holding the README's profile names. */
  credentialsFile: string;
  configFile: string;
  stop(): Promise<void>;
}

/**
 * The vendor identity's policy: AssumeRole on customer roles (as First Resonance's
 * delivery service has), plus its own buckets: publishing templates and reading attachments.
 */
function vendorPolicy(): PolicyDocument {
  const templates = README_WORLD.templatesBucket;
  const attachments = README_WORLD.attachmentsBucket;
  return {
    Version: POLICY_VERSION,
    Statement: [
      ...vendorAssumeRolePolicy({ anyRole: true }).Statement,
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucketArn('aws', templates), bucketArn('aws', attachments)] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: bucketObjectsArn('aws', templates) },
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: bucketObjectsArn('aws', attachments) },
    ],
  };
}

async function createVendorBuckets(emulator: Emulator): Promise<void> {
  const { s3 } = accountAdminClients(emulator, README_WORLD.vendor.accountId);
  await s3.send(new CreateBucketCommand({ Bucket: README_WORLD.templatesBucket }));
  await s3.send(new CreateBucketCommand({ Bucket: README_WORLD.attachmentsBucket }));
  const attachments: Record<string, string> = {
    'WO-1001/traveler.txt': 'Traveler for WO-1001\n',
    'WO-1001/photos/weld-seam.bin': '\u0000\u0001\u0002 weld seam',
    'parts/P-200/drawing-rev-C.csv': 'rev,date\nC,2026-01-01\n',
  };
  for (const [key, body] of Object.entries(attachments)) {
    await s3.send(new PutObjectCommand({ Bucket: README_WORLD.attachmentsBucket, Key: `${README_WORLD.attachmentsPrefix}${key}`, Body: body }));
  }
}

async function createDatabase(): Promise<{ postgres: PostgresServer; password: string }> {
  const postgres = await startPostgres();
  const { user, name, schema } = README_WORLD.database;
  const password = `readme-${Math.random().toString(36).slice(2)}`;
  postgres.psql(
    [
      `CREATE ROLE ${user} LOGIN PASSWORD '${password}';`,
      `CREATE DATABASE ${name};`,
      `\\connect ${name}`,
      `CREATE SCHEMA ${schema};`,
      `CREATE TABLE ${schema}.work_orders (id int PRIMARY KEY, title text, due timestamptz);`,
      `INSERT INTO ${schema}.work_orders SELECT g, 'Work order ' || g || ', "rev" B', '2026-01-01T00:00:00Z'::timestamptz + g * interval '1 day' FROM generate_series(1, 50) g;`,
      `CREATE TABLE ${schema}.parts (part_number text PRIMARY KEY, qty numeric(10,2));`,
      `INSERT INTO ${schema}.parts VALUES ('P-100', 4.50), ('P-200', 12);`,
      `GRANT USAGE ON SCHEMA ${schema} TO ${user};`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${user};`,
    ].join('\n'),
  );
  return { postgres, password };
}

/**
 * Files the README's commands name by relative path, created on demand in the
 * working directory: a tables directory, an attachments directory, a fleet file.
 * A path the harness has no recipe for is an error, so nobody adds an input the
 * test cannot provide.
 */
export function createInputFile(workDir: string, flag: string, relativePath: string): void {
  const path = join(workDir, relativePath);
  if (flag === 'tables') {
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'work_orders.csv'), 'id,title\n1,"Weld, inspect"\n2,Paint\n');
    writeFileSync(join(path, 'parts.csv'), 'part_number,qty\nP-100,4.5\n');
  } else if (flag === 'attachments') {
    mkdirSync(join(path, 'WO-1001', 'photos'), { recursive: true });
    writeFileSync(join(path, 'WO-1001', 'traveler.txt'), 'Traveler for WO-1001\n');
    writeFileSync(join(path, 'WO-1001', 'photos', 'weld-seam.bin'), Buffer.from([0, 1, 2, 3, 255]));
  } else if (flag === 'fleet') {
    mkdirSync(dirname(path), { recursive: true });
    const rows = README_WORLD.destinations.map((d) =>
      [`arn:aws:iam::${README_WORLD.customer.accountId}:role/${d.roleName}`, d.externalId, d.bucket, README_WORLD.region, d.tenant].join(','),
    );
    writeFileSync(path, ['role_arn,external_id,bucket,region,tenant', ...rows, ''].join('\n'));
  } else {
    throw new Error(`the README names the file ${relativePath} for --${flag}, and the harness has no recipe to create it (add one in test/docs/readme-world.ts)`);
  }
}

/** Flags whose relative-path values the harness creates (see createInputFile). */
export const INPUT_FILE_FLAGS: readonly string[] = ['tables', 'attachments', 'fleet'];

/**
 * Start the emulator and PostgreSQL and build the README's world; IAM enforcement is
 * on when it resolves. The README's profile names are written to a shared credentials
 * file, so an `AWS_PROFILE=` prefix signs as that side.
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
 */
export async function buildReadmeWorld(): Promise<ReadmeWorld> {
  const [emulator, database] = await Promise.all([startEmulator(), createDatabase()]);
  try {
    const vendor = await createAccountIdentity(emulator, { accountId: README_WORLD.vendor.accountId, userName: README_WORLD.vendor.userName, policy: vendorPolicy() });
    const customer = await createAccountIdentity(emulator, { accountId: README_WORLD.customer.accountId, userName: README_WORLD.customer.userName, policy: customerDemoPolicy() });
    for (const d of README_WORLD.destinations) {
      await createCustomerDestination(emulator, {
        accountId: README_WORLD.customer.accountId,
        bucket: d.bucket,
        region: README_WORLD.region,
        roleName: d.roleName,
        trustedAccountId: d.trustedAccountId,
        externalIds: d.externalId,
        versioning: d.versioning,
      });
      if (d.stackSettings) await applyStackBucketSettings(emulator, README_WORLD.customer.accountId, d.bucket);
    }
    await createVendorBuckets(emulator);
    await emulator.enableAuth();

    const workDir = mkdtempSync(join(tmpdir(), 'ion-dest-readme-'));
    const awsDir = mkdtempSync(join(tmpdir(), 'ion-dest-readme-aws-'));
    const credentialsFile = join(awsDir, 'credentials');
    const configFile = join(awsDir, 'config');
    const profile = (name: string, c: AwsCredentialIdentity) => `[${name}]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\n`;
    writeFileSync(credentialsFile, profile(README_WORLD.vendor.profile, vendor.credentials) + profile(README_WORLD.customer.profile, customer.credentials), { mode: 0o600 });
    writeFileSync(configFile, `[profile ${README_WORLD.vendor.profile}]\nregion = ${README_WORLD.region}\n[profile ${README_WORLD.customer.profile}]\nregion = ${README_WORLD.region}\n`);
    return {
      emulator,
      postgres: database.postgres,
      databasePassword: database.password,
      vendor,
      customer,
      workDir,
      credentialsFile,
      configFile,
      async stop() {
        await Promise.all([emulator.stop(), database.postgres.stop()]);
        rmSync(workDir, { recursive: true, force: true });
        rmSync(awsDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all([emulator.stop(), database.postgres.stop()]);
    throw error;
  }
}
