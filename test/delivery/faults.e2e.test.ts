import type { S3Client } from '@aws-sdk/client-s3';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverSnapshot, directoryAttachmentSource, directoryTableSource, type DeliveryReport } from '../../delivery/index.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { startFaultProxy, type FaultProxy, type RequestInfo } from '../faults/fault-proxy.js';
import { EXTERNAL_ID, TENANT, createDeliveryWorld, download, listIncompleteUploads, listKeys, runCli, vendorEnv, type DeliveryWorld } from './helpers.js';
import { writeSnapshotFixture, type SnapshotFixture } from './snapshot-fixture.js';

const BUCKET = 'acme-ion-faults';
const SNAPSHOT_TIME = new Date('2026-03-02T02:00:00Z');
/** Small archives and minimum-size parts: many requests from a few MiB, so 5% of them is a handful of faults. */
const MAX_ARCHIVE_SIZE = 2 * 2 ** 20;
const PART_SIZE = 5 * 2 ** 20;
const isPartUpload = (r: RequestInfo) => r.method === 'PUT' && /[?&]partNumber=/.test(r.url);

describe('deliver under faults: a proxy that resets connections and answers 500 / 503 SlowDown', () => {
  let emulator: Emulator;
  let world: DeliveryWorld;
  let reader: S3Client;
  let work: string;
  let fixture: SnapshotFixture;
  const proxies: FaultProxy[] = [];

  const deliver = (jobId: string, endpointUrl: string, attachmentsDir = fixture.attachmentsDir): Promise<DeliveryReport> =>
    deliverSnapshot({
      roleArn: world.destination.roleArn,
      externalId: EXTERNAL_ID,
      bucket: BUCKET,
      region: 'us-east-1',
      tenant: TENANT,
      jobId,
      tables: directoryTableSource(fixture.tablesDir),
      attachments: directoryAttachmentSource(attachmentsDir),
      snapshotTime: SNAPSHOT_TIME,
      maxArchiveSize: MAX_ARCHIVE_SIZE,
      partSize: PART_SIZE,
      endpointUrl,
      sourceCredentials: world.vendor.credentials,
    });

  const cliArgs = (jobId: string, endpointUrl: string) => [
    'deliver',
    '--role-arn', world.destination.roleArn,
    '--external-id', EXTERNAL_ID,
    '--bucket', BUCKET,
    '--region', 'us-east-1',
    '--tenant', TENANT,
    '--job-id', jobId,
    '--tables', fixture.tablesDir,
    '--attachments', fixture.attachmentsDir,
    '--part-size', '5MiB',
    '--max-attempts', '3',
    '--manifest',
    '--endpoint-url', endpointUrl,
    '--json',
  ];

  /** A proxy that, after `healthyParts` part uploads went through, fails what `match` selects from then on. */
  const proxyFailingAfter = async (healthyParts: number, kind: 'internal-error' | 'reset', match: (r: RequestInfo) => boolean) => {
    const proxy = await startFaultProxy({ target: emulator.url });
    proxies.push(proxy);
    let parts = 0;
    proxy.onRequest((r) => {
      if (isPartUpload(r) && ++parts === healthyParts + 1) proxy.failFromNow(kind, match);
    });
    return proxy;
  };

  beforeAll(async () => {
    emulator = await startEmulator();
    world = await createDeliveryWorld(emulator, BUCKET);
    reader = await world.reader();
    work = mkdtempSync(join(tmpdir(), 'ion-dest-faults-'));
    fixture = writeSnapshotFixture(join(work, 'snapshot'), 6);
  });

  afterAll(async () => {
    for (const p of proxies) await p.stop();
    reader?.destroy();
    await emulator?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('at a 5% fault rate every delivery completes, byte-identical to a fault-free run', async () => {
    const clean = await deliver('job-clean', emulator.url);
    const cleanBytes = new Map<string, Buffer>();
    for (const o of clean.objects) cleanBytes.set(o.key.replaceAll('job-clean', 'JOB'), await download(reader, BUCKET, o.key));
    expect(clean.objects.some((o) => o.uploadParts > 1)).toBe(true);

    const proxy = await startFaultProxy({ target: emulator.url, rate: 0.05, seed: 20260302 });
    proxies.push(proxy);
    for (const jobId of ['job-faulty-1', 'job-faulty-2', 'job-faulty-3', 'job-faulty-4', 'job-faulty-5', 'job-faulty-6']) {
      const report = await deliver(jobId, proxy.url);
      expect(report.objects.map((o) => o.key.replaceAll(jobId, 'JOB'))).toEqual([...cleanBytes.keys()]);
      for (const o of report.objects) {
        const bytes = await download(reader, BUCKET, o.key);
        expect(bytes.equals(cleanBytes.get(o.key.replaceAll(jobId, 'JOB')) as Buffer), o.key).toBe(true);
      }
    }
    // The seed fixes the sequence of decisions: every kind of fault happened, several times in all.
    expect(proxy.stats.faults.reset).toBeGreaterThan(0);
    expect(proxy.stats.faults['internal-error']).toBeGreaterThan(0);
    expect(proxy.stats.faults['slow-down']).toBeGreaterThan(0);
    expect(await listIncompleteUploads(reader, BUCKET, `${TENANT}/`)).toEqual([]);
  });

  it('part uploads share keep-alive connections: none opens a connection (over TLS, a handshake) of its own', async () => {
    const proxy = await startFaultProxy({ target: emulator.url });
    proxies.push(proxy);
    let parts = 0;
    proxy.onRequest((r) => {
      if (isPartUpload(r)) parts += 1;
    });
    const attachmentsDir = join(work, 'keep-alive-attachments');
    mkdirSync(attachmentsDir);
    writeFileSync(join(attachmentsDir, 'scan.bin'), randomBytes(40 * 2 ** 20));
    // One 40 MiB attachment: an archive of its own (over the 2 MiB limit), in 5 MiB parts.
    const report = await deliver('job-keep-alive', proxy.url, attachmentsDir);
    expect(report.objects[0]?.uploadParts).toBeGreaterThanOrEqual(8);
    expect(parts).toBeGreaterThanOrEqual(8);
    // The default 4 parts in flight, the AssumeRole client's own connection, and a spare.
    expect(proxy.stats.connections).toBeLessThanOrEqual(6);
  });

  it('when every part upload fails from mid-upload on, the CLI exits 1 with a clear error and leaves no multipart upload', async () => {
    const proxy = await proxyFailingAfter(1, 'internal-error', isPartUpload);
    const result = await runCli(cliArgs('job-broken', proxy.url), vendorEnv(world.vendor));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const error = JSON.parse(result.stderr.trim().split('\n').at(-1) as string).error;
    expect(error.code).toBe('UPLOAD_FAILED');
    expect(error.message).toMatch(/s3:\/\/acme-ion-faults\/acme_prod\/job-broken\/snapshot_attachments_job-broken\.tar failed: InternalError \(HTTP 500\)/);
    expect(proxy.stats.faults['internal-error']).toBeGreaterThan(0);
    expect(await listIncompleteUploads(reader, BUCKET, `${TENANT}/`)).toEqual([]);
    // The archive that failed is absent, the tables archive (next in line) was never started,
    // and there is no manifest: the delivery reads as incomplete.
    expect(await listKeys(reader, BUCKET, `${TENANT}/job-broken/`)).toEqual([]);
  });

  it('Ctrl-C mid-upload: the CLI aborts the upload, removes its temporary files and exits 1', async () => {
    const proxy = await startFaultProxy({ target: emulator.url });
    proxies.push(proxy);
    const tmp = join(work, 'tmp-interrupted');
    mkdirSync(tmp);
    let child: ChildProcess | undefined;
    let interrupted = false;
    proxy.onRequest((r) => {
      if (isPartUpload(r) && !interrupted && child) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const result = await runCli(cliArgs('job-interrupted', proxy.url), { ...vendorEnv(world.vendor), TMPDIR: tmp }, (c) => {
      child = c;
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr.trim().split('\n').at(-1) as string).error.code).toBe('DELIVERY_INTERRUPTED');
    expect(await listIncompleteUploads(reader, BUCKET, `${TENANT}/`)).toEqual([]);
    // The spool is gone (tsx, which runs the CLI from source, keeps its own cache there).
    expect(readdirSync(tmp).filter((name) => name.startsWith('ion-dest-'))).toEqual([]);
  });

  it('when the endpoint fails for good (the abort too), the error names the upload left behind and cleanup removes it', async () => {
    const proxy = await proxyFailingAfter(1, 'reset', () => true);
    const result = await runCli(cliArgs('job-dead', proxy.url), vendorEnv(world.vendor));
    expect(result.code).toBe(1);
    const error = JSON.parse(result.stderr.trim().split('\n').at(-1) as string).error;
    expect(error.code).toBe('UPLOAD_NOT_ABORTED');
    const left = await listIncompleteUploads(reader, BUCKET, `${TENANT}/job-dead/`);
    expect(left).toHaveLength(1);
    expect(error.message).toContain((left[0] as string).split(' ')[1]);

    const cleanup = await runCli(
      ['cleanup', '--role-arn', world.destination.roleArn, '--external-id', EXTERNAL_ID, '--bucket', BUCKET, '--region', 'us-east-1',
        '--tenant', TENANT, '--older-than', '0s', '--endpoint-url', emulator.url],
      vendorEnv(world.vendor),
    );
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toMatch(/^aborted 1 incomplete upload/);
    expect(await listIncompleteUploads(reader, BUCKET, `${TENANT}/`)).toEqual([]);
  });
});
