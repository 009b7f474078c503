import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import { archiveKey, deliverSnapshot, type ProgressListener } from '../../delivery/index.js';
import { createPostgresTableSource } from '../../delivery/sources/postgres-tables.js';
import { createS3AttachmentSource } from '../../delivery/sources/s3-attachments.js';
import { IonDestError } from '../../errors/index.js';
import { EMULATOR_REGION, VENDOR_ACCOUNT_ID, assumeRoleAs, createCustomerDestination, type AccountIdentity, type CustomerDestination } from '../../emulator/accounts.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { startPostgres, type PostgresServer } from '../../emulator/postgres-server.js';
import { ATTACHMENTS_BUCKET, createAttachmentsBucket } from './snapshot-sources-world.js';
import { CLI_FROM_SOURCE } from '../helpers/run-cli.js';

const TENANT = 'tenant_acme';
const EXTERNAL_ID = 'ion-acme-7f3a9c';
const ATTACHMENTS_PREFIX = `tenants/${TENANT}/`;
const ATTACHMENTS: Record<string, Buffer> = {
  [`${ATTACHMENTS_PREFIX}work-orders/WO-1/photo.jpg`]: randomBytes(700 * 1024),
  [`${ATTACHMENTS_PREFIX}work-orders/WO-1/notes ü.txt`]: Buffer.from('torque to 12 Nm\n'),
  [`${ATTACHMENTS_PREFIX}${'long-name-'.repeat(12)}.pdf`]: randomBytes(1000),
  [`${ATTACHMENTS_PREFIX}empty.txt`]: Buffer.alloc(0),
};

const SCHEMA_SQL = `
CREATE SCHEMA ${TENANT};
CREATE TABLE ${TENANT}.parts (id bigint PRIMARY KEY, name text, spec jsonb, photo bytea, tags text[], made_at timestamptz, cost numeric(12,4));
INSERT INTO ${TENANT}.parts SELECT g, CASE WHEN g % 7 = 0 THEN NULL WHEN g % 5 = 0 THEN '' ELSE 'part "' || g || E'"\\nline' END,
  jsonb_build_object('g', g, 'r', g / 3.0), decode(md5(g::text), 'hex'), ARRAY['t' || g, NULL], TIMESTAMPTZ '2026-01-01 00:00:00+00' + g * INTERVAL '1 minute', g * 1.2345
  FROM generate_series(1, 20000) g;
CREATE TABLE ${TENANT}."Work Orders" (id int, "Status" text);
INSERT INTO ${TENANT}."Work Orders" VALUES (1, 'open'), (2, 'closed');
CREATE TABLE ${TENANT}.events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE ${TENANT}.events_a PARTITION OF ${TENANT}.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE ${TENANT}.events_b PARTITION OF ${TENANT}.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO ${TENANT}.events SELECT g, DATE '2025-06-01' + g FROM generate_series(1, 400) g;
CREATE TABLE ${TENANT}.empty (v int);
CREATE VIEW ${TENANT}.open_orders AS SELECT * FROM ${TENANT}."Work Orders" WHERE "Status" = 'open';
CREATE TABLE ${TENANT}.zz_secret (v int);
INSERT INTO ${TENANT}.zz_secret VALUES (1);
CREATE ROLE exporter LOGIN PASSWORD 'exporter-pw-93';
GRANT USAGE ON SCHEMA ${TENANT} TO exporter;
GRANT SELECT ON ALL TABLES IN SCHEMA ${TENANT} TO exporter;
ALTER TABLE ${TENANT}.zz_secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY hidden ON ${TENANT}.zz_secret USING (false);
`;
/** Archive entry → the SELECT whose CSV it must equal. */
const TABLE_QUERIES: Record<string, string> = {
  'parts.csv.gz': `SELECT * FROM ONLY ${TENANT}.parts`,
  'Work Orders.csv.gz': `SELECT * FROM ONLY ${TENANT}."Work Orders"`,
  'events.csv.gz': `SELECT * FROM ${TENANT}.events`,
  'empty.csv.gz': `SELECT * FROM ONLY ${TENANT}.empty`,
  'zz_secret.csv.gz': `SELECT * FROM ONLY ${TENANT}.zz_secret`,
};

