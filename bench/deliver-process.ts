/**
 * Delivery as a process: `npm run bench:deliver-process -- [size]` (default 384MiB; the CPU
 * figure is quoted at 1GiB).
 *
 * The command a user runs, `ion-dest deliver`, measured as a whole process (start-up, role,
 * compression, packing, upload, checks), against what the same delivery costs with standard
 * tools on the same machine, in the same run:
 *   - boto3: a Python script that uploads the archive files ion-dest delivered, with
 *     `upload_fileobj` (same keys, part size, concurrency, CRC32 with the FULL_OBJECT type,
 *     same endpoint), measured as a whole process too (Python's start-up and boto3's imports);
 *   - GNU gzip and GNU tar: each table compressed at ion-dest's gzip level, then both archives
 *     (the compressed tables, the attachments) packed with `tar -cf -` into a pipe.
 * It prints the median wall and CPU seconds of each side over ION_DEST_BENCH_ROUNDS rounds
 * (default 3; the sides alternate, each upload goes into an emptied emulator), and two ratios:
 *   time: boto3's seconds / ion-dest's seconds (target >= 0.9);
 *   CPU:  ion-dest's CPU per GiB / (boto3 + tar + gzip) CPU per GiB (target <= 1.5).
 * The last line is every figure as one JSON object.
 *
 * ION_DEST_BENCH_BIN names the ion-dest entry point to run (default bin/ion-dest.mjs; e.g. an
 * installed package's node_modules/.bin/ion-dest); it runs under this benchmark's Node.
 * ION_DEST_BENCH_TABLES=csv.gz gzips the tables before the clock starts, so ion-dest packs them as
 * they are and both sides move the same bytes with no compression in between: the like-for-like
 * time figure (the tools' side is then tar alone).
 * ION_DEST_BENCH_EMULATOR=moto runs moto as it ships instead of the emulator with its
 * fidelity and speed layers (the default, as `ion-dest demo` and bench:delivery use it).
 */
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createS3Client } from '../aws/clients.js';
import { DEFAULT_CONCURRENCY, DEFAULT_GZIP_LEVEL, formatBytes, parseSize, type DeliveryReport } from '../delivery/index.js';
import { EMULATOR_DEFAULT_ACCOUNT, EMULATOR_ROOT_CREDENTIALS, pythonExecutable, startEmulator, type Emulator } from '../emulator/emulator.js';
import { roleArn } from '../policy/index.js';
import { processCpuSeconds } from './process-cpu.js';
import { generateSnapshot } from './synthetic-snapshot.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO_ROOT = resolve(HERE, '..');
const GiB = 2 ** 30;
const MiB = 2 ** 20;
const BUCKET = 'ion-dest-bench';
const REGION = 'us-east-1';
const TENANT = 'bench';
const JOB_ID = 'job-1';
const EXTERNAL_ID = 'ion-bench-7f3a9c2e5d1b';
/** Fixed, so every delivery of the same snapshot uploads the same bytes. */
const SNAPSHOT_TIME = '2026-01-01T00:00:00Z';
/** Rounds of the comparison (ION_DEST_BENCH_ROUNDS); medians count. */
const ROUNDS = Number(process.env.ION_DEST_BENCH_ROUNDS ?? 3);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  throw new Error(`ION_DEST_BENCH_ROUNDS is ${JSON.stringify(process.env.ION_DEST_BENCH_ROUNDS)}: a number of rounds is a whole number, 1 or more`);
}
const BIN = resolve(process.env.ION_DEST_BENCH_BIN ?? join(REPO_ROOT, 'bin', 'ion-dest.mjs'));
const PLAIN_MOTO = process.env.ION_DEST_BENCH_EMULATOR === 'moto';
const PRECOMPRESSED = process.env.ION_DEST_BENCH_TABLES === 'csv.gz';
/** Targets from the packaging issue. */
const TIME_TARGET = 0.9;
const CPU_TARGET = 1.5;

