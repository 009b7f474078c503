import { describe, expect, it } from 'vitest';
import { BUCKET_ACTIONS, KMS_ACTIONS, POLICY_VERSION, accountRootArn, bucketArn, permissionPolicy, roleArn, trustPolicy } from '../../policy/index.js';
import { vendorAssumeRolePolicy } from '../../emulator/accounts.js';
import { simulateAssumeRole, simulateRoleAction } from '../verifier/iam-oracle.js';

const VENDOR = '111122223333';
const CUSTOMER = '444455556666';
const STRANGER = '777788889999';
const EXTERNAL_ID = 'ion-acme-7f3a9c';
const BUCKET = 'acme-ion-snapshots';
const ROLE = roleArn('aws', CUSTOMER, 'ion-delivery');
const KEY = `arn:aws:kms:us-east-1:${CUSTOMER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${CUSTOMER}:key/99999999-12ab-34cd-56ef-1234567890ab`;

const callerPolicy = vendorAssumeRolePolicy({ anyRole: true });
const trust = trustPolicy({ trustedAccountId: VENDOR, externalIds: EXTERNAL_ID });

describe('generated trust policy, judged by an independent IAM engine', () => {
  it.each([
    ['the trusted account with the right external ID', VENDOR, EXTERNAL_ID, 'Allowed'],
    ['the trusted account with no external ID', VENDOR, undefined, 'ImplicitlyDenied'],
    ['the trusted account with a wrong external ID', VENDOR, 'ion-acme-guess', 'ImplicitlyDenied'],
    ['the trusted account with the ID in another case', VENDOR, EXTERNAL_ID.toUpperCase(), 'ImplicitlyDenied'],
    ['another account with the right external ID', STRANGER, EXTERNAL_ID, 'ImplicitlyDenied'],
  ] as const)('%s: %s', async (_name, account, externalId, expected) => {
    const decision = await simulateAssumeRole({
      trust,
      roleArn: ROLE,
      callerArn: roleArn('aws', account, 'ion-delivery-service'),
      callerPolicy,
      ...(externalId === undefined ? {} : { externalId }),
    });
    expect(decision).toBe(expected);
  });

  it('a rotation window accepts both external IDs and nothing else', async () => {
    const rotating = trustPolicy({ trustedAccountId: VENDOR, externalIds: ['ion-acme-old', 'ion-acme-new'] });
    const caller = roleArn('aws', VENDOR, 'ion-delivery-service');
    const decide = (externalId: string) => simulateAssumeRole({ trust: rotating, roleArn: ROLE, callerArn: caller, callerPolicy, externalId });
    expect(await decide('ion-acme-old')).toBe('Allowed');
    expect(await decide('ion-acme-new')).toBe('Allowed');
    expect(await decide('ion-acme-other')).toBe('ImplicitlyDenied');
  });
});

describe('generated permission policy, judged by an independent IAM engine', () => {
  const policy = permissionPolicy({ bucket: BUCKET, kmsKeyArn: KEY });
  const bucket = bucketArn('aws', BUCKET);
  const object = `${bucket}/acme/job-1/snapshot_tables_job-1.tar`;
  const BUCKET_LEVEL = new Set(['s3:ListBucket', 's3:ListBucketMultipartUploads']);
  const decide = (action: string, resource: string) =>
    simulateRoleAction({ roleArn: ROLE, policies: [policy], action, resource, resourceAccount: CUSTOMER });

  it.each(BUCKET_ACTIONS.map((a) => [a]))('%s on the bucket (or an object under it) is allowed', async (action) => {
    expect(await decide(action, BUCKET_LEVEL.has(action) ? bucket : object)).toBe('Allowed');
  });

  it.each(BUCKET_ACTIONS.map((a) => [a]))('%s on another bucket is denied', async (action) => {
    const other = bucketArn('aws', 'someone-elses-bucket');
    expect(await decide(action, BUCKET_LEVEL.has(action) ? other : `${other}/acme/x.tar`)).toBe('ImplicitlyDenied');
  });

  it.each([
    ['s3:DeleteObjectVersion', object],
    ['s3:GetBucketPolicy', bucket],
    ['s3:PutBucketPolicy', bucket],
    ['s3:GetBucketAcl', bucket],
  ])('%s is outside the contract and denied', async (action, resource) => {
    expect(await decide(action, resource)).toBe('ImplicitlyDenied');
  });

  /** A KMS key's default policy: the account's IAM policies decide. @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html */
  const defaultKeyPolicy = {
    Version: POLICY_VERSION,
    Statement: [{ Effect: 'Allow', Principal: { AWS: accountRootArn('aws', CUSTOMER) }, Action: 'kms:*', Resource: '*' }],
  };

  it.each(KMS_ACTIONS.map((a) => [a]))('%s is allowed on the bucket key only', async (action) => {
    const onKey = (resource: string) =>
      simulateRoleAction({ roleArn: ROLE, policies: [policy], action, resource, resourceAccount: CUSTOMER, resourcePolicy: defaultKeyPolicy });
    expect(await onKey(KEY)).toBe('Allowed');
    expect(await onKey(OTHER_KEY)).toBe('ImplicitlyDenied');
    const withoutKms = permissionPolicy({ bucket: BUCKET });
    expect(
      await simulateRoleAction({ roleArn: ROLE, policies: [withoutKms], action, resource: KEY, resourceAccount: CUSTOMER, resourcePolicy: defaultKeyPolicy }),
    ).toBe('ImplicitlyDenied');
  });
});
