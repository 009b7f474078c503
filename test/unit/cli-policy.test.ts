import { describe, expect, it } from 'vitest';
import { contractDocument } from '../fixtures/contract.js';
import { runCli } from '../helpers/run-cli.js';

describe('ion-dest policy', () => {
  it('prints the contract trust policy', async () => {
    const r = await runCli(['policy', 'trust', '--trusted-account', '111122223333', '--external-id', 'ion-acme-1']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(contractDocument('trust-policy', { frAccountId: '111122223333', externalId: 'ion-acme-1' }));
  });

  it('prints the contract permission policy, partition from a GovCloud region', async () => {
    const r = await runCli(['policy', 'permissions', '--bucket', 'acme-snaps', '--region', 'us-gov-west-1']);
    expect(r.code).toBe(0);
    const expected = JSON.stringify(contractDocument('permission-policy', { bucket: 'acme-snaps' })).replaceAll('arn:aws:', 'arn:aws-us-gov:');
    expect(JSON.stringify(JSON.parse(r.stdout))).toBe(expected);
  });

  it('rejects bad input with exit 2, naming every bad field, value and rule', async () => {
    const r = await runCli(['policy', 'trust', '--trusted-account', '12345', '--external-id', 'x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Invalid --trusted-account "12345": an AWS account ID is exactly 12 digits');
    expect(r.stderr).toContain('Invalid --external-id "x": an external ID is 2 to 1224 characters');
  });

  it('rejects an unknown flag with exit 2 before running the command', async () => {
    const r = await runCli(['policy', 'trust', '--trusted-account', '111122223333', '--external-id', 'ok-id', '--nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Unknown argument: nope');
  });
});
