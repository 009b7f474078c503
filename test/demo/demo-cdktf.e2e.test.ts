import { describe, expect, it } from 'vitest';
import { plannedSteps } from '../../demo/run-demo.js';
import type { DemoSummary } from '../../demo/summary.js';
import { STACK_NAME } from '../../stacks/cdktf/destination-stack.js';
import { CUSTOMER_ACCOUNT_ID } from '../../emulator/accounts.js';
import { runCli } from '../helpers/run-cli.js';
import { expectCompleteRun, expectTemporaryFoldersRemoved, isListening, portOf } from './demo-helpers.js';

/** `cdktf deploy` synthesizes, installs the provider from the mirror and applies: the slow path. */
const CDKTF_DEMO_TIMEOUT_MS = 280_000;

describe('ion-dest demo --method cdktf', () => {
  it(
    'deploys the customer stack with cdktf deploy offline, then verifies, delivers and audits it',
    async () => {
      const result = await runCli(['demo', '--method', 'cdktf', '--json'], { timeoutMs: CDKTF_DEMO_TIMEOUT_MS });
      expect(result.code, result.stderr.slice(-4000)).toBe(0);
      const summary = JSON.parse(result.stdout) as DemoSummary;
      expectCompleteRun(summary, plannedSteps({ target: { kind: 'emulator', region: 'us-east-1' }, method: 'cdktf', keepRunning: false }));
      // The same names as the CloudFormation path: the docs' world.
      expect(summary.deployed).toEqual({
        method: 'cdktf',
        stackName: STACK_NAME,
        roleArn: 'arn:aws:iam::444455556666:role/ion-delivery',
        roleName: 'ion-delivery',
        accountId: CUSTOMER_ACCOUNT_ID,
        bucket: 'acme-ion-snapshots',
        bucketRegion: 'us-east-1',
      });
      expect(result.stderr).toMatch(/Apply complete! Resources: \d+ added/);
      expect(await isListening(portOf(summary.endpointUrl))).toBe(false);
      expectTemporaryFoldersRemoved(summary.cleanup);
    },
    CDKTF_DEMO_TIMEOUT_MS + 20_000,
  );
});
