import { describe, expect, it } from 'vitest';
import { contractDocument } from '../fixtures/contract.js';
import { EXTERNAL_ID_COUNT_RULE, REGIONS_BY_PARTITION, permissionPolicy } from '../../policy/index.js';
import { runCli } from '../helpers/run-cli.js';

describe('ion-dest regions', () => {
  it('lists the regions --region accepts, by partition, as text and as JSON', async () => {
    const text = await runCli(['regions']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('aws-us-gov: us-gov-east-1 us-gov-west-1\n');
    expect(text.stdout).toMatch(/^aws: .*\bus-east-1\b/m);
    const json = await runCli(['regions', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(REGIONS_BY_PARTITION);
  });

  it('is the list the region error points to', async () => {
    const r = await runCli(['policy', 'permissions', '--bucket', 'acme-snaps', '--region', 'mars-east-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('see `ion-dest regions`');
  });
});

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

  it('--tenant-prefix prints the prefix-narrowed permission policy of policy/', async () => {
    const r = await runCli(['policy', 'permissions', '--bucket', 'acme-snaps', '--tenant-prefix', 'acme']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(permissionPolicy({ bucket: 'acme-snaps', tenantPrefix: 'acme' }));
    expect(JSON.parse(r.stdout).Statement[0].Resource).toBe('arn:aws:s3:::acme-snaps/acme/*');
  });

  it('--tenant-prefix with a slash exits 2 naming the flag, the value and the rule', async () => {
    const r = await runCli(['policy', 'permissions', '--bucket', 'acme-snaps', '--tenant-prefix', 'acme/prod']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--tenant-prefix');
    expect(r.stderr).toContain('acme/prod');
    expect(r.stderr).toContain('a tenant is 1 to 128 characters');
  });

  it('rejects bad input with exit 2, naming every bad field, value and rule', async () => {
    const r = await runCli(['policy', 'trust', '--trusted-account', '12345', '--external-id', 'x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Invalid --trusted-account "12345": an AWS account ID is exactly 12 digits');
    expect(r.stderr).toContain('Invalid --external-id "x": an external ID is 2 to 1224 characters');
  });

  it('refuses a third --external-id: neither stack deploys a trust policy with three', async () => {
    const r = await runCli(['policy', 'trust', '--trusted-account', '111122223333', '--external-id', 'ion-acme-1', '--external-id', 'ion-acme-2', '--external-id', 'ion-acme-3']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Invalid --external-id "ion-acme-1 ion-acme-2 ion-acme-3": ${EXTERNAL_ID_COUNT_RULE}; 3 given.`);
    const two = await runCli(['policy', 'trust', '--trusted-account', '111122223333', '--external-id', 'ion-acme-1', '--external-id', 'ion-acme-2']);
    expect(two.code).toBe(0);
    expect(JSON.parse(two.stdout).Statement[0].Condition.StringEquals['sts:ExternalId']).toEqual(['ion-acme-1', 'ion-acme-2']);
  });

  it.each([
    [['--partition', 'aws', '--region', 'us-gov-west-1'], 'Invalid --region "us-gov-west-1": region us-gov-west-1 is in partition aws-us-gov, not aws'],
    [['--partition', 'aws-cn', '--region', 'us-east-1'], 'Invalid --region "us-east-1": region us-east-1 is in partition aws, not aws-cn'],
    [['--region', 'us-east-7'], 'Invalid --region "us-east-7": a region is an AWS region name'],
  ])('rejects %j with exit 2: the region and the partition must agree', async (extra, message) => {
    const r = await runCli(['policy', 'trust', '--trusted-account', '111122223333', '--external-id', 'ion-acme-1', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('rejects an unknown flag with exit 2 before running the command', async () => {
    const r = await runCli(['policy', 'trust', '--trusted-account', '111122223333', '--external-id', 'ok-id', '--nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Unknown argument: nope');
  });
});
