import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCloudFormationTemplate } from '../../stacks/cloudformation/template.js';
import {
  COMMITTED_TEMPLATE,
  CONTROL_TOWER_S3_RULES,
  TRUST_POLICY_RULE,
  makeTemplateFolder,
  runGuard,
  type GuardStatus,
} from './checkers.js';
import { specializeTemplate } from './resolve-template.js';

/**
 * cfn-guard judges a document, not a stack, and the Control Tower rules do not
 * evaluate `Fn::If`: on the published template (whose bucket settings depend on
 * parameters) a rule sees `Fn::If` where it looks for a property. So each variant is
 * the published template specialized exactly as CloudFormation specializes it when
 * the stack is created with those parameter values (Conditions evaluated, `Fn::If`
 * branches chosen, `AWS::NoValue` dropped, resources whose Condition is false left
 * out, parameter `Ref`s replaced by the values). Nothing else is changed or added.
 */
const TEMPLATE = buildCloudFormationTemplate();
const REQUIRED = { TrustedAccountId: '111122223333', ExternalId: 'ion-acme-7f3a9c', BucketName: 'acme-ion-snapshots' };
const KMS_KEY = 'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const CT_RULES = readdirSync(CONTROL_TOWER_S3_RULES)
  .filter((f) => f.endsWith('.guard'))
  .map((f) => ({ id: `PR.${/ct-s3-pr-(\d+)\.guard$/.exec(f)?.[1]}`, file: join(CONTROL_TOWER_S3_RULES, f) }));

type Outcomes = Record<string, GuardStatus>;

/** The default stack's outcomes: everything the issue lists passes, PR.2 and PR.10 need their option, PR.9 is not met by design. */
const DEFAULT_OUTCOMES: Outcomes = {
  'PR.1': 'PASS',
  'PR.2': 'FAIL',
  'PR.3': 'PASS',
  'PR.4': 'PASS',
  'PR.5': 'PASS',
  'PR.6': 'PASS',
  'PR.8': 'PASS',
  'PR.9': 'FAIL',
  'PR.10': 'FAIL',
  'PR.11': 'PASS',
  'PR.12': 'SKIP', // access points: the template creates none
};

const VARIANTS: [name: string, parameters: Record<string, string>, expected: Outcomes][] = [
  ['default', REQUIRED, DEFAULT_OUTCOMES],
  ['AccessLogBucket set', { ...REQUIRED, AccessLogBucket: 'acme-access-logs' }, { ...DEFAULT_OUTCOMES, 'PR.2': 'PASS' }],
  ['KmsKeyArn set', { ...REQUIRED, KmsKeyArn: KMS_KEY }, { ...DEFAULT_OUTCOMES, 'PR.10': 'PASS' }],
  ['EventBridge notifications off', { ...REQUIRED, EventBridgeNotifications: 'false' }, { ...DEFAULT_OUTCOMES, 'PR.4': 'FAIL' }],
  [
    'existing bucket (no bucket resources to judge)',
    { ...REQUIRED, UseExistingBucket: 'true' },
    Object.fromEntries(Object.keys(DEFAULT_OUTCOMES).map((id) => [id, 'SKIP'])) as Outcomes,
  ],
];

const folder = makeTemplateFolder();
afterAll(() => folder.remove());

describe('AWS Control Tower proactive controls for S3 (cfn-guard 3)', () => {
  it('the package ships exactly the S3 rules this test expects outcomes for', () => {
    expect(CT_RULES.map((r) => r.id).sort()).toEqual(Object.keys(DEFAULT_OUTCOMES).sort());
  });

  it.each(VARIANTS)('%s: exactly the expected outcome for every rule', (name, parameters, expected) => {
    const file = folder.write(`${name.replace(/\W+/g, '-')}.yaml`, specializeTemplate(TEMPLATE, parameters));
    const outcomes = Object.fromEntries(CT_RULES.map((r) => [r.id, runGuard(file, r.file)]));
    expect(outcomes).toEqual(expected);
  });
});

describe("the project's own trust-policy rule", () => {
  it('passes on the committed template (both Fn::If branches) and on every variant', () => {
    expect(runGuard(COMMITTED_TEMPLATE, TRUST_POLICY_RULE)).toBe('PASS');
    for (const [name, parameters] of VARIANTS) {
      const file = folder.write(`trust-${name.replace(/\W+/g, '-')}.yaml`, specializeTemplate(TEMPLATE, parameters));
      expect(runGuard(file, TRUST_POLICY_RULE), name).toBe('PASS');
    }
  });

  it('skips a template without roles', () => {
    expect(runGuard(folder.write('no-role.yaml', { Resources: { B: { Type: 'AWS::S3::Bucket', Properties: {} } } }), TRUST_POLICY_RULE)).toBe('SKIP');
  });

  const ACCOUNT_ROOT = 'arn:aws:iam::111122223333:root';
  const WITH_EXTERNAL_ID = { StringEquals: { 'sts:ExternalId': 'ion-acme-7f3a9c' } };
  const NO_CONDITION = null;
  const statement = (principal: unknown, condition: unknown = WITH_EXTERNAL_ID) => ({
    Effect: 'Allow',
    Principal: principal,
    Action: 'sts:AssumeRole',
    ...(condition === NO_CONDITION ? {} : { Condition: condition }),
  });
  const document = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });
  const good = document(statement({ AWS: ACCOUNT_ROOT }));

  const CASES: [name: string, expected: GuardStatus, trust: unknown][] = [
    ['pinned account with external ID', 'PASS', good],
    ['pinned role ARN with external ID list', 'PASS', document(statement({ AWS: 'arn:aws:iam::111122223333:role/vendor' }, { StringEquals: { 'sts:ExternalId': ['a1', 'b2'] } }))],
    ['partition-aware Fn::Sub principal', 'PASS', document(statement({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${TrustedAccountId}:root' } }))],
    ['Principal "*"', 'FAIL', document(statement('*'))],
    ['Principal AWS "*"', 'FAIL', document(statement({ AWS: '*' }))],
    ['a wildcard among several principals', 'FAIL', document(statement({ AWS: [ACCOUNT_ROOT, '*'] }))],
    ['wildcard account inside Fn::Sub', 'FAIL', document(statement({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:root' } }))],
    ['principal from a bare Ref (cannot be proven pinned)', 'FAIL', document(statement({ AWS: { Ref: 'Principal' } }))],
    ['service principal', 'FAIL', document(statement({ Service: 'ec2.amazonaws.com' }))],
    ['no condition', 'FAIL', document(statement({ AWS: ACCOUNT_ROOT }, NO_CONDITION))],
    ['external ID only in StringLike', 'FAIL', document(statement({ AWS: ACCOUNT_ROOT }, { StringLike: { 'sts:ExternalId': '*' } }))],
    ['a second, unpinned Allow statement', 'FAIL', document(statement({ AWS: ACCOUNT_ROOT }), statement({ AWS: '*' }))],
    ['Fn::If with one bad branch', 'FAIL', { 'Fn::If': ['C', good, document(statement({ AWS: ACCOUNT_ROOT }, NO_CONDITION))] }],
    ['Fn::If with two good branches', 'PASS', { 'Fn::If': ['C', good, good] }],
    ['not a document', 'FAIL', { 'Fn::Sub': 'x' }],
  ];
  it.each(CASES)('%s: %s', (name, expected, trust) => {
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust } } },
    };
    expect(runGuard(folder.write(`case-${name.replace(/\W+/g, '-')}.yaml`, template), TRUST_POLICY_RULE)).toBe(expected);
  });
});
