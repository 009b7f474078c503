import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../errors/index.js';
import {
  BUCKET_ACTIONS,
  POLICY_VERSION,
  accountRootArn,
  bucketArn,
  buildTlsOnlyBucketPolicy,
  bucketObjectsArn,
  permissionPolicy,
  roleArn,
  trustPolicy,
} from '../../policy/index.js';
import { diffBucketPolicy } from '../../verifier/diff-bucket-policy.js';
import { diffPermissionPolicy, diffTrustPolicy, verdictFromDifferences, type DeployedPolicy } from '../../verifier/diff-policy.js';
import { simulateRequest, type Decision } from '../verifier/iam-oracle.js';

/**
 * The audit's verdict on crafted trust, permission and bucket policies, each as an IAM
 * expert would give it, and, where an independent IAM engine (@cloud-copilot/iam-simulate)
 * can answer "is principal P allowed action A on resource R", its agreement: a FAIL for an
 * over-grant is one where the engine allows some request outside the contract; a PASS or a
 * narrowing WARN is one where it allows none of them.
 */

const FR = '111122223333';
const CUSTOMER = '444455556666';
const STRANGER = '777788889999';
const ID = 'ion-acme-7f3a9c';
const BUCKET = 'acme-ion-snapshots';
const BUCKET_ARN = bucketArn('aws', BUCKET);
const OBJECT_ARN = `${BUCKET_ARN}/acme/job-1/snapshot_tables_job-1.tar`;
const ROLE = roleArn('aws', CUSTOMER, 'ion-delivery');
const FR_ROOT = accountRootArn('aws', FR);
const STRANGER_ROOT = accountRootArn('aws', STRANGER);
const FR_CALLER = roleArn('aws', FR, 'ion-delivery-service');
const STRANGER_CALLER = roleArn('aws', STRANGER, 'intruder');
const ALLOW_ALL = { Version: POLICY_VERSION, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

type Doc = { Version?: string; Statement: Record<string, unknown>[] };
const doc = (...Statement: Record<string, unknown>[]): Doc => ({ Version: POLICY_VERSION, Statement });
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const CONTRACT_TRUST = clone(trustPolicy({ trustedAccountId: FR, externalIds: ID })).Statement[0] as unknown as Record<string, unknown>;
const CONTRACT_PERMS = clone(permissionPolicy({ bucket: BUCKET })).Statement[0] as unknown as Record<string, unknown>;
const TLS_DENY = clone(buildTlsOnlyBucketPolicy({ bucketArn: BUCKET_ARN, bucketObjectsArn: bucketObjectsArn('aws', BUCKET) })).Statement[0] as unknown as Record<string, unknown>;
const trustWith = (edit: Record<string, unknown>) => ({ ...CONTRACT_TRUST, ...edit });

/** What the engine is asked: are requests outside the contract allowed? undefined: it cannot say (invalid or anonymous-only documents). */
type Oracle = 'overgrant' | 'none' | undefined;

interface Case {
  name: string;
  verdict: 'pass' | 'warn' | 'fail';
  code?: ErrorCode;
  /** Key words of the explanation, each matched in the details. */
  words: RegExp[];
  oracle: Oracle;
}
interface TrustCase extends Case {
  trust: Doc;
}
interface PermissionCase extends Case {
  policies: Doc[];
}
interface BucketCase extends Case {
  policy: Doc | undefined;
}

const TRUST_CASES: TrustCase[] = [
  { name: 'the contract', trust: doc(CONTRACT_TRUST), verdict: 'pass', words: [], oracle: 'none' },
  { name: 'the contract, principal as a bare account ID', trust: doc(trustWith({ Principal: { AWS: FR } })), verdict: 'pass', words: [], oracle: 'none' },
  {
    name: 'the contract and a Deny',
    trust: doc(CONTRACT_TRUST, { Effect: 'Deny', Principal: { AWS: STRANGER_ROOT }, Action: 'sts:AssumeRole' }),
    verdict: 'pass',
    words: [/\[note\] trust policy Statement\[1\] denies arn:aws:iam::777788889999:root sts:AssumeRole, with no condition: a Deny grants nothing/],
    oracle: 'none',
  },
  {
    name: 'the contract and Principal * with NotAction (the reported hole)',
    trust: doc(CONTRACT_TRUST, { Effect: 'Allow', Principal: '*', NotAction: 'sts:TagSession' }),
    verdict: 'fail',
    code: 'TRUST_PRINCIPAL_WILDCARD',
    words: [/Statement\[1\] allows any AWS principal \(\*\) every action except sts:TagSession, with no condition/, /assume the role without the external ID/],
    oracle: 'overgrant',
  },
  {
    name: 'First Resonance with NotAction and no condition',
    trust: doc({ Effect: 'Allow', Principal: { AWS: FR_ROOT }, NotAction: 'sts:TagSession' }),
    verdict: 'fail',
    code: 'TRUST_POLICY_WIDER',
    words: [new RegExp(`Statement\\[0\\] allows ${FR_ROOT} every action except sts:TagSession, with no condition: it lets them assume the role without the external ID`)],
    oracle: 'overgrant',
  },
  {
    name: 'the contract and First Resonance with NotAction and no condition',
    trust: doc(CONTRACT_TRUST, { Effect: 'Allow', Principal: { AWS: FR_ROOT }, NotAction: 'sts:TagSession' }),
    verdict: 'fail',
    code: 'TRUST_POLICY_WIDER',
    words: [new RegExp(`Statement\\[1\\] allows ${FR_ROOT} every action except sts:TagSession, with no condition: it lets them assume the role without the external ID`)],
    oracle: 'overgrant',
  },
  {
    name: 'NotPrincipal',
    trust: doc(CONTRACT_TRUST, { Effect: 'Allow', NotPrincipal: { AWS: FR_ROOT }, Action: 'sts:AssumeRole' }),
    verdict: 'fail',
    code: 'TRUST_PRINCIPAL_WILDCARD',
    words: [new RegExp(`allows every principal except ${FR_ROOT} \\(NotPrincipal\\) sts:AssumeRole`)],
    oracle: 'overgrant',
  },
  {
    name: 'a second account with the right external ID',
    trust: doc(CONTRACT_TRUST, trustWith({ Principal: { AWS: STRANGER_ROOT } })),
    verdict: 'fail',
    code: 'TRUST_PRINCIPAL_MISMATCH',
    words: [/Statement\[1\] trusts arn:aws:iam::777788889999:root \(account 777788889999\)/],
    oracle: 'overgrant',
  },
  { name: 'Principal *', trust: doc(trustWith({ Principal: '*' })), verdict: 'fail', code: 'TRUST_PRINCIPAL_WILDCARD', words: [/trusts every AWS account/], oracle: 'overgrant' },
  {
    name: 'Principal * under a trivially true condition',
    trust: doc(CONTRACT_TRUST, { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    verdict: 'fail',
    code: 'TRUST_PRINCIPAL_WILDCARD',
    words: [/trusts every AWS account/],
    oracle: 'overgrant',
  },
  {
    name: 'a separate sts:TagSession statement',
    trust: doc(CONTRACT_TRUST, { Effect: 'Allow', Principal: { AWS: FR_ROOT }, Action: 'sts:TagSession' }),
    verdict: 'fail',
    code: 'TRUST_POLICY_WIDER',
    words: [new RegExp(`Statement\\[1\\] allows ${FR_ROOT} sts:TagSession, with no condition; the contract allows only`)],
    oracle: 'overgrant',
  },
  {
    name: 'sts:TagSession beside sts:AssumeRole',
    trust: doc(trustWith({ Action: ['sts:AssumeRole', 'sts:TagSession'] })),
    verdict: 'fail',
    code: 'TRUST_POLICY_WIDER',
    words: [/allows sts:TagSession; the contract allows only sts:AssumeRole/],
    // AWS evaluates sts:TagSession within the AssumeRole call, external ID included; the engine drops that key from a TagSession request.
    oracle: undefined,
  },
  { name: 'sts:*', trust: doc(trustWith({ Action: 'sts:*' })), verdict: 'fail', code: 'TRUST_POLICY_WIDER', words: [/allows sts:\*/], oracle: undefined },
  {
    name: 'no condition',
    trust: doc(trustWith({ Condition: undefined })),
    verdict: 'fail',
    code: 'TRUST_EXTERNAL_ID_MISSING',
    words: [/no StringEquals condition on sts:ExternalId/],
    oracle: 'overgrant',
  },
  {
    name: 'a StringLike external ID',
    trust: doc(trustWith({ Condition: { StringLike: { 'sts:ExternalId': 'ion-acme-*' } } })),
    verdict: 'fail',
    code: 'TRUST_EXTERNAL_ID_MISMATCH',
    words: [/StringLike "ion-acme-\*"; expected StringEquals/],
    oracle: 'overgrant',
  },
  {
    name: 'StringEqualsIfExists',
    trust: doc(trustWith({ Condition: { StringEqualsIfExists: { 'sts:ExternalId': ID } } })),
    verdict: 'fail',
    code: 'TRUST_EXTERNAL_ID_MISSING',
    words: [/StringEqualsIfExists/],
    oracle: 'overgrant',
  },
  {
    name: 'a stale second external ID',
    trust: doc(trustWith({ Condition: { StringEquals: { 'sts:ExternalId': [ID, 'leftover'] } } })),
    verdict: 'fail',
    code: 'TRUST_EXTERNAL_ID_MISMATCH',
    words: [/also accepts sts:ExternalId "leftover"/],
    oracle: 'overgrant',
  },
  {
    name: 'an extra narrowing condition',
    trust: doc(trustWith({ Condition: { StringEquals: { 'sts:ExternalId': ID, 'aws:PrincipalAccount': FR } } })),
    verdict: 'warn',
    code: 'TRUST_CONDITION_EXTRA',
    words: [/also requires StringEquals aws:PrincipalAccount "111122223333": it narrows the contract/],
    oracle: 'none',
  },
  {
    name: 'a misspelt Condition element',
    trust: doc({ ...trustWith({ Condition: undefined }), Conditions: { StringEquals: { 'sts:ExternalId': ID } } }),
    verdict: 'fail',
    code: 'TRUST_POLICY_WIDER',
    words: [/Conditions is not a policy element/, /without the external ID/],
    oracle: undefined,
  },
  {
    name: 'a Resource element',
    trust: doc(trustWith({ Resource: '*' })),
    verdict: 'fail',
    code: 'TRUST_POLICY_WIDER',
    words: [/on every resource \(\*\)/, /the contract's statement has no Resource/],
    oracle: undefined,
  },
  { name: 'an Effect IAM does not know', trust: doc(trustWith({ Effect: 'allow' })), verdict: 'fail', code: 'TRUST_POLICY_WIDER', words: [/Effect "allow"/], oracle: undefined },
  {
    name: 'a service principal beside First Resonance',
    trust: doc(trustWith({ Principal: { AWS: FR_ROOT, Service: 'ec2.amazonaws.com' } })),
    verdict: 'fail',
    code: 'TRUST_PRINCIPAL_MISMATCH',
    words: [/trusts Service:ec2.amazonaws.com/],
    oracle: undefined,
  },
  {
    name: 'only a Deny',
    trust: doc({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }),
    verdict: 'fail',
    code: 'TRUST_PRINCIPAL_MISMATCH',
    words: [/no statement allows arn:aws:iam::111122223333:root to call sts:AssumeRole/],
    oracle: 'none',
  },
];

const POLICY_SOURCE = 'inline policy p';
const perms = (...statements: Record<string, unknown>[]) => doc(CONTRACT_PERMS, ...statements);

const PERMISSION_CASES: PermissionCase[] = [
  { name: 'the contract', policies: [perms()], verdict: 'pass', words: [], oracle: 'none' },
  {
    name: 'the contract split over two policies',
    policies: [doc({ ...CONTRACT_PERMS, Action: BUCKET_ACTIONS.slice(0, 3) }), doc({ ...CONTRACT_PERMS, Action: BUCKET_ACTIONS.slice(3) })],
    verdict: 'pass',
    words: [],
    oracle: 'none',
  },
  {
    name: 'a narrower extra statement inside the bucket',
    policies: [perms({ Effect: 'Allow', Action: 's3:PutObject', Resource: `${BUCKET_ARN}/acme/*` })],
    verdict: 'pass',
    words: [],
    oracle: 'none',
  },
  {
    name: 'a Deny of an action the delivery does not use',
    policies: [perms({ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: BUCKET_ARN })],
    verdict: 'pass',
    words: [/\[note\] .*Statement\[1\] denies s3:DeleteBucket on arn:aws:s3:::acme-ion-snapshots, with no condition: it takes away nothing the delivery needs/],
    oracle: 'none',
  },
  {
    name: 'a conditional Deny of delivery actions',
    policies: [perms({ Effect: 'Deny', Action: 's3:*', Resource: `${BUCKET_ARN}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
    verdict: 'warn',
    code: 'PERMISSION_ACTION_MISSING',
    words: [/only when Bool aws:SecureTransport "false": it takes away s3:GetObject, .* whenever the condition holds/],
    oracle: 'none',
  },
  {
    name: 's3:*',
    policies: [doc({ ...CONTRACT_PERMS, Action: 's3:*' })],
    verdict: 'fail',
    code: 'PERMISSION_ACTION_EXTRA',
    words: [/allows s3:\* on arn:aws:s3:::acme-ion-snapshots, arn:aws:s3:::acme-ion-snapshots\/\*, with no condition: a wildcard matching actions the delivery does not use/],
    oracle: 'overgrant',
  },
  {
    name: 's3:Get*',
    policies: [perms({ Effect: 'Allow', Action: 's3:Get*', Resource: BUCKET_ARN })],
    verdict: 'fail',
    code: 'PERMISSION_ACTION_EXTRA',
    words: [/allows s3:Get\*/],
    oracle: 'overgrant',
  },
  {
    name: 'NotAction',
    policies: [perms({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })],
    verdict: 'fail',
    code: 'PERMISSION_ACTION_EXTRA',
    words: [/uses NotAction: it allows every action except iam:\* on every resource \(\*\), with no condition/],
    oracle: 'overgrant',
  },
  {
    name: 'Resource *',
    policies: [doc({ ...CONTRACT_PERMS, Resource: '*' })],
    verdict: 'fail',
    code: 'PERMISSION_RESOURCE_WIDER',
    words: [/names resource \*, beyond/],
    oracle: 'overgrant',
  },
  {
    name: 'another bucket too',
    policies: [perms({ ...CONTRACT_PERMS, Sid: 'Other', Resource: [bucketArn('aws', 'someone-elses-bucket'), `${bucketArn('aws', 'someone-elses-bucket')}/*`] })],
    verdict: 'fail',
    code: 'PERMISSION_RESOURCE_WIDER',
    words: [/Statement\[1\] \(Other\) names resource arn:aws:s3:::someone-elses-bucket,/],
    oracle: 'overgrant',
  },
  {
    name: 'a bucket-name prefix wildcard',
    policies: [doc({ ...CONTRACT_PERMS, Resource: [`${BUCKET_ARN}*`] })],
    verdict: 'fail',
    code: 'PERMISSION_RESOURCE_WIDER',
    words: [/names resource arn:aws:s3:::acme-ion-snapshots\*,/],
    oracle: 'overgrant',
  },
  {
    name: 'NotResource',
    policies: [perms({ Effect: 'Allow', Action: 's3:GetObject', NotResource: BUCKET_ARN })],
    verdict: 'fail',
    code: 'PERMISSION_RESOURCE_WIDER',
    words: [/uses NotResource: it allows s3:GetObject on every resource except arn:aws:s3:::acme-ion-snapshots/],
    oracle: 'overgrant',
  },
  {
    name: 'an extra action under a trivially true condition',
    policies: [perms({ Effect: 'Allow', Action: 's3:GetBucketAcl', Resource: BUCKET_ARN, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })],
    verdict: 'fail',
    code: 'PERMISSION_ACTION_EXTRA',
    words: [/allows s3:GetBucketAcl on arn:aws:s3:::acme-ion-snapshots, only when Bool aws:SecureTransport "true": an action the delivery does not use/],
    oracle: 'overgrant',
  },
  {
    name: 'a missing action',
    policies: [doc({ ...CONTRACT_PERMS, Action: BUCKET_ACTIONS.filter((a) => a !== 's3:PutObject') })],
    verdict: 'fail',
    code: 'PERMISSION_ACTION_MISSING',
    words: [/s3:PutObject on arn:aws:s3:::acme-ion-snapshots\/\* is not allowed by any statement/],
    oracle: 'none',
  },
  {
    name: 'an unconditional Deny of a delivery action',
    policies: [perms({ Effect: 'Deny', Action: 's3:DeleteObject', Resource: `${BUCKET_ARN}/*` })],
    verdict: 'fail',
    code: 'PERMISSION_ACTION_MISSING',
    words: [/s3:DeleteObject on arn:aws:s3:::acme-ion-snapshots\/\* is denied by inline policy p Statement\[1\]/],
    oracle: 'none',
  },
  {
    name: 'a Principal element in an identity policy',
    policies: [perms({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET_ARN}/*` })],
    verdict: 'fail',
    code: 'PERMISSION_ACTION_EXTRA',
    words: [/it has Principal, which an identity policy does not take/],
    oracle: undefined,
  },
];

const bucketPolicy = (...statements: Record<string, unknown>[]) => doc(TLS_DENY, ...statements);
const publicRead = { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET_ARN}/*` };

const BUCKET_CASES: BucketCase[] = [
  { name: 'the TLS-only deny', policy: bucketPolicy(), verdict: 'pass', words: [], oracle: 'none' },
  { name: 'no policy', policy: undefined, verdict: 'warn', code: 'BUCKET_POLICY_NO_TLS_DENY', words: [/the bucket has no policy, so nothing refuses requests over plain HTTP/], oracle: 'none' },
  {
    name: "a grant to First Resonance's account",
    policy: bucketPolicy({ Effect: 'Allow', Principal: { AWS: FR_ROOT }, Action: ['s3:GetObject', 's3:PutObject'], Resource: `${BUCKET_ARN}/*` }),
    verdict: 'fail',
    code: 'BUCKET_POLICY_CROSS_ACCOUNT',
    words: [/Statement\[1\] allows arn:aws:iam::111122223333:root s3:GetObject, s3:PutObject on arn:aws:s3:::acme-ion-snapshots\/\*, with no condition: it grants First Resonance's account 111122223333 directly, bypassing the delivery role and its external ID/],
    oracle: 'overgrant',
  },
  {
    name: 'a grant to another account',
    policy: bucketPolicy({ Effect: 'Allow', Principal: { AWS: STRANGER }, Action: 's3:ListBucket', Resource: BUCKET_ARN }),
    verdict: 'fail',
    code: 'BUCKET_POLICY_CROSS_ACCOUNT',
    words: [/it grants account 777788889999, outside the bucket owner's account/],
    oracle: 'overgrant',
  },
  {
    name: 'world-readable',
    policy: bucketPolicy(publicRead),
    verdict: 'fail',
    code: 'BUCKET_POLICY_PUBLIC',
    words: [/Statement\[1\] \(PublicRead\) allows any AWS principal \(\*\) s3:GetObject on arn:aws:s3:::acme-ion-snapshots\/\*, with no condition: anyone/],
    oracle: 'overgrant',
  },
  {
    name: 'world-readable under a trivially true condition',
    policy: bucketPolicy({ ...publicRead, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    verdict: 'fail',
    code: 'BUCKET_POLICY_PUBLIC',
    words: [/only when Bool aws:SecureTransport "true": anyone .* its condition does not limit the caller to account 444455556666/],
    oracle: 'overgrant',
  },
  {
    name: 'Principal * with a wildcard PrincipalArn condition',
    policy: bucketPolicy({ ...publicRead, Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } } }),
    verdict: 'fail',
    code: 'BUCKET_POLICY_PUBLIC',
    words: [/does not limit the caller/],
    oracle: 'overgrant',
  },
  {
    name: 'Principal * with PrincipalAccount IfExists',
    policy: bucketPolicy({ ...publicRead, Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': CUSTOMER } } }),
    verdict: 'fail',
    code: 'BUCKET_POLICY_PUBLIC',
    // An anonymous caller has no aws:PrincipalAccount, so IfExists lets it in; the engine models signed callers only.
    words: [/StringEqualsIfExists aws:PrincipalAccount "444455556666": anyone/],
    oracle: undefined,
  },
  {
    name: 'NotPrincipal',
    policy: bucketPolicy({ Effect: 'Allow', NotPrincipal: { AWS: accountRootArn('aws', CUSTOMER) }, Action: 's3:GetObject', Resource: `${BUCKET_ARN}/*` }),
    verdict: 'fail',
    code: 'BUCKET_POLICY_PUBLIC',
    words: [/allows every principal except arn:aws:iam::444455556666:root \(NotPrincipal\) s3:GetObject/],
    oracle: 'overgrant',
  },
  {
    name: 'Principal * limited to the owner account',
    policy: bucketPolicy({ ...publicRead, Condition: { StringEquals: { 'aws:PrincipalAccount': CUSTOMER } } }),
    verdict: 'pass',
    words: [/\[note\] .*the condition limits it to callers of the bucket's own account 444455556666/],
    oracle: 'none',
  },
  {
    name: 'a grant to a role of the owner account',
    policy: bucketPolicy({ Effect: 'Allow', Principal: { AWS: roleArn('aws', CUSTOMER, 'analytics') }, Action: 's3:GetObject', Resource: `${BUCKET_ARN}/*` }),
    verdict: 'pass',
    words: [/principals of the bucket's own account 444455556666 only/],
    oracle: 'none',
  },
  {
    name: 'a service principal with no source account',
    policy: bucketPolicy({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: `${BUCKET_ARN}/*` }),
    verdict: 'fail',
    code: 'BUCKET_POLICY_CROSS_ACCOUNT',
    words: [/it grants Service logging.s3.amazonaws.com, outside the bucket owner's account/],
    oracle: undefined,
  },
  {
    name: 'a service principal limited to the owner account',
    policy: bucketPolicy({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${BUCKET_ARN}/*`,
      Condition: { StringEquals: { 'aws:SourceAccount': CUSTOMER } },
    }),
    verdict: 'pass',
    words: [/limits it to callers of the bucket's own account/],
    oracle: undefined,
  },
  {
    name: 'an unconditional Deny of a delivery action',
    policy: bucketPolicy({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `${BUCKET_ARN}/*` }),
    verdict: 'warn',
    code: 'BUCKET_POLICY_RISK',
    words: [/it denies s3:PutObject, which the delivery needs/],
    oracle: 'none',
  },
  {
    name: 'a TLS deny that leaves out the bucket ARN',
    policy: doc({ ...TLS_DENY, Resource: `${BUCKET_ARN}/*` }),
    verdict: 'warn',
    code: 'BUCKET_POLICY_NO_TLS_DENY',
    words: [/no statement denies requests over plain HTTP/],
    oracle: 'none',
  },
];

function judge(differences: ReturnType<typeof diffTrustPolicy>, c: Case) {
  const verdict = verdictFromDifferences(differences, 'ok');
  expect(verdict.status, JSON.stringify(differences, null, 2)).toBe(c.verdict);
  if (c.code) expect(verdict.code).toBe(c.code);
  else expect(verdict.code).toBeUndefined();
  const details = (verdict.details ?? []).join('\n');
  for (const word of c.words) expect(details).toMatch(word);
}

/** Requests outside the contract, each as the engine's question and what grants it. */
interface Probe {
  what: string;
  ask: (policy: Doc | Doc[] | undefined) => Promise<Decision>;
}

const trustProbes: Probe[] = [
  ...[
    [STRANGER_CALLER, 'sts:AssumeRole', ID],
    [STRANGER_CALLER, 'sts:AssumeRole', undefined],
    [FR_CALLER, 'sts:AssumeRole', undefined],
    [FR_CALLER, 'sts:AssumeRole', 'ion-acme-guess'],
    [FR_CALLER, 'sts:AssumeRole', 'leftover'],
    [FR_CALLER, 'sts:TagSession', ID],
    [FR_CALLER, 'sts:SetSourceIdentity', ID],
    [STRANGER_CALLER, 'sts:TagSession', undefined],
  ].map(([principal, action, externalId]) => ({
    what: `${principal} ${action} with external ID ${externalId ?? '(none)'}`,
    ask: (trust: Doc | Doc[] | undefined) =>
      simulateRequest({
        identityPolicies: [ALLOW_ALL],
        resourcePolicy: trust,
        principal: principal!,
        action: action!,
        resource: ROLE,
        resourceAccount: CUSTOMER,
        context: {
          'aws:PrincipalAccount': /::(\d{12}):/.exec(principal!)![1]!,
          'aws:PrincipalArn': principal!,
          'aws:SecureTransport': 'true',
          ...(externalId ? { 'sts:ExternalId': externalId } : {}),
        },
      }),
  })),
];

const OTHER_BUCKET = bucketArn('aws', 'someone-elses-bucket');
const permissionProbes: Probe[] = [
  ['s3:PutBucketPolicy', BUCKET_ARN],
  ['s3:GetBucketAcl', BUCKET_ARN],
  ['s3:DeleteObjectVersion', OBJECT_ARN],
  ['s3:GetObject', `${OTHER_BUCKET}/x`],
  ['s3:PutObject', `${OTHER_BUCKET}/x`],
  ['s3:ListBucket', OTHER_BUCKET],
  ['s3:GetObject', `${BUCKET_ARN}-evil/x`],
  ['iam:CreateUser', `arn:aws:iam::${CUSTOMER}:user/x`],
].map(([action, resource]) => ({
  what: `${action} on ${resource}`,
  ask: (policies: Doc | Doc[] | undefined) =>
    simulateRequest({
      identityPolicies: policies as Doc[],
      principal: ROLE,
      action: action!,
      resource: resource!,
      resourceAccount: CUSTOMER,
      context: { 'aws:SecureTransport': 'true', 'aws:PrincipalAccount': CUSTOMER, 'aws:PrincipalArn': ROLE },
    }),
}));

const bucketProbes: Probe[] = [FR_CALLER, STRANGER_CALLER].flatMap((principal) =>
  [
    ['s3:GetObject', OBJECT_ARN],
    ['s3:PutObject', OBJECT_ARN],
    ['s3:ListBucket', BUCKET_ARN],
  ].map(([action, resource]) => ({
    what: `${principal} ${action} on ${resource}`,
    ask: (policy: Doc | Doc[] | undefined) =>
      simulateRequest({
        identityPolicies: [ALLOW_ALL],
        ...(policy ? { resourcePolicy: policy } : {}),
        principal,
        action: action!,
        resource: resource!,
        resourceAccount: CUSTOMER,
        context: { 'aws:SecureTransport': 'true', 'aws:PrincipalAccount': /::(\d{12}):/.exec(principal)![1]!, 'aws:PrincipalArn': principal },
      }),
  })),
);

async function allowedProbes(probes: Probe[], policy: Doc | Doc[] | undefined): Promise<string[]> {
  const allowed: string[] = [];
  for (const probe of probes) if ((await probe.ask(policy)) === 'Allowed') allowed.push(probe.what);
  return allowed;
}

async function agreeWithOracle(c: Case, probes: Probe[], policy: Doc | Doc[] | undefined) {
  if (c.oracle === undefined) return;
  const allowed = await allowedProbes(probes, policy && clone(policy));
  if (c.oracle === 'overgrant') expect(allowed, 'the engine should allow some request outside the contract').not.toEqual([]);
  else expect(allowed, 'the engine should allow no request outside the contract').toEqual([]);
}

const expectation = { trustedAccountId: FR, externalIds: [ID], partition: 'aws' as const };

describe('audit verdicts on crafted documents, checked against an independent IAM engine', () => {
  it('covers at least 30 documents, each verdict at least once', () => {
    const all = [...TRUST_CASES, ...PERMISSION_CASES, ...BUCKET_CASES];
    expect(all.length).toBeGreaterThanOrEqual(30);
    expect(new Set(all.map((c) => c.verdict))).toEqual(new Set(['pass', 'warn', 'fail']));
  });

  it.each(TRUST_CASES.map((c) => [c.name, c] as const))('trust policy: %s', async (_name, c) => {
    judge(diffTrustPolicy(expectation, clone(c.trust)), c);
    await agreeWithOracle(c, trustProbes, c.trust);
  });

  it.each(PERMISSION_CASES.map((c) => [c.name, c] as const))('permission policy: %s', async (_name, c) => {
    const deployed: DeployedPolicy[] = c.policies.map((document, i) => ({ source: i === 0 ? POLICY_SOURCE : `attached policy arn:aws:iam::${CUSTOMER}:policy/p${i}`, document: clone(document) }));
    judge(diffPermissionPolicy(permissionPolicy({ bucket: BUCKET }), deployed), c);
    await agreeWithOracle(c, permissionProbes, c.policies);
  });

  it.each(BUCKET_CASES.map((c) => [c.name, c] as const))('bucket policy: %s', async (_name, c) => {
    judge(diffBucketPolicy({ bucket: BUCKET, partition: 'aws', ownerAccountId: CUSTOMER, trustedAccountId: FR }, c.policy && clone(c.policy)), c);
    await agreeWithOracle(c, bucketProbes, c.policy);
  });

  it('the contract itself is allowed by the engine (the probes are not denied for another reason)', async () => {
    const trust = await simulateRequest({
      identityPolicies: [ALLOW_ALL],
      resourcePolicy: doc(CONTRACT_TRUST),
      principal: FR_CALLER,
      action: 'sts:AssumeRole',
      resource: ROLE,
      resourceAccount: CUSTOMER,
      context: { 'sts:ExternalId': ID, 'aws:PrincipalAccount': FR, 'aws:PrincipalArn': FR_CALLER, 'aws:SecureTransport': 'true' },
    });
    expect(trust).toBe('Allowed');
    const put = await simulateRequest({ identityPolicies: [perms()], principal: ROLE, action: 's3:PutObject', resource: OBJECT_ARN, resourceAccount: CUSTOMER });
    expect(put).toBe('Allowed');
    const direct = await simulateRequest({
      identityPolicies: [ALLOW_ALL],
      resourcePolicy: bucketPolicy({ Effect: 'Allow', Principal: { AWS: FR_ROOT }, Action: 's3:GetObject', Resource: `${BUCKET_ARN}/*` }),
      principal: FR_CALLER,
      action: 's3:GetObject',
      resource: OBJECT_ARN,
      resourceAccount: CUSTOMER,
      context: { 'aws:SecureTransport': 'true' },
    });
    expect(direct).toBe('Allowed');
  });
});
