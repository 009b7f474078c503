import { ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, pipeline, type Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import {
  deliverSnapshot,
  directoryAttachmentSource,
  directoryTableSource,
  type AttachmentSource,
  type DeliveryManifest,
  type DeliveryReport,
  type TableSource,
} from '../../delivery/index.js';
import { processStartToken } from '../../delivery/archive/spool.js';
import { isIonDestError } from '../../errors/index.js';
import { CUSTOMER_ACCOUNT_ID, createAccountIdentity, type AccountIdentity } from '../../emulator/accounts.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { POLICY_VERSION } from '../../policy/types.js';
import { startFaultProxy, type FaultProxy, type RequestInfo } from '../faults/fault-proxy.js';
import { EXTERNAL_ID, TENANT, createDeliveryWorld, download, listIncompleteUploads, listKeys, runCli, vendorEnv, type DeliveryWorld } from './helpers.js';
import { writeSnapshotFixture, type SnapshotFixture } from './snapshot-fixture.js';

const BUCKET = 'acme-ion-consistency';
const SNAPSHOT_TIME = new Date('2026-03-03T02:00:00Z');
const MiB = 2 ** 20;

/** CSV of about `bytes` bytes: far more than the reader's buffers, so a change after the first chunk lands mid-read. */
function bigCsv(bytes: number): string {
  const row = '42,SN-00ff,PN-1234,open,"alpha, bravo ""quoted""",2026-01-01T10:00:00Z\n';
  return `id,serial,part_number,status,note,created_at\n${row.repeat(Math.ceil(bytes / row.length))}`;
}

/**
 * The real directory source, with one table's file changed by `mutate` as soon as its first
 * chunk has been read (so the change happens while the table is read, every time), and a
 * promise that settles when that table's stream has ended or failed.
 */
function tablesChangedWhileRead(dir: string, table: string, mutate: () => void): { source: TableSource; tableDone: Promise<void> } {
  const real = directoryTableSource(dir);
  let done!: () => void;
  const tableDone = new Promise<void>((resolve) => (done = resolve));
  const source: TableSource = {
    description: real.description,
    async open() {
      const snapshot = await real.open();
      return {
        tables: snapshot.tables,
        close: () => snapshot.close(),
        async openTable(ref) {
          const stream = await snapshot.openTable(ref);
          if (ref.name !== table) return stream;
          let first = true;
          const tap = new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              if (first) {
                first = false;
                mutate();
              }
              callback(null, chunk);
            },
          });
          pipeline(stream, tap, () => setImmediate(done));
          return tap;
        },
      };
    },
  };
  return { source, tableDone };
}

/** Attachments that wait for `gate` before the first one is read: the archive cannot complete before it. */
function attachmentsAfter(dir: string, gate: Promise<void>): AttachmentSource {
  const real = directoryAttachmentSource(dir);
  return {
    description: real.description,
    list: () => real.list(),
    async openAttachment(ref): Promise<Readable> {
      await gate;
      return real.openAttachment(ref);
    },
  };
}

