import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

const run = promisify(execFile);

describe('bench:deliver-process smoke run', () => {
  it('runs ion-dest deliver, boto3, gzip and GNU tar at a tiny size and prints both ratios (no timing is asserted)', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'deliver-process.ts'), '8MiB'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ION_DEST_BENCH_ROUNDS: '1' },
      maxBuffer: 1 << 20,
    });
    expect(stdout).toMatch(/^snapshot: 8\.00 MiB \(\d+ CSV tables, \d+ attachments\); ion-dest delivers 2 archives of /m);
    for (const side of ['ion-dest deliver', 'boto3 upload', 'gzip', 'GNU tar', 'ion-dest --version']) {
      expect(stdout).toMatch(new RegExp(`^  ${side}: [\\d.]+ s, CPU [\\d.]+ s \\(user [\\d.]+, system [\\d.]+\\), peak RSS \\d+ MiB; emulator CPU meanwhile [\\d.]+ s$`, 'm'));
    }
    expect(stdout).toMatch(/^time: boto3 [\d.]+ s \/ ion-dest [\d.]+ s = [\d.]+ \(target >= 0\.9\)$/m);
    expect(stdout).toMatch(/^CPU per GiB of snapshot: ion-dest [\d.]+ s \/ \(boto3 [\d.]+ \+ GNU tar [\d.]+ \+ gzip [\d.]+ = [\d.]+ s\) = [\d.]+ \(target <= 1\.5\); without gzip on the tools' side: [\d.]+$/m);

    type Side = { seconds: number; cpuSeconds: number; userSeconds: number; systemSeconds: number; peakRssMiB: number };
    const figures = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<string, number> & {
      archives: { key: string; bytes: number; partSizeBytes: number }[];
      cpuPerGiB: { ionDest: number; baseline: number };
    } & Record<'ionDest' | 'boto3' | 'gzip' | 'tar' | 'ionDestVersion', Side>;
    expect(figures.sizeBytes).toBe(8 * 2 ** 20);
    expect(figures.rounds).toBe(1);
    // boto3 uploads the archives ion-dest delivered: the tables and the attachments archive.
    expect(figures.archives.map((a) => a.key).sort()).toEqual(['bench/job-1/snapshot_attachments_job-1.tar', 'bench/job-1/snapshot_tables_job-1.tar']);
    expect(figures.deliveredBytes).toBe(figures.archives.reduce((n, a) => n + a.bytes, 0));
    for (const name of ['ionDest', 'boto3', 'gzip', 'tar', 'ionDestVersion'] as const) {
      // A process that was not measured (or a NaN, which JSON writes as null) fails here.
      expect(figures[name].seconds, `${name}.seconds`).toBeGreaterThan(0);
      expect(figures[name].peakRssMiB, `${name}.peakRssMiB`).toBeGreaterThan(0);
      expect(figures[name].cpuSeconds, `${name}.cpuSeconds`).toBeCloseTo(figures[name].userSeconds + figures[name].systemSeconds, 6);
    }
    // Node's start-up alone costs CPU time; gzip or tar may round to nothing on a tiny snapshot.
    expect(figures.ionDest.cpuSeconds).toBeGreaterThan(0);
    expect(figures.boto3.cpuSeconds).toBeGreaterThan(0);
    for (const name of ['timeRatio', 'cpuRatio', 'cpuRatioWithoutGzip']) expect(figures[name], name).toBeGreaterThan(0);
    expect(figures.cpuRatio).toBeCloseTo(figures.cpuPerGiB.ionDest / figures.cpuPerGiB.baseline, 9);
    expect(figures.timeRatio).toBeCloseTo(figures.boto3.seconds / figures.ionDest.seconds, 9);
  }, 300_000);
});
