/**
 * Start-up benchmark: how long the installed `ion-dest --version` and `ion-dest verify --help`
 * take, next to a bare `node -e 0` on the same machine in the same run. The package is packed
 * (`npm pack`, which builds dist/) and installed with `npm install <tarball>` into an empty
 * temporary folder, as a user installs it; the three commands then run in turn, the order
 * rotating each round so that none always runs on a warmer or a busier machine, and each
 * figure is the median. Target: each command within 5x of `node -e 0`.
 *
 * Usage: npm run bench:startup [-- --runs 21] [--installed FOLDER]
 *   --installed  a folder where the tarball is already installed (its node_modules/ion-dest);
 *                skips packing and installing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_RATIO = 5;

/** npm's own variables (set by `npm run`) would configure the nested npm, the project's folder included. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** Pack the repository and install the tarball into a new folder; returns that folder. */
function packAndInstall(work: string): string {
  const packed = npm(['pack', '--json', '--pack-destination', work], ROOT);
  const [info] = JSON.parse(packed.slice(packed.indexOf('[\n'))) as { filename: string }[];
  const app = join(work, 'consumer');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'ion-dest-startup-bench', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, info!.filename)], app);
  return app;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of one run of `node <args>`, in milliseconds; output discarded. */
function timeOnce(args: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, env: cleanEnv(), stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}`);
  return ms;
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' }, installed: { type: 'string' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: a whole number of at least 1`);

const work = values.installed ? undefined : mkdtempSync(join(tmpdir(), 'ion-dest-startup-'));
try {
  const packStart = Date.now();
  const app = values.installed ?? packAndInstall(work as string);
  if (!values.installed) process.stdout.write(`packed and installed in ${((Date.now() - packStart) / 1000).toFixed(1)} s into a temporary folder\n`);
  const bin = join(app, 'node_modules', 'ion-dest', 'bin', 'ion-dest.mjs');
  const version = (JSON.parse(readFileSync(join(app, 'node_modules', 'ion-dest', 'package.json'), 'utf8')) as { version: string }).version;

  const cases = [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: 'ion-dest --version', args: [bin, '--version'] },
    { name: 'ion-dest verify --help', args: [bin, 'verify', '--help'] },
  ];
  const times = cases.map(() => [] as number[]);
  // One unrecorded round first: the file system cache is warm for every case alike.
  for (const c of cases) timeOnce(c.args, app);
  for (let round = 0; round < runs; round += 1) {
    for (let k = 0; k < cases.length; k += 1) {
      const i = (round + k) % cases.length;
      times[i]!.push(timeOnce(cases[i]!.args, app));
    }
  }

  const base = median(times[0]!);
  process.stdout.write(`ion-dest ${version}, Node ${process.version}, ${runs} alternating runs each, medians:\n`);
  let within = true;
  cases.forEach((c, i) => {
    const m = median(times[i]!);
    const ratio = m / base;
    if (i > 0 && ratio > TARGET_RATIO) within = false;
    const verdict = i === 0 ? '' : `  ${ratio.toFixed(2)}x node -e 0 (target ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? 'met' : 'missed'})`;
    process.stdout.write(`  ${c.name.padEnd(24)} ${m.toFixed(0).padStart(6)} ms  (min ${Math.min(...times[i]!).toFixed(0)}, max ${Math.max(...times[i]!).toFixed(0)})${verdict}\n`);
  });
  process.stdout.write(within ? `both within ${TARGET_RATIO}x of node -e 0\n` : `not within ${TARGET_RATIO}x of node -e 0\n`);
} finally {
  if (work) rmSync(work, { recursive: true, force: true });
}
