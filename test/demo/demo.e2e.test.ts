import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveKey } from '../../delivery/index.js';
import { plannedSteps } from '../../demo/run-demo.js';
import type { DemoSummary } from '../../demo/summary.js';
import { CUSTOMER_ACCOUNT_ID } from '../../emulator/accounts.js';
import { runCli } from '../helpers/run-cli.js';
import { exitOf, expectCompleteRun, expectTemporaryFoldersRemoved, isListening, portOf, startCli } from './demo-helpers.js';

/**
 * `ion-dest demo` run as a user runs it: the real program in a child process, which
 * starts its own emulator. Each test checks that the emulator is gone afterwards.
 */
const EMULATOR_STEPS = plannedSteps({ target: { kind: 'emulator', region: 'us-east-1' }, method: 'cloudformation', keepRunning: false });

describe('ion-dest demo on the local emulator', () => {
  it('runs every step, passes every verify and audit check, delivers the documented layout, and stops the emulator', async () => {
    const result = await runCli(['demo', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as DemoSummary;
    expectCompleteRun(summary, EMULATOR_STEPS);
    expect(summary).toMatchObject({ target: 'emulator', method: 'cloudformation', region: 'us-east-1' });
    // The docs' world: the names every example in the docs uses.
    expect(summary.deployed).toEqual({
      method: 'cloudformation',
      stackName: 'ion-dest-demo',
      roleArn: 'arn:aws:iam::444455556666:role/ion-delivery',
      roleName: 'ion-delivery',
      accountId: CUSTOMER_ACCOUNT_ID,
      bucket: 'acme-ion-snapshots',
      bucketRegion: 'us-east-1',
    });
    expect(summary).toMatchObject({ externalId: 'ion-acme-7f3a9c', tenant: 'acme' });
    expect(summary.vendor?.arn).toBe('arn:aws:iam::111122223333:user/ion-delivery');
    expect(summary.customer?.arn).toBe('arn:aws:iam::444455556666:user/acme-admin');
    expect(summary.explore).toBeUndefined();

    // Each step is announced as it starts, in order, and the checklists are printed.
    const headings = [...result.stderr.matchAll(/^\[(\d+)\/(\d+)\] /gm)].map((m) => `${m[1]}/${m[2]}`);
    expect(headings).toEqual(EMULATOR_STEPS.map((_, i) => `${i + 1}/${EMULATOR_STEPS.length}`));
    expect(result.stderr).toMatch(/OK: 13 passed, 0 failed, 0 warnings, 0 skipped/);
    expect(result.stderr).toMatch(/OK: 9 passed, 0 failed, 0 warnings, 0 skipped/);
    expect(result.stderr).toContain(`uploaded ${archiveKey(summary.tenant, summary.jobId, 'tables')}`);

    expect(await isListening(portOf(summary.endpointUrl))).toBe(false);
    expect(summary.cleanup).toContain(`stopped the emulator at ${summary.endpointUrl}`);
    expectTemporaryFoldersRemoved(summary.cleanup);
  });

  it('Ctrl-C in the middle of a step stops the emulator, removes the temporary files and exits 130', async () => {
    const run = startCli(['demo']);
    try {
      const endpointUrl = (await run.waitFor(/listening at (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
      await run.waitFor(/^\[3\/\d+\] Deploy/m);
      run.child.kill('SIGINT');
      expect(await exitOf(run.child), run.output()).toBe(130);
      expect(run.output()).toContain(`stopped the emulator at ${endpointUrl}`);
      expect(run.output()).toContain('error [DEMO_INTERRUPTED]');
      const folder = /removed the temporary folder (\S+)/.exec(run.output())?.[1];
      expect(folder).toBeDefined();
      expect(existsSync(join(tmpdir(), folder!))).toBe(false);
      expect(await isListening(portOf(endpointUrl))).toBe(false);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('a failed step exits 1 naming the step, with cause and fix, and still cleans up', async () => {
    const missing = join(tmpdir(), 'ion-dest-no-such-python', 'python3');
    const result = await runCli(['demo'], { env: { ION_DEST_PYTHON: missing } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^\[1\/10\] Start the local AWS emulator/m);
    expect(result.stdout).toMatch(/^Summary: FAILED/m);
    expect(result.stderr).toContain('error: step 1/10 "Start the local AWS emulator (moto with the fidelity layer)" failed');
    expect(result.stderr).toContain(`error [EMULATOR_START_FAILED]: Could not start moto with ${missing}`);
    expect(result.stderr).toContain('set ION_DEST_PYTHON to the Python that has moto');
    expect(result.stderr).toMatch(/^ {2}cause: .*moto/m);
    expect(result.stderr).toMatch(/^ {2}fix: {3}Install the emulator/m);
    const folder = /removed the temporary folder (\S+)/.exec(result.stdout)?.[1];
    expect(existsSync(join(tmpdir(), folder ?? 'missing'))).toBe(false);
  });

  it('--method cdktf without the provider mirror stops at its first step, naming what is missing', async () => {
    const result = await runCli(['demo', '--method', 'cdktf'], { env: { ION_DEST_PROVIDER_MIRROR: '' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^\[1\/11\] Check the tools cdktf deploy needs offline\n {6}FAILED/m);
    expect(result.stdout).not.toContain('[2/11]');
    expect(result.stderr).toContain('error [DEPLOY_TOOL_MISSING]: --method cdktf needs what is missing here: ION_DEST_PROVIDER_MIRROR (unset) is not a folder');
    expect(result.stderr).toMatch(/^ {2}fix: {3}Install Terraform 1\.9 or later/m);
  });

  it('bad or conflicting flags exit 2 before anything starts, each problem named', async () => {
    const [conflicting, badMethod] = await Promise.all([
      runCli(['demo', '--vendor-profile', 'fr', '--keep-running', '--trusted-account', '1111', '--tenant', '../etc']),
      runCli(['demo', '--method', 'pulumi']),
    ]);
    expect(conflicting.code).toBe(2);
    expect(conflicting.stderr).toContain('--customer-profile is missing');
    expect(conflicting.stderr).toContain('--region is missing');
    expect(conflicting.stderr).toContain('--keep-running keeps the local emulator up');
    expect(conflicting.stderr).toContain('Invalid --trusted-account "1111"');
    expect(conflicting.stderr).toContain('Invalid --tenant "../etc"');
    expect(badMethod.code).toBe(2);
    expect(badMethod.stderr).toMatch(/Choices: "cloudformation", "cdktf"/);
    for (const r of [conflicting, badMethod]) expect(r.stdout).not.toContain('[1/');
  });
});
