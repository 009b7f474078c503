import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plannedSteps } from '../../demo/run-demo.js';
import { createDemoIdentities, type DemoIdentities } from '../../demo/steps/emulator-accounts.js';
import type { DemoSummary } from '../../demo/summary.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { runCli } from '../helpers/run-cli.js';
import { expectCompleteRun, expectTemporaryFoldersRemoved } from './demo-helpers.js';

/**
 * The real-AWS path of `ion-dest demo` (two named profiles, no emulator of its own),
 * pointed at an emulator through the SDK's own AWS_ENDPOINT_URL and a shared credentials
 * file, with IAM enforcement on from the start: each side holds only the permissions the
 * README lists for it, and the stack is created under enforcement.
 */
let emulator: Emulator;
let identities: DemoIdentities;
const home = mkdtempSync(join(tmpdir(), 'ion-dest-demo-profiles-'));

beforeAll(async () => {
  emulator = await startEmulator();
  identities = await createDemoIdentities(emulator);
  await emulator.enableAuth();
  const profile = (name: string, c: { accessKeyId: string; secretAccessKey: string }) =>
    `[${name}]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\n`;
  writeFileSync(join(home, 'credentials'), `${profile('fr-delivery', identities.vendor.credentials)}${profile('acme-admin', identities.customer.credentials)}`);
  writeFileSync(join(home, 'config'), '');
});

afterAll(async () => {
  await emulator?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('ion-dest demo --vendor-profile --customer-profile', () => {
  it('deploys as the customer profile, verifies and delivers as the vendor profile, lists and audits as the customer', async () => {
    const result = await runCli(['demo', '--vendor-profile', 'fr-delivery', '--customer-profile', 'acme-admin', '--region', 'us-east-1', '--json'], {
      env: {
        AWS_ENDPOINT_URL: emulator.url,
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_PROFILE: '',
      },
    });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as DemoSummary;
    expectCompleteRun(summary, plannedSteps({ target: { kind: 'aws', vendorProfile: 'fr-delivery', customerProfile: 'acme-admin', region: 'us-east-1' }, method: 'cloudformation', keepRunning: false }));
    expect(summary.target).toBe('aws');
    expect(summary.endpointUrl).toBeUndefined();
    expect(summary.vendor).toEqual({ accountId: identities.vendor.accountId, arn: identities.vendor.arn });
    expect(summary.customer).toEqual({ accountId: identities.customer.accountId, arn: identities.customer.arn });
    expect(summary.deployed?.stackName).toMatch(/^ion-dest-demo-\d{8}T\d{6}Z$/);
    expect(result.stderr).toContain(`in AWS (us-east-1) through ${emulator.url}`);
    expect(result.stderr).toContain(`kept in AWS: stack ${summary.deployed?.stackName}, bucket ${summary.deployed?.bucket} (Retain)`);
    expectTemporaryFoldersRemoved(summary.cleanup);
  });
});
