/**
 * One stage of the delivery benchmark, run in its own process so its peak RSS is its own.
 * Usage: tsx bench/bench-stage.ts <stage> <json options>; prints one JSON line.
 *   deliver  the whole delivery into the emulator (deliverSnapshot)
 *   floor    compress and pack the same snapshot to the null device, no upload
 *   pack     pack the attachments archive into a file (the upload stage's input)
 *   upload   upload that file with uploadArchive, nothing else
 */
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { devNull } from 'node:os';
import { once } from 'node:events';
import { createS3Client } from '../aws/clients.js';
import { startPreparingTables } from '../delivery/archive/compress-table.js';
import { deliverSnapshot, directoryAttachmentSource, directoryTableSource } from '../delivery/index.js';
import { compareEntryNames } from '../delivery/archive/plan-archives.js';
import { packArchive, type PackableEntry } from '../delivery/archive/pack-archive.js';
import { startDigestThreads } from '../delivery/upload/part-digests.js';
import { createSpool } from '../delivery/archive/spool.js';
import { uploadArchive } from '../delivery/upload/upload-archive.js';

interface StageOptions {
  tablesDir: string;
  attachmentsDir: string;
  endpointUrl: string;
  bucket: string;
  roleArn: string;
  partSize: number;
  concurrency: number;
  file: string;
  key: string;
}

const [stage, raw] = process.argv.slice(2);
const o = JSON.parse(raw ?? '{}') as StageOptions;
const MTIME = new Date('2026-01-01T00:00:00Z');

async function writeArchive(entries: PackableEntry[] | AsyncIterable<PackableEntry>, path: string): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  for await (const chunk of packArchive(entries, MTIME)) {
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

async function attachmentEntries(): Promise<PackableEntry[]> {
  const source = directoryAttachmentSource(o.attachmentsDir);
  return (await source.list()).map((a) => ({ name: a.path, size: a.size, open: () => source.openAttachment(a) }));
}

/** CPU time before the stage's work began: modules loaded and compiled, which the stage's `seconds` leave out too. */
let cpuAtStart = process.cpuUsage();

async function run(): Promise<Record<string, unknown>> {
  let started = performance.now();
  switch (stage) {
    case 'deliver': {
      // When each stage ended, in seconds from the start: where the time goes.
      const marks: Record<string, number> = {};
      const mark = (name: string) => {
        marks[name] = Number(((performance.now() - started) / 1000).toFixed(2));
      };
      const report = await deliverSnapshot({
        roleArn: o.roleArn,
        externalId: 'ion-bench',
        bucket: o.bucket,
        region: 'us-east-1',
        tenant: 'bench',
        jobId: 'job-1',
        tables: directoryTableSource(o.tablesDir),
        attachments: directoryAttachmentSource(o.attachmentsDir),
        snapshotTime: MTIME,
        partSize: o.partSize,
        concurrency: o.concurrency,
        endpointUrl: o.endpointUrl,
        onProgress: (e) => {
          if (e.type === 'table-ready' && e.ready === e.total) mark('tablesCompressed');
          if (e.type === 'archive-start') mark(`${e.kind}UploadStart`);
          if (e.type === 'archive-done') mark(`${e.key.includes('_tables_') ? 'tables' : 'attachments'}UploadDone`);
        },
      });
      return { seconds: (performance.now() - started) / 1000, sourceBytes: report.sourceBytes, deliveredBytes: report.deliveredBytes, marks };
    }
    case 'floor': {
      // The same work as a delivery without S3: tables compress (in archive order, in parallel)
      // while the attachments archive packs and the tables archive packs as tables are ready.
      const snapshot = await directoryTableSource(o.tablesDir).open();
      const spool = await createSpool();
      try {
        const tables = [...snapshot.tables].sort((a, b) => compareEntryNames(`${a.name}.csv.gz`, `${b.name}.csv.gz`));
        const preparing = startPreparingTables(snapshot, tables, spool);
        async function* ready(): AsyncGenerator<PackableEntry> {
          for (const p of preparing.each) {
            const t = await p;
            yield { name: t.name, size: t.size, open: () => t.open(), release: () => t.release() };
          }
        }
        await Promise.all([writeArchive(await attachmentEntries(), devNull), writeArchive(ready(), devNull), preparing.all]);
      } finally {
        await spool.remove();
      }
      return { seconds: (performance.now() - started) / 1000 };
    }
    case 'pack': {
      const bytes = await writeArchive(await attachmentEntries(), o.file);
      return { seconds: (performance.now() - started) / 1000, bytes };
    }
    case 'upload': {
      // Like the boto3 side (upload_boto3.py): the client is built and has answered one
      // HeadBucket before the clock starts, so neither side's one-time setup (boto3 loads its
      // models when the client is built, the SDK imports modules on its first request) counts;
      // nor does starting the digesting threads, which a delivery does while it plans.
      const client = createS3Client({ region: 'us-east-1', endpointUrl: o.endpointUrl, expectedBucketOwner: undefined });
      await client.send(new HeadBucketCommand({ Bucket: o.bucket }));
      await startDigestThreads();
      started = performance.now();
      cpuAtStart = process.cpuUsage();
      const { size } = await stat(o.file);
      await uploadArchive({
        client,
        bucket: o.bucket,
        key: o.key,
        body: createReadStream(o.file, { highWaterMark: 1 << 20 }),
        size,
        partSize: o.partSize,
        concurrency: o.concurrency,
      });
      client.destroy();
      return { seconds: (performance.now() - started) / 1000, bytes: size };
    }
    default:
      throw new Error(`unknown stage ${stage}`);
  }
}

const result = await run();
const cpu = process.cpuUsage(cpuAtStart);
process.stdout.write(`${JSON.stringify({ ...result, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