/** What run_measured.py reports for one process. */
interface Measured {
  seconds: number;
  userSeconds: number;
  systemSeconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  /** The emulator's CPU seconds while the process ran (NaN where /proc cannot be read). */
  emulatorCpuSeconds: number;
  stdout: string;
}

/**
 * Run `command` under run_measured.py (wall time, and CPU of the process and everything it
 * waited for, start-up included). stdout is kept, or read and dropped (`discard`), as when a
 * pipe carries an archive away.
 */
async function measure(emulator: Emulator, work: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; discard?: boolean } = {}): Promise<Measured> {
  const resultFile = join(work, 'measured.json');
  rmSync(resultFile, { force: true });
  const child = spawn(pythonExecutable(), [join(HERE, 'run_measured.py'), resultFile, command, ...args], {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  if (options.discard) child.stdout.resume();
  else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const emulatorBefore = processCpuSeconds(emulator.pid);
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', done);
  });
  const emulatorCpuSeconds = processCpuSeconds(emulator.pid) - emulatorBefore;
  if (code !== 0) throw new Error(`${basename(command)} ${args.join(' ')} exited with ${code}:\n${stderr}`);
  const measured = JSON.parse(readFileSync(resultFile, 'utf8')) as Omit<Measured, 'emulatorCpuSeconds' | 'stdout'>;
  return { ...measured, emulatorCpuSeconds, stdout };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median of each figure over the rounds of one side. */
function medians(runs: Measured[]) {
  const of = (name: 'seconds' | 'userSeconds' | 'systemSeconds' | 'cpuSeconds' | 'peakRssBytes' | 'emulatorCpuSeconds') => median(runs.map((r) => r[name]));
  return {
    seconds: of('seconds'),
    cpuSeconds: of('cpuSeconds'),
    userSeconds: of('userSeconds'),
    systemSeconds: of('systemSeconds'),
    peakRssMiB: of('peakRssBytes') / MiB,
    emulatorCpuSeconds: of('emulatorCpuSeconds'),
  };
}

async function main(): Promise<void> {
  const size = parseSize(process.argv[2] ?? '384MiB', 'size');
  const work = mkdtempSync(join(tmpdir(), 'ion-dest-bench-process-'));
  const emulator = await startEmulator(PLAIN_MOTO ? { fidelity: false } : {});
  try {
    const snap = generateSnapshot(join(work, 'snapshot'), size);
    if (PRECOMPRESSED) {
      for (const t of readdirSync(snap.tablesDir)) execFileSync('gzip', [`-${DEFAULT_GZIP_LEVEL}`, '-n', join(snap.tablesDir, t)]);
    }
    const tableFiles = readdirSync(snap.tablesDir).sort();
    const gzipDir = join(work, 'gzip');
    const archivesDir = join(work, 'archives');
    mkdirSync(gzipDir);
    mkdirSync(archivesDir);
    const admin = createS3Client({ region: REGION, endpointUrl: emulator.url, credentials: EMULATOR_ROOT_CREDENTIALS, expectedBucketOwner: undefined });
    const emptyBucket = async (): Promise<void> => {
      await emulator.reset();
      await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
    };
    // Both clients sign with the emulator's root credentials; IAM enforcement stays off, so the
    // AssumeRole ion-dest makes (a role in the bucket owner's account) is granted.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: EMULATOR_ROOT_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_ROOT_CREDENTIALS.secretAccessKey,
      AWS_REGION: REGION,
    };
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    const deliverArgs = [
      BIN, 'deliver',
      '--role-arn', roleArn('aws', EMULATOR_DEFAULT_ACCOUNT, 'ion-bench'),
      '--external-id', EXTERNAL_ID,
      '--bucket', BUCKET,
      '--region', REGION,
      '--tenant', TENANT,
      '--job-id', JOB_ID,
      '--tables', snap.tablesDir,
      '--attachments', snap.attachmentsDir,
      '--snapshot-time', SNAPSHOT_TIME,
      '--endpoint-url', emulator.url,
      '--json',
    ];
    const deliver = async (): Promise<Measured & { report: DeliveryReport }> => {
      await emptyBucket();
      const measured = await measure(emulator, work, process.execPath, deliverArgs, { env });
      return { ...measured, report: JSON.parse(measured.stdout) as DeliveryReport };
    };

    // A first delivery, not counted: it gives the archive files for boto3 (the very bytes
    // ion-dest uploads: the snapshot time is fixed) and warms the caches a repeated delivery
    // finds warm (the snapshot's pages, the loader's and Python's compiled files, the
    // emulator's memory).
    const first = await deliver();
    const archives = first.report.objects.map((o, i) => ({ key: o.key, size: o.size, partSize: o.uploadPartSize, file: join(archivesDir, `${i}.tar`) }));
    for (const a of archives) {
      const object = await admin.send(new GetObjectCommand({ Bucket: BUCKET, Key: a.key }));
      await pipeline(object.Body as Readable, createWriteStream(a.file));
    }
    const deliveredBytes = archives.reduce((n, a) => n + a.size, 0);
    const boto3Args = [join(HERE, 'deliver_boto3.py'), emulator.url, BUCKET, String(DEFAULT_CONCURRENCY), ...archives.flatMap((a) => [a.key, String(a.partSize), a.file])];
    // One shell runs gzip once per table (as ion-dest compresses each table into its own entry)…
    const gzipArgs = ['-c', `out=$1; shift; for f; do gzip -${DEFAULT_GZIP_LEVEL} -n -c "$f" > "$out/$(basename "$f").gz" || exit 1; done`, 'sh', gzipDir, ...tableFiles.map((t) => join(snap.tablesDir, t))];
    // …then GNU tar packs the compressed tables and the attachments, ion-dest's two archives, into a
    // pipe this process drains (GNU tar skips reading the files when its archive is /dev/null).
    const tarArgs = ['-c', 'tar -cf - -C "$1" . && tar -cf - -C "$2" .', 'sh', PRECOMPRESSED ? snap.tablesDir : gzipDir, snap.attachmentsDir];

    const ions: Measured[] = [];
    const boto3s: Measured[] = [];
    const gzips: Measured[] = [];
    const tars: Measured[] = [];
    const startups: Measured[] = [];
    const runIonDest = async () => {
      const run = await deliver();
      if (run.report.deliveredBytes !== first.report.deliveredBytes) {
        throw new Error(`a delivery wrote ${run.report.deliveredBytes} bytes, the first ${first.report.deliveredBytes}: the comparison needs the same bytes`);
      }
      ions.push(run);
    };
    const runBoto3 = async () => {
      await emptyBucket();
      boto3s.push(await measure(emulator, work, pythonExecutable(), boto3Args, { env }));
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? [runIonDest, runBoto3] : [runBoto3, runIonDest]) await side();
      if (!PRECOMPRESSED) gzips.push(await measure(emulator, work, 'sh', gzipArgs));
      tars.push(await measure(emulator, work, 'sh', tarArgs, { discard: true }));
      startups.push(await measure(emulator, work, process.execPath, [BIN, '--version'], { env }));
    }
    admin.destroy();

    const ion = medians(ions);
    const boto3 = medians(boto3s);
    const gzip = PRECOMPRESSED ? { seconds: 0, cpuSeconds: 0, userSeconds: 0, systemSeconds: 0, peakRssMiB: 0, emulatorCpuSeconds: 0 } : medians(gzips);
    const tar = medians(tars);
    const startup = medians(startups);
    const gib = size / GiB;
    const perGiB = (seconds: number) => seconds / gib;
    const baselineCpu = boto3.cpuSeconds + tar.cpuSeconds + gzip.cpuSeconds;
    const figures = {
      sizeBytes: size,
      sourceBytes: first.report.sourceBytes,
      deliveredBytes,
      archives: archives.map((a) => ({ key: a.key, bytes: a.size, partSizeBytes: a.partSize })),
      concurrency: DEFAULT_CONCURRENCY,
      gzipLevel: DEFAULT_GZIP_LEVEL,
      tables: PRECOMPRESSED ? 'csv.gz' : 'csv',
      rounds: ROUNDS,
      bin: relative(REPO_ROOT, BIN) || BIN,
      emulator: PLAIN_MOTO ? 'moto' : 'moto with the fidelity and speed layers',
      ionDest: ion,
      boto3,
      gzip,
      tar,
      ionDestVersion: startup,
      timeRatio: boto3.seconds / ion.seconds,
      timeTarget: TIME_TARGET,
      cpuPerGiB: {
        ionDest: perGiB(ion.cpuSeconds),
        baseline: perGiB(baselineCpu),
        boto3: perGiB(boto3.cpuSeconds),
        tar: perGiB(tar.cpuSeconds),
        gzip: perGiB(gzip.cpuSeconds),
      },
      cpuRatio: ion.cpuSeconds / baselineCpu,
      cpuTarget: CPU_TARGET,
      cpuRatioWithoutGzip: ion.cpuSeconds / (boto3.cpuSeconds + tar.cpuSeconds),
    };
    const f = (n: number, d = 2) => n.toFixed(d);
    const side = (name: string, m: ReturnType<typeof medians>) =>
      `  ${name}: ${f(m.seconds)} s, CPU ${f(m.cpuSeconds)} s (user ${f(m.userSeconds)}, system ${f(m.systemSeconds)}), peak RSS ${f(m.peakRssMiB, 0)} MiB; emulator CPU meanwhile ${f(m.emulatorCpuSeconds)} s`;
    process.stdout.write(
      [
        `snapshot: ${formatBytes(size)} (${snap.tables} ${PRECOMPRESSED ? 'tables gzipped beforehand (.csv.gz, packed as they are)' : 'CSV tables'}, ${snap.attachments} attachments); ion-dest delivers ${archives.length} archives of ${formatBytes(deliveredBytes)} (${archives.map((a) => formatBytes(a.size)).join(' + ')}), ${formatBytes(archives[0]?.partSize ?? 0)} parts, concurrency ${DEFAULT_CONCURRENCY}, CRC32 FULL_OBJECT`,
        `emulator: ${figures.emulator}, IAM enforcement off; both clients sign with its root credentials`,
        `ion-dest: node ${figures.bin} deliver --tables --attachments --json, the whole process (start-up, AssumeRole, ${PRECOMPRESSED ? '' : `gzip -${DEFAULT_GZIP_LEVEL} of each table, `}packing, upload, checks)`,
        `boto3: python3 deliver_boto3.py, the whole process (start-up, import boto3, upload_fileobj of the same ${archives.length} archive files one after the other: same keys, part size, concurrency, CRC32 FULL_OBJECT, endpoint)`,
        PRECOMPRESSED ? 'GNU tar: tar -cf - of the gzipped tables and of the attachments into a pipe (the entries of ion-dest\'s two archives); no upload' : `gzip + GNU tar: gzip -${DEFAULT_GZIP_LEVEL} -n of each table to a file, then tar -cf - of the compressed tables and of the attachments into a pipe (the entries of ion-dest's two archives); no upload`,
        `medians of ${ROUNDS} round(s), sides alternating, each upload into an emptied emulator, after one delivery not counted:`,
        side('ion-dest deliver', ion),
        side('boto3 upload', boto3),
        ...(PRECOMPRESSED ? [] : [side('gzip', gzip)]),
        side('GNU tar', tar),
        side('ion-dest --version', startup),
        `time: boto3 ${f(boto3.seconds)} s / ion-dest ${f(ion.seconds)} s = ${f(figures.timeRatio)} (target >= ${TIME_TARGET})`,
        `CPU per GiB of snapshot: ion-dest ${f(figures.cpuPerGiB.ionDest)} s / (boto3 ${f(figures.cpuPerGiB.boto3)} + GNU tar ${f(figures.cpuPerGiB.tar)} + gzip ${f(figures.cpuPerGiB.gzip)} = ${f(figures.cpuPerGiB.baseline)} s) = ${f(figures.cpuRatio)} (target <= ${CPU_TARGET}); without gzip on the tools' side: ${f(figures.cpuRatioWithoutGzip)}`,
        JSON.stringify(figures),
      ].join('\n') + '\n',
    );
  } finally {
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
