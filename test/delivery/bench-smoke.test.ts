import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

const run = promisify(execFile);

describe('bench:delivery smoke run', () => {
  it('runs at a tiny size and prints every figure (no timing is asserted)', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'delivery.ts'), '16MiB'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ION_DEST_BENCH_ROUNDS: '1' },
      maxBuffer: 1 << 20,
    });
    expect(stdout).toMatch(/^end to end: [\d.]+ MiB\/s .* peak RSS \d+ MiB$/m);
    expect(stdout).toMatch(/^upload stage .* boto3 upload_fileobj [\d.]+ MiB\/s, ratio [\d.]+ \(target >= 1\.0\)$/m);
    expect(stdout).toMatch(/^pipeline vs floor .* ratio [\d.]+ \(target >= 0\.8\)$/m);
    expect(stdout).toMatch(/^CPU seconds on \d+ cores: delivery [\d.]+ \+ emulator [\d.]+ \(floor [\d.]+\); upload stage [\d.]+ \+ emulator [\d.]+, boto3 [\d.]+ \+ emulator [\d.]+$/m);
    expect(stdout).toMatch(/^pipeline ceiling from that CPU: [\d.]+ of the floor with the emulator on these cores, [\d.]+ without it$/m);
    const figures = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<string, number> & { cpuSeconds: Record<string, number> };
    for (const name of ['endToEndMiBps', 'peakRssMiB', 'floorMiBps', 'pipelineToFloorRatio', 'uploadStageMiBps', 'boto3MiBps', 'uploadToBoto3Ratio', 'pipelineCeiling', 'pipelineCeilingWithoutEmulator']) {
      expect(figures[name], name).toBeGreaterThan(0);
    }
    // Every side's CPU was read (the emulator's from /proc): a missing reading is NaN, which JSON writes as null.
    for (const [name, seconds] of Object.entries(figures.cpuSeconds)) expect(seconds, name).toBeGreaterThan(0);
    expect(figures.sizeBytes).toBe(16 * 2 ** 20);
  });
});