let pgServer: PostgresServer;
let emulator: Emulator;
let reader: AccountIdentity;
let destination: CustomerDestination;
let customer: S3Client;
let work: string;
let spoolParent: string;
const savedEnv = { ...process.env };

function run(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Buffer {
  const r = spawnSync(command, args, { ...options, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr?.toString()}`);
  return r.stdout;
}

async function download(key: string): Promise<Buffer> {
  const out = await customer.send(new GetObjectCommand({ Bucket: destination.bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** Extract with the system's GNU tar; returns every file's relative path and bytes. */
function extract(archive: Buffer, name: string): Map<string, Buffer> {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const file = join(work, `${name}.tar`);
  writeFileSync(file, archive);
  run('tar', ['-xf', file, '-C', dir]);
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(path.slice(dir.length + 1), readFileSync(path));
    }
  }
  return files;
}

function delivery(jobId: string, databaseUrl: string, onProgress?: ProgressListener) {
  return deliverSnapshot({
    ...(onProgress ? { onProgress } : {}),
    roleArn: destination.roleArn,
    externalId: EXTERNAL_ID,
    bucket: destination.bucket,
    region: EMULATOR_REGION,
    tenant: TENANT,
    jobId,
    endpointUrl: emulator.url,
    snapshotTime: new Date('2026-11-01T00:00:00Z'),
    tables: createPostgresTableSource({ databaseUrl, schema: TENANT }),
    attachments: createS3AttachmentSource({ url: `s3://${ATTACHMENTS_BUCKET}/${ATTACHMENTS_PREFIX}`, region: EMULATOR_REGION, endpointUrl: emulator.url }),
  });
}

beforeAll(async () => {
  [pgServer, emulator] = await Promise.all([startPostgres(), startEmulator()]);
  pgServer.psql(SCHEMA_SQL);
  ({ reader } = await createAttachmentsBucket(emulator, ATTACHMENTS));
  destination = await createCustomerDestination(emulator, {
    bucket: 'acme-ion-snapshots',
    roleName: 'ion-snapshot-delivery',
    trustedAccountId: VENDOR_ACCOUNT_ID,
    externalIds: EXTERNAL_ID,
  });
  await emulator.enableAuth();
  // First Resonance's own credentials, from the standard chain, for both AssumeRole and the attachments bucket.
  process.env.AWS_ACCESS_KEY_ID = reader.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = reader.credentials.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  const session = await assumeRoleAs(emulator, reader.credentials, { roleArn: destination.roleArn, externalId: EXTERNAL_ID });
  customer = createS3Client({ region: EMULATOR_REGION, endpointUrl: emulator.url, credentials: session, expectedBucketOwner: destination.accountId });
  work = mkdtempSync(join(tmpdir(), 'ion-dest-deliver-pg-'));
  spoolParent = join(work, 'tmp');
  mkdirSync(spoolParent);
  // The delivery spools under os.tmpdir(): point it at a folder this test can watch.
  process.env.TMPDIR = spoolParent;
});

