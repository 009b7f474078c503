import { describe, expect, it } from 'vitest';
import { IonDestError } from '../../errors/index.js';
import {
  assertNoProblems,
  parseRoleArn,
  validateBucketName,
  validateExternalId,
  validateJobId,
  validateKmsKeyArn,
  validatePartition,
  validateRegion,
  validateRegionInPartition,
  validateRoleArn,
  validateRoleName,
  validateTenant,
  validateTrustedAccountId,
  type Validator,
} from '../../policy/index.js';

type Case = [value: string, ruleFragment?: string];

const TABLE: [string, Validator, good: string[], bad: Case[]][] = [
  [
    'trusted account ID',
    validateTrustedAccountId,
    ['111122223333', '000000000000'],
    [['11112222333', '12 digits'], ['1111222233334', '12 digits'], ['11112222333a', '12 digits'], ['', '12 digits']],
  ],
  [
    'external ID',
    validateExternalId,
    ['ab', 'ion-acme_7f3a', 'a+b=c,d.e@f:g/h-i', 'x'.repeat(1224)],
    [['a', '2 to 1224'], ['x'.repeat(1225), '2 to 1224'], ['has space', '2 to 1224'], ['semi;colon', '2 to 1224'], ['ünï', '2 to 1224']],
  ],
  [
    'bucket name',
    validateBucketName,
    ['abc', 'acme-ion-snapshots', 'a.b-c1', 'a'.repeat(63), '1bucket9', 'my.bucket.name'],
    [
      ['ab', '3 to 63'],
      ['a'.repeat(64), '3 to 63'],
      ['Acme', 'lowercase'],
      ['acme_snap', 'lowercase'],
      ['-acme', 'begins and ends'],
      ['acme-', 'begins and ends'],
      ['.acme', 'begins and ends'],
      ['ac..me', 'adjacent dots'],
      ['192.168.5.4', 'IP address'],
      ['xn--bucket', 'reserved prefix "xn--"'],
      ['sthree-bucket', 'reserved prefix "sthree-"'],
      ['amzn-s3-demo-bucket', 'reserved prefix "amzn-s3-demo-"'],
      ['bucket-s3alias', 'reserved suffix "-s3alias"'],
      ['bucket--ol-s3', 'reserved suffix "--ol-s3"'],
      ['bucket.mrap', 'reserved suffix ".mrap"'],
      ['bucket--x-s3', 'reserved suffix "--x-s3"'],
      ['bucket--table-s3', 'reserved suffix "--table-s3"'],
    ],
  ],
  [
    'region',
    validateRegion,
    ['us-east-1', 'eu-west-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-5'],
    [['us-east-7', 'region name'], ['US-EAST-1', 'region name'], ['useast1', 'region name'], ['', 'region name']],
  ],
  ['partition', validatePartition, ['aws', 'aws-us-gov', 'aws-cn'], [['aws-iso', 'one of'], ['AWS', 'one of']]],
  [
    'KMS key ARN',
    validateKmsKeyArn,
    [
      'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws-us-gov:kms:us-gov-west-1:444455556666:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    ],
    [
      ['arn:aws:kms:us-east-1:444455556666:alias/my-key', 'alias'],
      ['1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:<partition>:kms'],
      ['arn:aws:kms:us-east-1:4444:key/1234abcd-12ab-34cd-56ef-1234567890ab', '12-digit'],
    ],
  ],
  [
    'role name',
    validateRoleName,
    ['IonSnapshotDelivery', 'a', 'r_o+l=e,.@-', 'x'.repeat(64)],
    [['', '1 to 64'], ['x'.repeat(65), '1 to 64'], ['with space', '1 to 64'], ['path/name', '1 to 64']],
  ],
  [
    'tenant',
    validateTenant,
    ['tenant_acme', 'Acme-1', 'a', 'x'.repeat(128)],
    [
      ['', '1 to 128'],
      ['a/b', '1 to 128'],
      ['..', '1 to 128'],
      ['a..b', 'no ".."'],
      ['tab\there', '1 to 128'],
      ['_x', 'starts with'],
      ['x'.repeat(129), '1 to 128'],
      ['acme.', 'does not end with "."'],
      ['a.b.', 'does not end with "."'],
    ],
  ],
  [
    'job ID',
    validateJobId,
    ['job-2026-11-23', '42', 'v1.2_', 'a.b-'],
    [['../x', '1 to 128'], ['a b', '1 to 128'], ['j\u0000', '1 to 128'], ['j.', 'does not end with "."'], ['job-1.', 'does not end with "."']],
  ],
  [
    'role ARN',
    validateRoleArn,
    [
      'arn:aws:iam::444455556666:role/IonSnapshotDelivery',
      'arn:aws:iam::444455556666:role/ion/delivery/Role1',
      'arn:aws-cn:iam::444455556666:role/a!b~c/x',
      `arn:aws:iam::444455556666:role/${'p/'.repeat(255)}r`,
    ],
    [
      ['arn:aws:iam::444455556666:role/*/name', 'without * or ?'],
      ['arn:aws:iam::444455556666:role/a*/name', 'without * or ?'],
      ['arn:aws:iam::444455556666:role/a?b/name', 'without * or ?'],
      ['arn:aws:iam::444455556666:role//name', 'non-empty segments'],
      ['arn:aws:iam::444455556666:role/a//b/name', 'non-empty segments'],
      ['arn:aws:iam::444455556666:role/a b/name', 'printable ASCII'],
      [`arn:aws:iam::444455556666:role/${'p/'.repeat(256)}r`, 'at most 512'],
      [`arn:aws:iam::444455556666:role/${'x'.repeat(511)}/r`, 'at most 512'],
      ['arn:aws:iam::444455556666:role/*', 'role/<name>'],
    ],
  ],
];

describe.each(TABLE)('%s', (field, validate, good, bad) => {
  it.each(good)('accepts %j', (value) => {
    expect(validate(value)).toBeUndefined();
  });
  it.each(bad)('rejects %j, naming field, value and rule', (value, fragment) => {
    const problem = validate(value, `--${field}`);
    expect(problem).toBeDefined();
    expect(problem!.field).toBe(`--${field}`);
    expect(problem!.value).toBe(value);
    if (fragment) expect(problem!.rule).toContain(fragment);
  });
});

describe('cross-field and composite rules', () => {
  it('a region must lie in the named partition', () => {
    expect(validateRegionInPartition('us-east-1', 'aws')).toBeUndefined();
    expect(validateRegionInPartition('us-gov-west-1', 'aws')?.rule).toContain('aws-us-gov');
    expect(validateRegionInPartition('cn-north-1', 'aws-us-gov')?.rule).toContain('aws-cn');
  });

  it('assertNoProblems reports every problem at once, as INVALID_INPUT', () => {
    const run = () =>
      assertNoProblems([validateBucketName('Bad_Bucket', '--bucket'), undefined, validateTrustedAccountId('12', '--trusted-account')]);
    expect(run).toThrow(IonDestError);
    try {
      run();
    } catch (error) {
      const e = error as IonDestError;
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.problems.map((p) => p.field)).toEqual(['--bucket', '--trusted-account']);
      expect(e.message).toContain('Invalid --bucket "Bad_Bucket"');
      expect(e.message).toContain('Invalid --trusted-account "12": an AWS account ID is exactly 12 digits');
    }
  });

  it('parses role ARNs with and without a path', () => {
    expect(parseRoleArn('arn:aws:iam::444455556666:role/IonSnapshotDelivery')).toEqual({
      partition: 'aws',
      accountId: '444455556666',
      path: '/',
      roleName: 'IonSnapshotDelivery',
    });
    expect(parseRoleArn('arn:aws-us-gov:iam::444455556666:role/ion/delivery/Role1')).toMatchObject({
      partition: 'aws-us-gov',
      path: '/ion/delivery/',
      roleName: 'Role1',
    });
    expect(parseRoleArn('arn:aws:iam::444455556666:roleX')).toBeUndefined();
    expect(parseRoleArn('arn:aws:iam::4444:role/x')).toBeUndefined();
    expect(parseRoleArn('arn:aws:iam::444455556666:user/x')).toBeUndefined();
  });
});
