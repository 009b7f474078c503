import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeProblems,
  validateBucketName,
  validateExternalId,
  validateKmsKeyArn,
  validateRegion,
  validateRoleName,
  validateTrustedAccountId,
  type Validator,
} from '../../policy/index.js';
import { stringLiteral } from '../../stacks/cdktf/hcl.js';
import { VARIABLE_SPECS, type VariableName } from '../../stacks/cdktf/variables.js';
import { copyModule, makeWorkDir, runCommand, terraform, toolEnvironment, varArgs } from './terraform-harness.js';

/** Good and bad values per input; the verdict of policy/'s validator is the expected one. */
const CASES: [VariableName, Validator, string[]][] = [
  ['trusted_account_id', validateTrustedAccountId, ['111122223333', '000000000000', '11112222333', '1111222233334', '11112222333a', '']],
  [
    'external_id',
    validateExternalId,
    ['ab', 'ion-acme_7f3a', 'a+b=c,d.e@f:g/h-i', 'x'.repeat(1224), 'a', 'x'.repeat(1225), 'has space', 'semi;colon', 'ünï', ''],
  ],
  [
    'bucket_name',
    validateBucketName,
    [
      'abc', 'acme-ion-snapshots', 'a.b-c1', 'a'.repeat(63), 'my.bucket.name', 'ab', 'a'.repeat(64), 'Acme', 'acme_snap',
      '-acme', 'acme-', '.acme', 'ac..me', '192.168.5.4', 'xn--bucket', 'sthree-bucket', 'amzn-s3-demo-bucket',
      'bucket-s3alias', 'bucket--ol-s3', 'bucket.mrap', 'bucket--x-s3', 'bucket--table-s3',
    ],
  ],
  ['access_log_bucket', validateBucketName, ['acme-logs', 'Logs', 'xn--logs', '10.0.0.1']],
  [
    'kms_key_arn',
    validateKmsKeyArn,
    [
      'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws-us-gov:kms:us-gov-west-1:444455556666:key/mrk-1234abcd12ab34cd56ef1234567890ab',
      'arn:aws:kms:us-east-1:444455556666:alias/my-key',
      '1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws:kms:us-east-1:4444:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ],
  ],
  ['role_name', validateRoleName, ['IonSnapshotDelivery', 'a', 'r_o+l=e,.@-', 'x'.repeat(64), 'x'.repeat(65), 'with space', 'path/name']],
  ['region', validateRegion, ['us-east-1', 'eu-west-1', 'us-gov-west-1', 'cn-north-1', 'us-east-7', 'US-EAST-1', 'useast1']],
];

const CHECKS_OF_ONE_VARIABLE = (name: VariableName) =>
  VARIABLE_SPECS[name].checks.filter((c) => [...c.condition.matchAll(/\bvar\.(\w+)/g)].every((m) => m[1] === name));

/** Terraform's verdict: every check of the variable, with the value written in place of `var.<name>`. */
function terraformVerdictExpression(name: VariableName, value: string): string {
  const conditions = CHECKS_OF_ONE_VARIABLE(name).map((c) =>
    `(${c.condition.replace(new RegExp(`\\bvar\\.${name}\\b`, 'g'), stringLiteral(value))})`,
  );
  return conditions.join(' && ');
}

let work: ReturnType<typeof makeWorkDir>;

beforeAll(async () => {
  work = makeWorkDir('tf-validate');
  copyModule(work.dir);
  await terraform(['init', '-input=false'], work.dir);
});

afterAll(() => work?.remove());

describe('terraform on the committed module, offline', () => {
  it('`terraform validate` accepts it with no warning', async () => {
    const output = await terraform(['validate'], work.dir);
    expect(output).toContain('Success! The configuration is valid.');
    expect(output).not.toContain('Warning');
  });

  it("the variable validations judge every value as policy/'s validators do", async () => {
    const cases = CASES.flatMap(([name, validate, values]) => values.map((value) => ({ name, validate, value })));
    const optional = (name: VariableName) => VARIABLE_SPECS[name].default !== undefined;
    const expression = `jsonencode([${cases.map((c) => terraformVerdictExpression(c.name, c.value)).join(', ')}])`;
    // An empty directory: `terraform console` evaluates the expression with no configuration.
    const scratch = makeWorkDir('tf-console');
    try {
      const result = await runCommand('terraform', ['console'], scratch.dir, toolEnvironment(), `${expression}\n`);
      expect(result.code, result.output).toBe(0);
      const verdicts = JSON.parse(JSON.parse(result.output.trim().split('\n').pop()!) as string) as boolean[];
      const actual = cases.map((c, i) => `${c.name}=${JSON.stringify(c.value.slice(0, 40))}: ${verdicts[i] ? 'accepted' : 'rejected'}`);
      const expected = cases.map(
        (c) =>
          `${c.name}=${JSON.stringify(c.value.slice(0, 40))}: ${(optional(c.name) && c.value === '') || c.validate(c.value) === undefined ? 'accepted' : 'rejected'}`,
      );
      expect(actual).toEqual(expected);
    } finally {
      scratch.remove();
    }
  });

  it('`terraform plan` rejects bad inputs before touching AWS, naming variable, value and the policy rule', async () => {
    const bad = {
      trusted_account_id: '1234',
      kms_key_arn: 'arn:aws:kms:us-east-1:444455556666:alias/my-key',
      role_name: 'path/name',
      access_log_bucket: 'bucket--x-s3',
      // Cross-input rules: Terraform checks them only when the inputs they read are valid themselves.
      additional_external_id: 'same-id',
      use_existing_bucket: 'true',
    };
    const valid = { external_id: 'same-id', bucket_name: '' };
    // The module used as a root: a caller's provider that makes no call of its own when configured.
    writeFileSync(
      join(work.dir, 'caller_provider.tf.json'),
      JSON.stringify({
        provider: {
          aws: { region: 'us-east-1', skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true },
        },
      }),
    );
    const result = await runCommand(
      'terraform',
      ['plan', '-input=false', '-no-color', ...varArgs({ ...valid, ...bad })],
      work.dir,
      // An unreachable endpoint: had validation let anything through, the plan could not reach AWS either.
      toolEnvironment({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }),
    );
    expect(result.code).not.toBe(0);
    const text = result.output.replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' ');
    expect(text.match(/Invalid value for variable/g)).toHaveLength(Object.keys(bad).length);
    const rules: Record<keyof typeof bad, string> = {
      trusted_account_id: validateTrustedAccountId(bad.trusted_account_id)!.rule,
      kms_key_arn: validateKmsKeyArn(bad.kms_key_arn)!.rule,
      role_name: validateRoleName(bad.role_name)!.rule,
      access_log_bucket: 'a bucket name does not end with a reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)',
      additional_external_id: 'additional_external_id differs from external_id',
      use_existing_bucket: 'use_existing_bucket is true only together with bucket_name naming the existing bucket',
    };
    for (const [field, value] of Object.entries(bad) as [keyof typeof bad, string][]) {
      expect(text).toContain(describeProblems([{ field, value, rule: rules[field] }]));
    }
    expect(text).not.toMatch(/Retrieving AWS account details|dial tcp/);
  });
});