afterAll(async () => {
  process.env = savedEnv;
  customer?.destroy();
  await Promise.all([pgServer?.stop(), emulator?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('delivery from a PostgreSQL schema and an attachments bucket', () => {
  it('lands in the layout of the setup guide, and GNU tar and gzip give back exactly the database rows and the objects', async () => {
    const report = await delivery('job-0001', pgServer.url);
    const tablesKey = archiveKey(TENANT, 'job-0001', 'tables');
    const attachmentsKey = archiveKey(TENANT, 'job-0001', 'attachments');
    expect(tablesKey).toBe(`${TENANT}/job-0001/snapshot_tables_job-0001.tar`);
    const listed = await customer.send(new ListObjectsV2Command({ Bucket: destination.bucket, Prefix: `${TENANT}/` }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual([attachmentsKey, tablesKey]);
    expect(report.tables).toBe(5);
    expect(report.attachments).toBe(Object.keys(ATTACHMENTS).length);

    const tables = extract(await download(tablesKey), 'tables');
    expect([...tables.keys()].sort()).toEqual(Object.keys(TABLE_QUERIES).sort());
    const psqlEnv = { ...process.env, ...pgServer.env, PGOPTIONS: '-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=1' };
    for (const [entry, query] of Object.entries(TABLE_QUERIES)) {
      const gunzipped = spawnSync('gzip', ['-dc'], { input: tables.get(entry)!, maxBuffer: 256 * 1024 * 1024 });
      expect(gunzipped.status, `gzip -dc ${entry}`).toBe(0);
      const expected = run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (${query}) to stdout with (format csv, header)`], { env: psqlEnv });
      expect(gunzipped.stdout.equals(expected), `${entry} differs from psql's \\copy`).toBe(true);
    }

    const attachments = extract(await download(attachmentsKey), 'attachments');
    expect([...attachments.keys()].sort()).toEqual(Object.keys(ATTACHMENTS).map((k) => k.slice(ATTACHMENTS_PREFIX.length)).sort());
    for (const [key, body] of Object.entries(ATTACHMENTS)) {
      expect(attachments.get(key.slice(ATTACHMENTS_PREFIX.length))!.equals(body), key).toBe(true);
    }
    expect(readdirSync(spoolParent)).toEqual([]);
  });

  it('fails with the table named when a COPY fails midway (the other tables already spooled), leaving no temporary file and no open upload', async () => {
    const url = `postgres://exporter:exporter-pw-93@${pgServer.host}:${pgServer.port}/${pgServer.database}`;
    const spooled: string[] = [];
    const error = await delivery('job-0002', url, (event) => {
      if (event.type === 'table-ready') spooled.push(event.table);
    }).catch((e: unknown) => e);
    expect(spooled.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('DATABASE_EXPORT_FAILED');
    expect((error as IonDestError).message).toMatch(/"zz_secret".*row-level security/);
    expect((error as IonDestError).message).not.toContain('exporter-pw-93');
    expect(readdirSync(spoolParent)).toEqual([]);
    const uploads = await customer.send(new ListMultipartUploadsCommand({ Bucket: destination.bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
    const listed = await customer.send(new ListObjectsV2Command({ Bucket: destination.bucket, Prefix: `${TENANT}/job-0002/` }));
    expect((listed.Contents ?? []).map((o) => o.Key)).not.toContain(archiveKey(TENANT, 'job-0002', 'tables'));
  });

  it('runs from the command line: ion-dest deliver --schema … --attachments s3://…, with the URL from DATABASE_URL', async () => {
    const result = await cli(
      ['deliver', '--role-arn', destination.roleArn, '--external-id', EXTERNAL_ID, '--bucket', destination.bucket, '--region', EMULATOR_REGION,
        '--tenant', TENANT, '--job-id', 'job-cli', '--schema', TENANT, '--attachments', `s3://${ATTACHMENTS_BUCKET}/${ATTACHMENTS_PREFIX}`,
        '--endpoint-url', emulator.url, '--json'],
      { DATABASE_URL: pgServer.url },
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { tables: number; attachments: number; objects: { key: string }[] };
    expect(report.tables).toBe(5);
    expect(report.attachments).toBe(Object.keys(ATTACHMENTS).length);
    expect(report.objects.map((o) => o.key).sort()).toEqual([archiveKey(TENANT, 'job-cli', 'attachments'), archiveKey(TENANT, 'job-cli', 'tables')]);
    expect(`${result.stdout}${result.stderr}`).not.toContain(pgServer.password);
  });

  it('rejects a bad --database-url with exit 2 before any call, never echoing its password', async () => {
    const extra = ['--schema', TENANT, '--database-url', 'mysql://u:Secret-77@db/x'];
    const result = await cli(
      ['deliver', '--role-arn', destination.roleArn, '--external-id', EXTERNAL_ID, '--bucket', destination.bucket, '--region', EMULATOR_REGION,
        '--tenant', TENANT, '--job-id', 'job-bad', '--attachments', 'attachments-dir', '--endpoint-url', 'http://127.0.0.1:1', ...extra],
      {},
    );
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/--database-url.*postgres:\/\//);
    expect(result.stderr).not.toContain('Secret-77');
  });
});

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_FROM_SOURCE, ...args], { cwd: work, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