describe('deliver: one consistent snapshot or nothing', () => {
  let emulator: Emulator;
  let world: DeliveryWorld;
  let reader: S3Client;
  let customer: S3Client;
  let customerIdentity: AccountIdentity;
  let work: string;
  let fixture: SnapshotFixture;
  const proxies: FaultProxy[] = [];
  const children: ChildProcess[] = [];

  const deliver = (jobId: string, extra: Partial<Parameters<typeof deliverSnapshot>[0]> = {}): Promise<DeliveryReport> =>
    deliverSnapshot({
      roleArn: world.destination.roleArn,
      externalId: EXTERNAL_ID,
      bucket: BUCKET,
      region: 'us-east-1',
      tenant: TENANT,
      jobId,
      tables: directoryTableSource(fixture.tablesDir),
      attachments: directoryAttachmentSource(fixture.attachmentsDir),
      snapshotTime: SNAPSHOT_TIME,
      endpointUrl: emulator.url,
      sourceCredentials: world.vendor.credentials,
      ...extra,
    });

  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'the delivery must fail').toBeDefined();
    return error as Error & { code?: string };
  };

  const cliArgs = (jobId: string, endpointUrl: string, extra: string[] = []) => [
    'deliver',
    '--role-arn', world.destination.roleArn,
    '--external-id', EXTERNAL_ID,
    '--bucket', BUCKET,
    '--region', 'us-east-1',
    '--tenant', TENANT,
    '--job-id', jobId,
    '--tables', fixture.tablesDir,
    '--attachments', fixture.attachmentsDir,
    '--snapshot-time', SNAPSHOT_TIME.toISOString(),
    '--endpoint-url', endpointUrl,
    '--json',
    ...extra,
  ];

  beforeAll(async () => {
    emulator = await startEmulator();
    // The customer's own administrator (created before enforcement is on): reads object versions as the customer would.
    customerIdentity = await createAccountIdentity(emulator, {
      accountId: CUSTOMER_ACCOUNT_ID,
      userName: 'acme-admin',
      policy: { Version: POLICY_VERSION, Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
    });
    world = await createDeliveryWorld(emulator, BUCKET);
    reader = await world.reader();
    customer = createS3Client({
      region: 'us-east-1',
      endpointUrl: emulator.url,
      credentials: customerIdentity.credentials,
      expectedBucketOwner: CUSTOMER_ACCOUNT_ID,
      maxAttempts: 2,
    });
    work = mkdtempSync(join(tmpdir(), 'ion-dest-consistency-'));
    fixture = writeSnapshotFixture(join(work, 'snapshot'));
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const p of proxies) await p.stop();
    reader?.destroy();
    customer?.destroy();
    await emulator?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('a source that changes while it is read', () => {
    const source = (name: string) => {
      const root = join(work, name);
      mkdirSync(join(root, 'tables'), { recursive: true });
      mkdirSync(join(root, 'attachments'), { recursive: true });
      writeFileSync(join(root, 'tables', 'accounts.csv'), bigCsv(64 * 1024));
      writeFileSync(join(root, 'attachments', 'report.pdf'), randomBytes(100_000));
      return root;
    };

    it('a CSV table truncated mid-read fails the delivery with SOURCE_FILE_CHANGED, and nothing is completed', async () => {
      const root = source('truncated');
      const orders = join(root, 'tables', 'orders.csv');
      writeFileSync(orders, bigCsv(24 * MiB));
      const { source: tables, tableDone } = tablesChangedWhileRead(join(root, 'tables'), 'orders', () => truncateSync(orders, 3 * MiB + 17));
      const error = await failure(
        deliver('job-truncated', { tables, attachments: attachmentsAfter(join(root, 'attachments'), tableDone), manifest: true }),
      );
      expect(isIonDestError(error) && error.code).toBe('SOURCE_FILE_CHANGED');
      expect(error.message).toContain('table "orders"');
      expect(error.message).toMatch(/size 25165\d+ → 3145745 bytes/);
      expect(await listKeys(reader, BUCKET, `${TENANT}/job-truncated/`)).toEqual([]);
      expect(await listIncompleteUploads(reader, BUCKET, `${TENANT}/job-truncated/`)).toEqual([]);
    });

    it('a CSV table appended to mid-read fails the same way', async () => {
      const root = source('appended');
      const orders = join(root, 'tables', 'orders.csv');
      writeFileSync(orders, bigCsv(24 * MiB));
      const { source: tables, tableDone } = tablesChangedWhileRead(join(root, 'tables'), 'orders', () =>
        writeFileSync(orders, '43,SN-0100,PN-9,open,late row,2026-01-02T10:00:00Z\n', { flag: 'a' }),
      );
      const error = await failure(deliver('job-appended', { tables, attachments: attachmentsAfter(join(root, 'attachments'), tableDone) }));
      expect(isIonDestError(error) && error.code).toBe('SOURCE_FILE_CHANGED');
      expect(await listKeys(reader, BUCKET, `${TENANT}/job-appended/`)).toEqual([]);
      expect(await listIncompleteUploads(reader, BUCKET, `${TENANT}/job-appended/`)).toEqual([]);
    });

    it('a pre-compressed .csv.gz table rewritten in place (same size) mid-read fails with SOURCE_FILE_CHANGED; no tables archive completes', async () => {
      const root = source('rewritten');
      const events = join(root, 'tables', 'events.csv.gz');
      writeFileSync(events, gzipSync(randomBytes(12 * MiB), { level: 1 }));
      const { source: tables } = tablesChangedWhileRead(join(root, 'tables'), 'events', () => {
        const fd = openSync(events, 'r+');
        writeSync(fd, randomBytes(4096), 0, 4096, 6 * MiB);
        closeSync(fd);
      });
      const error = await failure(deliver('job-rewritten', { tables, attachments: directoryAttachmentSource(join(root, 'attachments')), manifest: true }));
      expect(isIonDestError(error) && error.code).toBe('SOURCE_FILE_CHANGED');
      expect(error.message).toContain('table "events"');
      expect(error.message).toContain('modification time changed');
      // The attachments archive may have completed first; the tables archive and the manifest never do.
      const keys = await listKeys(reader, BUCKET, `${TENANT}/job-rewritten/`);
      expect(keys.filter((k) => !k.includes('snapshot_attachments_'))).toEqual([]);
      expect(await listIncompleteUploads(reader, BUCKET, `${TENANT}/job-rewritten/`)).toEqual([]);
    });

    it('an attachment deleted after it was listed is SOURCE_FILE_CHANGED naming it, not UPLOAD_FAILED', async () => {
      const root = source('deleted');
      mkdirSync(join(root, 'attachments', 'docs'));
      const doomed = join(root, 'attachments', 'docs', 'spec.pdf');
      writeFileSync(doomed, randomBytes(50_000));
      const real = directoryAttachmentSource(join(root, 'attachments'));
      const attachments: AttachmentSource = {
        description: real.description,
        async list() {
          const listed = await real.list();
          unlinkSync(doomed);
          return listed;
        },
        openAttachment: (ref) => real.openAttachment(ref),
      };
      const error = await failure(deliver('job-deleted', { tables: directoryTableSource(join(root, 'tables')), attachments, manifest: true }));
      expect(isIonDestError(error) && error.code).toBe('SOURCE_FILE_CHANGED');
      expect(error.message).toContain('attachment "docs/spec.pdf"');
      expect(error.message).toContain('deleted');
      expect(await listKeys(reader, BUCKET, `${TENANT}/job-deleted/`)).toEqual([]);
      expect(await listIncompleteUploads(reader, BUCKET, `${TENANT}/job-deleted/`)).toEqual([]);
    });
  });

  describe('re-delivering a job', () => {
    const putAsCustomer = (key: string, body: string) =>
      customer.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));

    it('a split delivery re-run unsplit leaves exactly the new archives and manifest; the customer keeps foreign keys and can recover the old ones', async () => {
      const job = 'job-rerun';
      const prefix = `${TENANT}/${job}/`;
      const first = await deliver(job, { maxArchiveSize: 64 * 1024, manifest: true });
      expect(first.removed).toEqual([]);
      const oldKeys = first.objects.map((o) => o.key);
      expect(oldKeys.filter((k) => k.includes('_part'))).toHaveLength(oldKeys.length - 1);
      // The customer's own files under the job's prefix, some named like the job's archives but outside its scheme.
      const foreign = [`${prefix}notes.txt`, `${prefix}snapshot_tables_part1_${job}.tar.bak`, `${prefix}old/snapshot_tables_${job}.tar`, `${prefix}snapshot_tables_part1_other-job.tar`];
      for (const k of foreign) await putAsCustomer(k, 'customer data\n');

      const result = await runCli(cliArgs(job, emulator.url, ['--manifest']), vendorEnv(world.vendor));
      expect(result.code, result.stderr).toBe(0);
      const second = JSON.parse(result.stdout) as DeliveryReport;
      const newKeys = [`${prefix}snapshot_attachments_${job}.tar`, `${prefix}snapshot_tables_${job}.tar`, `${prefix}manifest_${job}.json`];
      expect(second.objects.map((o) => o.key)).toEqual(newKeys);
      expect([...second.removed].sort()).toEqual([...oldKeys].sort());
      expect(await listKeys(reader, BUCKET, prefix)).toEqual([...newKeys, ...foreign].sort());
      const manifest = JSON.parse((await download(reader, BUCKET, `${prefix}manifest_${job}.json`)).toString()) as DeliveryManifest;
      expect(manifest.objects.map((o) => o.key)).toEqual(newKeys.slice(0, 2));

      // Each removal was a plain DeleteObject: a delete marker on top, the old archive still a version the customer can restore.
      const versions = await customer.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: prefix }));
      for (const key of oldKeys.filter((k) => k.includes('_part'))) {
        expect(versions.DeleteMarkers?.some((m) => m.Key === key && m.IsLatest), `${key} has a delete marker`).toBe(true);
        expect(versions.Versions?.some((v) => v.Key === key), `${key} keeps its version`).toBe(true);
      }
      for (const key of foreign) expect(versions.DeleteMarkers?.some((m) => m.Key === key), key).toBe(false);
    });

    it('an interrupted re-run removes the previous manifest before its first upload and leaves the previous archives', async () => {
      const job = 'job-interrupted';
      const prefix = `${TENANT}/${job}/`;
      const first = await deliver(job, { maxArchiveSize: 512 * 1024, manifest: true });
      const archives = first.objects.filter((o) => o.kind !== 'manifest').map((o) => o.key);

      const proxy = await startFaultProxy({ target: emulator.url });
      proxies.push(proxy);
      const seen: RequestInfo[] = [];
      proxy.onRequest((r) => seen.push(r));
      // Every upload into the job's prefix fails: the re-run dies before any archive completes.
      proxy.failFromNow('internal-error', (r) => r.method === 'PUT' && r.url.includes(`/${job}/`));
      const error = await failure(deliver(job, { endpointUrl: proxy.url, maxAttempts: 2, manifest: true }));
      expect(isIonDestError(error) && error.code).toBe('UPLOAD_FAILED');

      const firstDelete = seen.findIndex((r) => r.method === 'DELETE');
      const firstPut = seen.findIndex((r) => r.method === 'PUT' || (r.method === 'POST' && r.url.includes('uploads')));
      expect(decodeURIComponent(seen[firstDelete]?.url ?? '')).toContain(`${prefix}manifest_${job}.json`);
      expect(firstPut).toBeGreaterThan(firstDelete);
      expect(seen.filter((r) => r.method === 'DELETE' && !r.url.includes('uploadId'))).toHaveLength(1);
      // The listing and the removal, like every S3 call, name the bucket's owner.
      const listing = seen.find((r) => r.method === 'GET' && r.url.includes('list-type=2'));
      for (const r of [listing, seen[firstDelete]]) {
        expect(r?.headers['x-amz-expected-bucket-owner'], `${r?.method} ${r?.url}`).toBe(CUSTOMER_ACCOUNT_ID);
      }
      // No manifest: readers see the job as incomplete; every previous archive is still there.
      expect(await listKeys(reader, BUCKET, prefix)).toEqual([...archives].sort());
      expect(await listIncompleteUploads(reader, BUCKET, prefix)).toEqual([]);
    });
  });

  describe('spool folders of killed deliveries', () => {
    const spools = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('ion-dest-spool-'));

    /** Start a delivery whose uploads are throttled for good, wait until its spool exists, SIGKILL it; return the spool's name. */
    const killMidDelivery = async (spoolParent: string, jobId: string): Promise<string> => {
      const proxy = await startFaultProxy({ target: emulator.url });
      proxies.push(proxy);
      proxy.failFromNow('slow-down', (r) => (r.method === 'PUT' || r.method === 'POST') && r.url.startsWith(`/${BUCKET}/`));
      const before = new Set(spools(spoolParent));
      let child!: ChildProcess;
      const run = runCli(cliArgs(jobId, proxy.url, ['--max-attempts', '20']), { ...vendorEnv(world.vendor), TMPDIR: spoolParent }, (c) => {
        child = c;
        children.push(c);
      });
      const deadline = Date.now() + 60_000;
      let spool: string | undefined;
      while (spool === undefined && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        spool = spools(spoolParent).find((n) => !before.has(n));
      }
      expect(spool, 'the delivery created its spool').toBeDefined();
      child.kill('SIGKILL');
      await run;
      expect(existsSync(join(spoolParent, spool as string)), 'SIGKILL leaves the spool behind').toBe(true);
      return spool as string;
    };

    it('the next delivery and cleanup remove the spool of a SIGKILLed delivery, never a live process\'s', async () => {
      const parent = join(work, 'tmp');
      mkdirSync(parent);
      const killed = await killMidDelivery(parent, 'job-killed-1');

      // A live process's spool (a sleeper holding one), and a folder whose PID now belongs to another process (reused).
      const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
      children.push(sleeper);
      const token = processStartToken(sleeper.pid as number);
      expect(token, '/proc gives the process start time here').toBeDefined();
      const live = `ion-dest-spool-${sleeper.pid}-${token}-Abc123`;
      const reused = `ion-dest-spool-${sleeper.pid}-00000000.1-Def456`;
      const foreign = 'ion-dest-spool-notes';
      for (const name of [live, reused, foreign]) {
        mkdirSync(join(parent, name));
        writeFileSync(join(parent, name, '000001.csv.gz'), 'x');
      }

      const base = ['--role-arn', world.destination.roleArn, '--external-id', EXTERNAL_ID, '--bucket', BUCKET, '--region', 'us-east-1', '--tenant', TENANT, '--endpoint-url', emulator.url, '--json'];
      const cleanup = await runCli(['cleanup', ...base, '--older-than', '36500d'], { ...vendorEnv(world.vendor), TMPDIR: parent });
      expect(cleanup.code, cleanup.stderr).toBe(0);
      expect((JSON.parse(cleanup.stdout) as { removedSpools: string[] }).removedSpools.sort()).toEqual([join(parent, killed), join(parent, reused)].sort());
      expect(spools(parent).sort()).toEqual([live, foreign].sort());

      const killedAgain = await killMidDelivery(parent, 'job-killed-2');
      const next = await runCli(cliArgs('job-after-kill', emulator.url), { ...vendorEnv(world.vendor), TMPDIR: parent });
      expect(next.code, next.stderr).toBe(0);
      expect(spools(parent)).not.toContain(killedAgain);
      expect(spools(parent).sort()).toEqual([live, foreign].sort());
      sleeper.kill('SIGKILL');
    }, 300_000); // four CLI processes (two killed mid-delivery) on a shared machine
  });
});
