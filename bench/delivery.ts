/**
 * Delivery benchmark: `npm run bench:delivery -- [size]` (default 1GiB; e.g. 4GiB, 64MiB).
 *
 * Generates a synthetic snapshot of about `size` bytes (70% CSV tables, 30% attachments),
 * starts the local emulator, and prints, from one run:
 *   - end to end: MiB/s of source data through deliverSnapshot, and its peak RSS;
 *   - the upload stage alone (uploadArchive on one archive file) against boto3's managed
 *     transfer (upload_fileobj) of the same file, same part size, concurrency and endpoint;
 *   - the whole pipeline against its floor: compressing and packing the same snapshot to
 *     the null device with no upload.
 *   - where the CPU went: each side's CPU seconds and the emulator's (it shares this
 *     machine's cores), and from them the best pipeline/floor ratio the run allowed.
 * Each stage runs in its own process so peak RSS is the stage's own; comparisons alternate
 * their sides for ION_DEST_BENCH_ROUNDS rounds (default 2) and keep the best of each. The
 * last line is the figures as one JSON object.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createS3Client } from '../aws/clients.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, formatBytes, parseSize } from '../delivery/index.js';
import { roleArn } from '../policy/index.js';
import { EMULATOR_DEFAULT_ACCOUNT, EMULATOR_ROOT_CREDENTIALS, pythonExecutable, startEmulator, type Emulator } from '../emulator/emulator.js';
import { processCpuSeconds } from './process-cpu.js';
import { generateSnapshot } from './synthetic-snapshot.js';

const run = promisify(execFile);
const HERE = fileURLToPath(new URL('.', import.meta.url));
const MiB = 2 ** 20;
const BUCKET = 'ion-dest-bench';
/** Rounds of each comparison (ION_DEST_BENCH_ROUNDS); the best of each side counts. */
const ROUNDS = Math.max(1, Number(process.env.ION_DEST_BENCH_ROUNDS ?? 2));

/** Run `work` and add the CPU seconds the emulator spent meanwhile. */
async function withEmulatorCpu<T extends object>(emulator: Emulator, work: () => Promise<T>): Promise<T & { emulatorCpuSeconds: number }> {
  const before = processCpuSeconds(emulator.pid);
  const result = await work();
  return { ...result, emulatorCpuSeconds: processCpuSeconds(emulator.pid) - before };
}

/** What a stage prints (bench-stage.ts). */
interface StageOutput {
  seconds: number;
  /** CPU seconds of the stage's process (every thread) during `seconds`. */
  cpuSeconds: number;
  peakRssBytes: number;
  [k: string]: unknown;
}

type StageResult = StageOutput & { emulatorCpuSeconds: number };

async function stage(emulator: Emulator, name: string, options: Record<string, unknown>): Promise<StageResult> {
  return withEmulatorCpu(emulator, async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(HERE, 'bench-stage.ts'), name, JSON.stringify(options)], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: EMULATOR_ROOT_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: EMULATOR_ROOT_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' },
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) as string) as StageOutput;
  });
}

