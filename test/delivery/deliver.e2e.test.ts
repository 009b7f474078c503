import { HeadObjectCommand, CreateMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverSnapshot, directoryAttachmentSource, directoryTableSource, type DeliveryReport } from '../../delivery/index.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import {
  EXTERNAL_ID,
  TENANT,
  createDeliveryWorld,
  download,
  expectSameAsFixture,
  extractWithGnuTar,
  listIncompleteUploads,
  listKeys,
  mtimeSeconds,
  runCli,
  vendorEnv,
  type DeliveryWorld,
} from './helpers.js';
import { LONG_ATTACHMENT_PATH, LONG_TABLE_NAME, writeSnapshotFixture, type SnapshotFixture } from './snapshot-fixture.js';

const BUCKET = 'acme-ion-snapshots';
const SNAPSHOT_TIME = new Date('2026-03-01T02:00:00Z');

function crcBase64(bytes: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(bytes));
  return out.toString('base64');
}

describe('deliver: end to end against the emulator, checked with GNU tar and bsdtar', () => {
  let emulator: Emulator;
  let world: DeliveryWorld;
  let reader: S3Client;
  let work: string;
  let fixture: SnapshotFixture;
  let report: DeliveryReport;

  const deliver = (jobId: string, extra: Partial<Parameters<typeof deliverSnapshot>[0]> = {}) =>
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

  beforeAll(async () => {
    emulator = await startEmulator();
    world = await createDeliveryWorld(emulator, BUCKET);
    reader = await world.reader();
    work = mkdtempSync(join(tmpdir(), 'ion-dest-deliver-e2e-'));
    fixture = writeSnapshotFixture(join(work, 'snapshot'));
    report = await deliver('job-20260301', { manifest: true });
  });

  afterAll(async () => {
    reader?.destroy();
    await emulator?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('writes exactly the plain keys of the setup guide, then the manifest', async () => {
    const prefix = `${TENANT}/job-20260301/`;
    expect(await listKeys(reader, BUCKET, prefix)).toEqual([
      `${prefix}manifest_job-20260301.json`,
      `${prefix}snapshot_attachments_job-20260301.tar`,
      `${prefix}snapshot_tables_job-20260301.tar`,
    ]);
    expect(report.objects.map((o) => o.key).at(-1)).toBe(`${prefix}manifest_job-20260301.json`);
    expect(report.tables).toBe(fixture.tableFiles.size);
    expect(report.attachments).toBe(fixture.attachmentFiles.size);
    expect(await listIncompleteUploads(reader, BUCKET, `${TENANT}/`)).toEqual([]);
  });

  it('archives extract with GNU tar and gunzip to exactly the source files, with fixed headers', async () => {
    const out = join(work, 'gnu-tar');
    for (const kind of ['tables', 'attachments'] as const) {
      const bytes = await download(reader, BUCKET, `${TENANT}/job-20260301/snapshot_${kind}_job-20260301.tar`);
      expect(bytes.length % 512).toBe(0);
      extractWithGnuTar(bytes, join(out, kind), kind);
      const listing = execFileSync('tar', ['--list', '--verbose', '--numeric-owner', '--file', join(out, `${kind}.tar`)], { encoding: 'utf8' });
      for (const line of listing.trim().split('\n')) expect(line).toMatch(/^-rw-r--r-- 0\/0 /);
    }
    expectSameAsFixture(fixture, join(out, 'tables'), join(out, 'attachments'));
    expect(mtimeSeconds(join(out, 'attachments', LONG_ATTACHMENT_PATH))).toBe(SNAPSHOT_TIME.getTime() / 1000);
    expect(mtimeSeconds(join(out, 'tables', `${LONG_TABLE_NAME}.csv.gz`))).toBe(SNAPSHOT_TIME.getTime() / 1000);
  });

  it('bsdtar lists every entry, long and non-ASCII names included, in sorted order', async () => {
    const file = join(work, 'bsdtar-attachments.tar');
    const bytes = await download(reader, BUCKET, `${TENANT}/job-20260301/snapshot_attachments_job-20260301.tar`);
    execFileSync('tee', [file], { input: bytes, stdio: ['pipe', 'ignore', 'inherit'] });
    const names = execFileSync('bsdtar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
    const expected = [...fixture.attachmentFiles.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(names).toEqual(expected);
  });

  it('reports and stores a full-object CRC32 per key that matches the downloaded bytes; the manifest lists them', async () => {
    for (const object of report.objects) {
      const bytes = await download(reader, BUCKET, object.key);
      expect(bytes.length).toBe(object.size);
      expect(object.checksum).toBe(crcBase64(bytes));
      const head = await reader.send(new HeadObjectCommand({ Bucket: BUCKET, Key: object.key, ChecksumMode: 'ENABLED' }));
      expect(head.ChecksumCRC32).toBe(object.checksum);
    }
    const manifest = JSON.parse((await download(reader, BUCKET, `${TENANT}/job-20260301/manifest_job-20260301.json`)).toString());
    expect(manifest.snapshotTime).toBe(SNAPSHOT_TIME.toISOString());
    expect(manifest.objects.map((o: { key: string; size: number; checksum: string }) => [o.key, o.size, o.checksum])).toEqual(
      report.objects.filter((o) => o.kind !== 'manifest').map((o) => [o.key, o.size, o.checksum]),
    );
  });

  it('is deterministic: the same snapshot and time give byte-identical archives', async () => {
    const again = await deliver('job-20260301-again');
    const first = report.objects.filter((o) => o.kind !== 'manifest');
    const second = again.objects;
    expect(second.map((o) => [o.size, o.checksum])).toEqual(first.map((o) => [o.size, o.checksum]));
    for (const kind of ['tables', 'attachments']) {
      const a = await download(reader, BUCKET, `${TENANT}/job-20260301/snapshot_${kind}_job-20260301.tar`);
      const b = await download(reader, BUCKET, `${TENANT}/job-20260301-again/snapshot_${kind}_job-20260301-again.tar`);
      expect(a.equals(b), kind).toBe(true);
    }
  });

  it('deletes each spooled table once it is packed: none is left when the tables archive is uploaded, and each split part takes its own away', async () => {
    // The spool lives under os.tmpdir(): point it at a folder this test can watch.
    const parent = mkdtempSync(join(work, 'tmp-'));
    const spooledFiles = () =>
      readdirSync(parent)
        .filter((name) => name.startsWith('ion-dest-spool-'))
        .reduce((count, name) => count + readdirSync(join(parent, name)).length, 0);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = parent;
    const atTablesDone: Record<string, number[]> = {};
    let mostSpooled = 0;
    try {
      for (const [name, maxArchiveSize] of [['whole', undefined], ['split', 64 * 1024]] as const) {
        const counts: number[] = (atTablesDone[name] = []);
        await deliver(`job-spool-${name}`, {
          ...(maxArchiveSize ? { maxArchiveSize } : {}),
          onProgress: (event) => {
            if (event.type === 'table-ready') mostSpooled = Math.max(mostSpooled, spooledFiles());
            if (event.type === 'archive-done' && event.key.includes('/snapshot_tables_')) counts.push(spooledFiles());
          },
        });
      }
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    // Every compressed table was in the spool at once before the split plan (it needs their sizes).
    const compressedTables = [...fixture.tableFiles.values()].filter((file) => file.endsWith('.csv')).length;
    expect(mostSpooled).toBe(compressedTables);
    expect(atTablesDone.whole).toEqual([0]);
    const split = atTablesDone.split as number[];
    expect(split.length).toBeGreaterThan(1);
    expect(split.at(-1)).toBe(0);
    for (let i = 1; i < split.length; i += 1) expect(split[i]).toBeLessThanOrEqual(split[i - 1] as number);
    expect(split[0]).toBeLessThan(compressedTables);
    // The spool itself is gone after each delivery.
    expect(readdirSync(parent)).toEqual([]);
  });

  it('splits by --max-archive-size through the CLI: numbered complete parts, no entry split, JSON progress and report', async () => {
    const jobId = 'job-split';
    const result = await runCli(
      [
        'deliver',
        '--role-arn', world.destination.roleArn,
        '--external-id', EXTERNAL_ID,
        '--bucket', BUCKET,
        '--region', 'us-east-1',
        '--tenant', TENANT,
        '--job-id', jobId,
        '--tables', fixture.tablesDir,
        '--attachments', fixture.attachmentsDir,
        '--max-archive-size', '64KiB',
        '--snapshot-time', SNAPSHOT_TIME.toISOString(),
        '--endpoint-url', emulator.url,
        '--json',
      ],
      vendorEnv(world.vendor),
    );
    expect(result.stderr).not.toMatch(/"error"/);
    expect(result.code).toBe(0);
    const cliReport = JSON.parse(result.stdout) as DeliveryReport;
    const events = result.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string });
    expect(events.some((e) => e.event === 'archive-done')).toBe(true);
    const limit = 64 * 1024;
    const warned = events.filter((e) => e.event === 'warning').map((e) => (e as unknown as { message: string }).message);
    const overLimit = [...fixture.attachmentFiles].filter(([, file]) => statSync(file).size > limit).map(([path]) => path);
    expect(overLimit.length).toBeGreaterThan(0);
    for (const path of overLimit) expect(warned.some((m) => m.includes(JSON.stringify(path)))).toBe(true);

    const prefix = `${TENANT}/${jobId}/`;
    const keys = await listKeys(reader, BUCKET, prefix);
    const tableParts = keys.filter((k) => k.includes('snapshot_tables_'));
    const attachmentParts = keys.filter((k) => k.includes('snapshot_attachments_'));
    expect(tableParts.length).toBeGreaterThan(1);
    expect(attachmentParts.length).toBeGreaterThan(1);
    const numbered = (kind: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}snapshot_${kind}_part${i + 1}_${jobId}.tar`).sort();
    expect(tableParts).toEqual(numbered('tables', tableParts.length));
    expect(attachmentParts).toEqual(numbered('attachments', attachmentParts.length));
    expect(keys).toEqual([...attachmentParts, ...tableParts].sort());
    expect(cliReport.objects.map((o) => o.key).sort()).toEqual(keys);

    // Each part is a complete tar on its own; together they are the snapshot.
    const out = join(work, 'split');
    for (const [kind, parts] of [['tables', tableParts], ['attachments', attachmentParts]] as const) {
      for (const [i, key] of parts.entries()) {
        const bytes = await download(reader, BUCKET, key);
        const object = cliReport.objects.find((o) => o.key === key);
        expect(bytes.length).toBe(object?.size);
        if (object && object.entries > 1) expect(bytes.length).toBeLessThanOrEqual(limit);
        extractWithGnuTar(bytes, join(out, kind), `${kind}-${i}`);
      }
    }
    expectSameAsFixture(fixture, join(out, 'tables'), join(out, 'attachments'));
  });

  it('rejects bad input with exit 2 before any AWS call', async () => {
    const result = await runCli(
      ['deliver', '--role-arn', world.destination.roleArn, '--external-id', EXTERNAL_ID, '--bucket', BUCKET, '--region', 'us-east-1',
        '--tenant', '../other', '--job-id', 'job 1', '--tables', fixture.tablesDir, '--attachments', fixture.attachmentsDir,
        '--max-archive-size', '12 parsecs', '--endpoint-url', 'http://127.0.0.1:9'],
      vendorEnv(world.vendor),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-archive-size');
    const second = await runCli(
      ['deliver', '--role-arn', world.destination.roleArn, '--external-id', EXTERNAL_ID, '--bucket', BUCKET, '--region', 'us-east-1',
        '--tenant', '../other', '--job-id', 'job 1', '--tables', fixture.tablesDir, '--attachments', fixture.attachmentsDir,
        '--endpoint-url', 'http://127.0.0.1:9'],
      vendorEnv(world.vendor),
    );
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/Invalid --tenant "\.\.\/other"/);
    expect(second.stderr).toMatch(/Invalid --job-id "job 1"/);
  });

  it('cleanup aborts incomplete uploads under the tenant older than the cut-off, and nothing else', async () => {
    const stale = await reader.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: `${TENANT}/job-crashed/snapshot_tables_job-crashed.tar` }));
    const otherTenant = await reader.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'globex/job-9/snapshot_tables_job-9.tar' }));
    const base = ['cleanup', '--role-arn', world.destination.roleArn, '--external-id', EXTERNAL_ID, '--bucket', BUCKET, '--region', 'us-east-1', '--tenant', TENANT, '--endpoint-url', emulator.url, '--json'];

    // The emulator reports when each upload really started (emulator/fidelity/multipart_initiated.py): a just-started upload is younger than the default day.
    const young = await runCli([...base, '--older-than', '24h'], vendorEnv(world.vendor));
    expect(young.code).toBe(0);
    expect(JSON.parse(young.stdout)).toMatchObject({ aborted: [], kept: [{ uploadId: stale.UploadId }] });

    const now = await runCli([...base, '--older-than', '0s'], vendorEnv(world.vendor));
    expect(now.code).toBe(0);
    expect(JSON.parse(now.stdout).aborted.map((u: { uploadId: string }) => u.uploadId)).toEqual([stale.UploadId]);
    expect(await listIncompleteUploads(reader, BUCKET, `${TENANT}/`)).toEqual([]);
    expect(await listIncompleteUploads(reader, BUCKET, 'globex/')).toEqual([`globex/job-9/snapshot_tables_job-9.tar ${otherTenant.UploadId}`]);
  });
});
