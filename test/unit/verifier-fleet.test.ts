import { describe, expect, it } from 'vitest';
import { roleArn } from '../../policy/index.js';
import { parseFleet } from '../../verifier/fleet.js';
import { problemsOf } from '../helpers/input-problems.js';
import { identityEnv, runCli } from '../helpers/run-cli.js';

const ROLE = roleArn('aws', '444455556666', 'ion-delivery');


describe('parseFleet', () => {
  it('reads CSV with snake_case, camelCase or kebab-case headers, skipping blank lines and comments', () => {
    const csv = `# destinations\nrole_arn,externalId,bucket,Region,tenant,expected-bucket-owner\n${ROLE},ion-acme-7f3a9c,acme-ion-snapshots,us-east-1,acme,\n\n${ROLE},ion-b-1234,b-ion-snapshots,eu-west-1,b,444455556666\n`;
    expect(parseFleet(csv, 'csv')).toEqual([
      { roleArn: ROLE, externalId: 'ion-acme-7f3a9c', bucket: 'acme-ion-snapshots', region: 'us-east-1', tenant: 'acme' },
      { roleArn: ROLE, externalId: 'ion-b-1234', bucket: 'b-ion-snapshots', region: 'eu-west-1', tenant: 'b', expectedBucketOwner: '444455556666' },
    ]);
  });

  it('reads a JSON array of destinations', () => {
    const json = JSON.stringify([{ roleArn: ROLE, externalId: 'ion-acme-7f3a9c', bucket: 'acme-ion-snapshots', region: 'us-east-1', tenant: 'acme' }]);
    expect(parseFleet(json, 'json')).toHaveLength(1);
  });

  it('reports every bad value with its row, before any AWS call', () => {
    const csv = `role_arn,external_id,bucket,region,tenant\n${ROLE},ion-acme-7f3a9c,acme-ion-snapshots,us-east-1,acme\nnot-an-arn,x,Bad_Bucket,mars-1,../t\n`;
    expect(problemsOf(() => parseFleet(csv, 'csv')).map(({ field, value }) => ({ field, value }))).toEqual([
      { field: 'row 3 roleArn', value: 'not-an-arn' },
      { field: 'row 3 externalId', value: 'x' },
      { field: 'row 3 bucket', value: 'Bad_Bucket' },
      { field: 'row 3 region', value: 'mars-1' },
      { field: 'row 3 tenant', value: '../t' },
    ]);
  });

  it('reads tenant_prefix: true or yes in any case (JSON may use a boolean) asks for prefix-only; false, no or empty does not', () => {
    const csv = `role_arn,external_id,bucket,region,tenant,tenant_prefix\n${['TRUE', 'yes', 'false', 'No', ''].map((v) => `${ROLE},ion-acme-7f3a9c,acme-ion-snapshots,us-east-1,acme,${v}`).join('\n')}\n`;
    expect(parseFleet(csv, 'csv').map((d) => d.tenantPrefix)).toEqual([true, true, undefined, undefined, undefined]);
    const row = { roleArn: ROLE, externalId: 'ion-acme-7f3a9c', bucket: 'acme-ion-snapshots', region: 'us-east-1', tenant: 'acme' };
    expect(parseFleet(JSON.stringify([{ ...row, tenantPrefix: true }, { ...row, tenantPrefix: false }]), 'json').map((d) => d.tenantPrefix)).toEqual([true, undefined]);
  });

  it('refuses a tenant_prefix that is neither yes nor no, naming the row', () => {
    const csv = `role_arn,external_id,bucket,region,tenant,tenant_prefix\n${ROLE},ion-acme-7f3a9c,acme-ion-snapshots,us-east-1,acme,acme\n`;
    expect(problemsOf(() => parseFleet(csv, 'csv'))).toEqual([
      { field: 'row 2 tenantPrefix', value: 'acme', rule: expect.stringContaining('tenant_prefix is true') as unknown },
    ]);
  });

  it.each([
    ['--tenant-prefix', 'true', 'tenant_prefix column'],
    ['--retired-external-id', 'ion-acme-old', 'a rotation is proved one destination at a time'],
  ])('verify refuses %s beside --fleet, before reading the file', async (flag, value, rule) => {
    const args = flag === '--tenant-prefix' ? [flag] : [flag, value];
    const run = await runCli(['verify', '--fleet', 'no-such-fleet.csv', ...args, '--json'], { exactEnv: identityEnv(undefined) });
    expect(run.code, run.stderr).toBe(2);
    const { error } = JSON.parse(run.stderr.trim().split('\n').at(-1)!) as { error: { code: string; problems: { field: string; rule: string }[] } };
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.problems).toEqual([{ field: flag, value, rule: expect.stringContaining(rule) as unknown }]);
  });

  it.each([
    ['an unknown column', 'csv', `role_arn,external_id,bucket,region,tenant,colour\n${ROLE},ion-a-1234,abc,us-east-1,t,red\n`, 'row 2 column'],
    ['a missing column', 'csv', `role_arn,bucket,region,tenant\n${ROLE},abc,us-east-1,t\n`, 'row 2 externalId'],
    ['an empty file', 'csv', 'role_arn,external_id,bucket,region,tenant\n', '--fleet'],
    ['JSON that is not a list', 'json', '{"roleArn": "x"}', '--fleet'],
    ['broken JSON', 'json', '[{', '--fleet'],
    ['a region outside the role partition', 'json', JSON.stringify([{ roleArn: ROLE, externalId: 'ion-a-1234', bucket: 'abc', region: 'cn-north-1', tenant: 't' }]), '[0] region'],
  ] as const)('rejects %s', (_name, format, text, field) => {
    expect(problemsOf(() => parseFleet(text, format)).map((p) => p.field)).toContain(field);
  });
});