async function main(): Promise<void> {
  const size = parseSize(process.argv[2] ?? '1GiB', 'size');
  const work = mkdtempSync(join(tmpdir(), 'ion-dest-bench-'));
  const emulator = await startEmulator();
  try {
    const snap = generateSnapshot(join(work, 'snapshot'), size);
    const s3 = createS3Client({ region: 'us-east-1', endpointUrl: emulator.url, credentials: EMULATOR_ROOT_CREDENTIALS, expectedBucketOwner: undefined });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
    const common = {
      tablesDir: snap.tablesDir,
      attachmentsDir: snap.attachmentsDir,
      endpointUrl: emulator.url,
      bucket: BUCKET,
      roleArn: roleArn('aws', EMULATOR_DEFAULT_ACCOUNT, 'ion-bench'),
      partSize: DEFAULT_PART_SIZE,
      concurrency: DEFAULT_CONCURRENCY,
      file: join(work, 'attachments.tar'),
      key: 'bench/upload-stage/ion-dest.tar',
    };
    process.stdout.write(`snapshot: ${formatBytes(size)} (${snap.tables} CSV tables, ${snap.attachments} attachments)\n`);

    // The machine may be shared: stages alternate and each figure is the best of its rounds,
    // so a burst of someone else's load does not land on one side of a comparison only.
    const resetBucket = async (): Promise<void> => {
      await emulator.reset();
      const client = createS3Client({ region: 'us-east-1', endpointUrl: emulator.url, credentials: EMULATOR_ROOT_CREDENTIALS, expectedBucketOwner: undefined });
      await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
      client.destroy();
    };
    const best = <T extends { seconds: number }>(runs: T[]): T => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const delivers: StageResult[] = [];
    const floors: StageResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      delivers.push(await stage(emulator, 'deliver', common));
      await resetBucket();
      floors.push(await stage(emulator, 'floor', common));
    }
    const deliver = best(delivers);
    const floor = best(floors);
    const packed = await stage(emulator, 'pack', common);
    const nodes: StageResult[] = [];
    const boto3s: { seconds: number; bytes: number; cpuSeconds: number; emulatorCpuSeconds: number }[] = [];
    const uploadWithNode = async () => nodes.push(await stage(emulator, 'upload', common));
    const uploadWithBoto3 = async () =>
      boto3s.push(
        await withEmulatorCpu(emulator, async () => {
          const { stdout } = await run(pythonExecutable(), [
            join(HERE, 'upload_boto3.py'), emulator.url, BUCKET, 'bench/upload-stage/boto3.tar', common.file, String(common.partSize), String(common.concurrency),
          ]);
          return JSON.parse(stdout.trim()) as { seconds: number; bytes: number; cpuSeconds: number };
        }),
      );
    for (let round = 0; round < ROUNDS; round++) {
      // Each side uploads into an emptied emulator, and the sides take turns going first: the
      // server grows its memory for the first upload it holds, which costs it CPU.
      for (const upload of round % 2 === 0 ? [uploadWithNode, uploadWithBoto3] : [uploadWithBoto3, uploadWithNode]) {
        await resetBucket();
        await upload();
      }
    }
    const node = best(nodes);
    const boto3 = best(boto3s);
    const peakRss = Math.max(...delivers.map((d) => d.peakRssBytes));

    const mibps = (bytes: number, seconds: number) => bytes / MiB / seconds;
    const cores = availableParallelism();
    const figures = {
      sizeBytes: size,
      endToEndMiBps: mibps(deliver.sourceBytes as number, deliver.seconds),
      endToEndSeconds: deliver.seconds,
      peakRssMiB: peakRss / MiB,
      rounds: ROUNDS,
      floorMiBps: mibps(deliver.sourceBytes as number, floor.seconds),
      floorPeakRssMiB: floor.peakRssBytes / MiB,
      pipelineToFloorRatio: floor.seconds / deliver.seconds,
      uploadStageBytes: packed.bytes,
      uploadStageMiBps: mibps(node.bytes as number, node.seconds),
      uploadStagePeakRssMiB: Math.max(...nodes.map((n) => n.peakRssBytes)) / MiB,
      boto3MiBps: mibps(boto3.bytes, boto3.seconds),
      uploadToBoto3Ratio: boto3.seconds / node.seconds,
      deliveredMiB: (deliver.deliveredBytes as number) / MiB,
      cpuSeconds: {
        deliver: deliver.cpuSeconds,
        deliverEmulator: deliver.emulatorCpuSeconds,
        floor: floor.cpuSeconds,
        upload: node.cpuSeconds,
        uploadEmulator: node.emulatorCpuSeconds,
        boto3: boto3.cpuSeconds,
        boto3Emulator: boto3.emulatorCpuSeconds,
      },
      // However well the work overlaps, the delivery cannot take less wall time than the CPU
      // it and the emulator spent, spread over every core: the best ratio this run allowed.
      pipelineCeiling: floor.seconds / ((deliver.cpuSeconds + deliver.emulatorCpuSeconds) / cores),
      // The same bound if the destination took none of this machine's CPU, as S3 takes none.
      pipelineCeilingWithoutEmulator: floor.seconds / (deliver.cpuSeconds / cores),
      cores,
      stageMarks: deliver.marks,
      partSizeMiB: common.partSize / MiB,
      concurrency: common.concurrency,
    };
    const f = (n: number, d = 1) => n.toFixed(d);
    process.stdout.write(
      [
        `end to end: ${f(figures.endToEndMiBps)} MiB/s (${f(deliver.seconds)} s, best of ${ROUNDS}), peak RSS ${f(figures.peakRssMiB, 0)} MiB`,
        `upload stage (${formatBytes(packed.bytes as number)} archive, ${figures.partSizeMiB} MiB parts, concurrency ${figures.concurrency}): ion-dest ${f(figures.uploadStageMiBps)} MiB/s, boto3 upload_fileobj ${f(figures.boto3MiBps)} MiB/s, ratio ${f(figures.uploadToBoto3Ratio, 2)} (target >= 1.0)`,
        `pipeline vs floor (compress + pack to ${'the null device'}, no upload: ${f(figures.floorMiBps)} MiB/s): ratio ${f(figures.pipelineToFloorRatio, 2)} (target >= 0.8)`,
        `CPU seconds on ${cores} cores: delivery ${f(deliver.cpuSeconds)} + emulator ${f(deliver.emulatorCpuSeconds)} (floor ${f(floor.cpuSeconds)}); upload stage ${f(node.cpuSeconds)} + emulator ${f(node.emulatorCpuSeconds)}, boto3 ${f(boto3.cpuSeconds)} + emulator ${f(boto3.emulatorCpuSeconds)}`,
        `pipeline ceiling from that CPU: ${f(figures.pipelineCeiling, 2)} of the floor with the emulator on these cores, ${f(figures.pipelineCeilingWithoutEmulator, 2)} without it`,
        JSON.stringify(figures),
      ].join('\n') + '\n',
    );
  } finally {
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
