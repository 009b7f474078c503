import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('bench:delivery:pg (smoke run at a tiny size; no timing is asserted)', () => {
  it('generates a schema, delivers it to the emulator and prints every figure and the ratio to the floor', () => {
    const r = spawnSync('npx', ['--no-install', 'tsx', 'bench/delivery-postgres.ts', '--size', '2MiB', '--tables', '3', '--attachments', '256KiB'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/generated \d+ rows/);
    expect(r.stdout).toMatch(/delivered 2 object\(s\)/);
    expect(r.stdout).toMatch(/CSV read and compressed: +[\d.]+ (KiB|MiB) in [\d.]+ s, [\d.]+ MiB\/s/);
    expect(r.stdout).toMatch(/uploaded: +[\d.]+ (KiB|MiB) at [\d.]+ MiB\/s/);
    expect(r.stdout).toMatch(/peak RSS of this process: \d+ MiB/);
    expect(r.stdout).toMatch(/floor \(psql \\copy \| gzip -\d > \/dev\/null/);
    expect(r.stdout).toMatch(/ratio end to end \/ floor: \d+\.\d\d/);
  });
});
