import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { archiveKey } from '../../delivery/index.js';
import type { DemoSummary } from '../../demo/summary.js';
import { AUDIT_CHECK_IDS, CHECK_IDS } from '../../verifier/index.js';
import { CLI_FROM_SOURCE } from '../helpers/run-cli.js';

/** A running `ion-dest` whose output can be awaited: both streams together, and stdout alone. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  stdout: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
}

/** Start the real `ion-dest` program (from its sources) in a child process. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): RunningCli {
  const child = spawn(process.execPath, [...CLI_FROM_SOURCE, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let output = '';
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const waitFor = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(output);
      if (match) return match;
      if (child.exitCode !== null) throw new Error(`ion-dest exited with ${child.exitCode} before printing ${pattern}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, output: () => output, stdout: () => stdout, waitFor };
}

/** The child's exit code, once it has exited. */
export async function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/** Resolves true when something accepts a TCP connection on the loopback port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The port of an `http://127.0.0.1:PORT` endpoint. */
export function portOf(url: string | undefined): number {
  const port = Number(new URL(url ?? 'http://invalid').port);
  expect(port).toBeGreaterThan(0);
  return port;
}

/** The temporary folder names the summary says were removed; each must be gone. */
export function expectTemporaryFoldersRemoved(cleanup: readonly string[]): void {
  const removed = cleanup.flatMap((line) => /^removed the temporary folder (\S+)$/.exec(line)?.[1] ?? []);
  expect(removed).toHaveLength(1);
  for (const name of removed) expect(existsSync(join(tmpdir(), name))).toBe(false);
}

/**
 * What every successful demo summary must show: each step ran and passed, every verify
 * and audit check passed, the two archives landed under the documented keys with the
 * delivered sizes.
 */
export function expectCompleteRun(summary: DemoSummary, expectedSteps: readonly string[]): void {
  expect(summary.ok).toBe(true);
  expect(summary.failed).toBeUndefined();
  expect(summary.steps.map((s) => [s.id, s.status])).toEqual(expectedSteps.map((id) => [id, 'ok']));

  expect(summary.verify?.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
  expect(summary.verify?.checks.filter((c) => c.status !== 'pass')).toEqual([]);
  expect(summary.audit?.checks.map((c) => c.id)).toEqual([...AUDIT_CHECK_IDS]);
  expect(summary.audit?.checks.filter((c) => c.status !== 'pass')).toEqual([]);

  const { tenant, jobId } = summary;
  const keys = summary.delivery?.objects.map((o) => o.key).sort();
  expect(keys).toEqual([archiveKey(tenant, jobId, 'attachments'), archiveKey(tenant, jobId, 'tables')].sort());
  for (const key of keys ?? []) expect(key).toMatch(/^acme\/demo-\d{8}T\d{6}Z\/snapshot_(tables|attachments)_demo-\d{8}T\d{6}Z\.tar$/);
  expect(summary.delivery?.tables).toBe(3);
  expect(summary.delivery?.attachments).toBe(4);
  expect(summary.listed).toEqual(
    summary.delivery?.objects.map((o) => ({ key: o.key, size: o.size })).sort((a, b) => a.key.localeCompare(b.key)),
  );
  expect(summary.deployed?.accountId).toBe(summary.customer?.accountId);
  expect(summary.vendor?.accountId).not.toBe(summary.customer?.accountId);
}
