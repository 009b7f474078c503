import { AttachRolePolicyCommand, CreatePolicyCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUCKET_ACTIONS,
  POLICY_VERSION,
  accountRootArn,
  bucketArn,
  bucketObjectsArn,
  buildTlsOnlyBucketPolicy,
  permissionPolicy,
  roleArn,
  trustPolicy,
  type PolicyDocument,
} from '../../policy/index.js';
import { AUDIT_CHECK_IDS, auditDestination, type AuditCheckId, type AuditReport } from '../../verifier/index.js';
import { readDeployedRole } from '../../verifier/read-role.js';
import {
  CUSTOMER_ACCOUNT_ID,
  OTHER_ACCOUNT_ID,
  VENDOR_ACCOUNT_ID,
  accountAdminClients,
  applyStackBucketSettings,
  createCustomerDestination,
  vendorAssumeRolePolicy,
  type AccountIdentity,
} from '../../emulator/accounts.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { ABORT_INCOMPLETE_MULTIPART_DAYS } from '../../stacks/cloudformation/bucket-resources.js';
import { EXTERNAL_ID, clientsFor, createCustomerAdmin, createKmsKey } from './fixtures.js';
import { simulateAssumeRole, simulateRoleAction } from './iam-oracle.js';
import { identityEnv, runCli, type CliResult } from '../helpers/run-cli.js';



let emulator: Emulator;
let admin: AccountIdentity;
let kmsKeyArn: string;

beforeAll(async () => {
  emulator = await startEmulator();
  kmsKeyArn = await createKmsKey(emulator, CUSTOMER_ACCOUNT_ID);
  const base = { trustedAccountId: VENDOR_ACCOUNT_ID, externalIds: EXTERNAL_ID };
  await createCustomerDestination(emulator, { ...base, bucket: 'audit-correct', roleName: 'audit-correct' });
  await applyStackBucketSettings(emulator, CUSTOMER_ACCOUNT_ID, 'audit-correct', { tlsOnlyPolicy: true });

  const drifted = trustPolicy({ trustedAccountId: OTHER_ACCOUNT_ID, externalIds: 'ion-acme-typo' });
  drifted.Statement[0]!.Action = ['sts:AssumeRole', 'sts:TagSession'];
  const wide = permissionPolicy({ bucket: 'audit-drifted' });
  wide.Statement[0]!.Action = [...BUCKET_ACTIONS.filter((a) => a !== 's3:PutObject'), 's3:GetBucketAcl'];
  wide.Statement[0]!.Resource = [bucketArn('aws', 'audit-drifted'), '*'];
  await createCustomerDestination(emulator, {
    ...base,
    bucket: 'audit-drifted',
    roleName: 'audit-drifted',
    trustPolicy: drifted,
    permissionPolicy: wide,
    versioning: false,
    encryption: 'none',
  });

  await createCustomerDestination(emulator, { ...base, externalIds: 'ion-acme-typo', bucket: 'audit-external-id', roleName: 'audit-external-id' });
  await createCustomerDestination(emulator, { ...base, trustedAccountId: OTHER_ACCOUNT_ID, bucket: 'audit-principal', roleName: 'audit-principal' });

  await createCustomerDestination(emulator, { ...base, bucket: 'audit-attached', roleName: 'audit-attached', permissionPolicy: null });
  const { iam } = accountAdminClients(emulator, CUSTOMER_ACCOUNT_ID);
  const managed = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'ion-delivery-managed', PolicyDocument: JSON.stringify(permissionPolicy({ bucket: 'audit-attached' })) }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'audit-attached', PolicyArn: managed.Policy!.Arn! }));
  iam.destroy();

  await createCustomerDestination(emulator, { ...base, bucket: 'audit-kms', roleName: 'audit-kms', encryption: { kmsKeyArn } });
  await createCustomerDestination(emulator, {
    ...base,
    bucket: 'audit-kms-missing',
    roleName: 'audit-kms-missing',
    encryption: { kmsKeyArn },
    permissionPolicy: permissionPolicy({ bucket: 'audit-kms-missing' }),
  });

  await createDangerousDestinations();

  admin = await createCustomerAdmin(emulator, CUSTOMER_ACCOUNT_ID);
  await emulator.enableAuth();
});

/** Documents that are dangerous, each on its own destination (role and bucket of the same name). */
const CONTRACT_TRUST = () => trustPolicy({ trustedAccountId: VENDOR_ACCOUNT_ID, externalIds: EXTERNAL_ID }).Statement[0]!;
const DANGEROUS_TRUST: Record<string, unknown> = {
  'audit-trust-notaction': { Version: POLICY_VERSION, Statement: [CONTRACT_TRUST(), { Effect: 'Allow', Principal: '*', NotAction: 'sts:TagSession' }] },
  'audit-trust-fr-notaction': { Version: POLICY_VERSION, Statement: [CONTRACT_TRUST(), { Effect: 'Allow', Principal: { AWS: accountRootArn('aws', VENDOR_ACCOUNT_ID) }, NotAction: 'sts:TagSession' }] },
};
const readObjects = (bucket: string) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn('aws', bucket)}/*` });
const DANGEROUS_BUCKET_STATEMENTS: Record<string, Record<string, unknown>> = {
  'audit-bucket-fr': { ...readObjects('audit-bucket-fr'), Sid: 'VendorDirect', Principal: { AWS: accountRootArn('aws', VENDOR_ACCOUNT_ID) }, Action: ['s3:GetObject', 's3:PutObject'] },
  'audit-bucket-public': { ...readObjects('audit-bucket-public'), Sid: 'PublicRead', Principal: '*' },
  'audit-bucket-trivial': { ...readObjects('audit-bucket-trivial'), Sid: 'PublicReadOverTls', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
};

async function createDangerousDestinations(): Promise<void> {
  const base = { trustedAccountId: VENDOR_ACCOUNT_ID, externalIds: EXTERNAL_ID };
  for (const [name, trust] of Object.entries(DANGEROUS_TRUST)) {
    await createCustomerDestination(emulator, { ...base, bucket: name, roleName: name, trustPolicy: trust as PolicyDocument });
    await applyStackBucketSettings(emulator, CUSTOMER_ACCOUNT_ID, name, { tlsOnlyPolicy: true });
  }
  const everything = permissionPolicy({ bucket: 'audit-perm-s3-star' });
  everything.Statement[0]!.Action = 's3:*';
  await createCustomerDestination(emulator, { ...base, bucket: 'audit-perm-s3-star', roleName: 'audit-perm-s3-star', permissionPolicy: everything });
  await applyStackBucketSettings(emulator, CUSTOMER_ACCOUNT_ID, 'audit-perm-s3-star', { tlsOnlyPolicy: true });

  // The contract inline, and a managed policy with wider rights attached beside it.
  await createCustomerDestination(emulator, { ...base, bucket: 'audit-perm-managed', roleName: 'audit-perm-managed' });
  await applyStackBucketSettings(emulator, CUSTOMER_ACCOUNT_ID, 'audit-perm-managed', { tlsOnlyPolicy: true });
  const { iam, s3 } = accountAdminClients(emulator, CUSTOMER_ACCOUNT_ID);
  try {
    const wide = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'storage-read-everything',
        PolicyDocument: JSON.stringify({ Version: POLICY_VERSION, Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }] }),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'audit-perm-managed', PolicyArn: wide.Policy!.Arn! }));

    // No Block Public Access here: AWS would refuse these policies with BlockPublicPolicy on.
    for (const [name, statement] of Object.entries(DANGEROUS_BUCKET_STATEMENTS)) {
      await createCustomerDestination(emulator, { ...base, bucket: name, roleName: name });
      const tls = buildTlsOnlyBucketPolicy<never>({ bucketArn: bucketArn('aws', name), bucketObjectsArn: bucketObjectsArn('aws', name) });
      await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify({ ...tls, Statement: [...tls.Statement, statement] }) }));
    }
  } finally {
    iam.destroy();
    s3.destroy();
  }
}

afterAll(async () => {
  await emulator?.stop();
});

function audit(name: string, externalIds: string | string[] = EXTERNAL_ID): Promise<AuditReport> {
  return auditDestination({
    roleName: name,
    bucket: name,
    trustedAccountId: VENDOR_ACCOUNT_ID,
    externalIds,
    region: 'us-east-1',
    endpointUrl: emulator.url,
    credentials: admin.credentials,
    maxAttempts: 1,
  });
}

/** `ion-dest audit` as the customer's administrator, on the destination `name`. */
async function runAuditCli(name: string, extra: string[] = []): Promise<CliResult> {
  const args = ['audit', '--role-name', name, '--bucket', name, '--trusted-account', VENDOR_ACCOUNT_ID, '--external-id', EXTERNAL_ID, '--endpoint-url', emulator.url, ...extra];
  return runCli(args, { exactEnv: identityEnv(admin.credentials) });
}

function statuses(report: AuditReport): Record<AuditCheckId, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.code ? `${c.status} ${c.code}` : c.status])) as Record<AuditCheckId, string>;
}

const ALL_PASS = Object.fromEntries(AUDIT_CHECK_IDS.map((id) => [id, 'pass'])) as Record<AuditCheckId, string>;

describe('audit against the emulator (customer credentials, IAM enforced)', () => {
  it('a deployment exactly as the contract passes every check', async () => {
    const report = await audit('audit-correct');
    expect(statuses(report)).toEqual(ALL_PASS);
    expect(report.ok).toBe(true);
    expect(report.destination.roleArn).toBe(roleArn('aws', CUSTOMER_ACCOUNT_ID, 'audit-correct'));
    expect(report.checks.find((c) => c.id === 'bucket-lifecycle')!.message).toContain(`${ABORT_INCOMPLETE_MULTIPART_DAYS} day`);
  });

  it('a drifted deployment gets a precise diff', async () => {
    const report = await audit('audit-drifted');
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual({
      'role-trust': 'fail TRUST_POLICY_WIDER',
      'role-permissions': 'fail PERMISSION_ACTION_MISSING',
      'bucket-region': 'pass',
      'bucket-versioning': 'warn VERSIONING_DISABLED',
      'bucket-encryption': 'warn NOT_ENCRYPTED',
      'bucket-public-access': 'warn BUCKET_PUBLIC_ACCESS_NOT_BLOCKED',
      'bucket-ownership': 'warn BUCKET_OWNERSHIP_NOT_ENFORCED',
      'bucket-policy': 'warn BUCKET_POLICY_NO_TLS_DENY',
      'bucket-lifecycle': 'warn BUCKET_LIFECYCLE_NO_ABORT',
    });
    const trust = report.checks.find((c) => c.id === 'role-trust')!.details!;
    expect(trust).toEqual([
      '[TRUST_POLICY_WIDER] trust policy Statement[0] allows sts:TagSession; the contract allows only sts:AssumeRole',
      expect.stringMatching(new RegExp(`^\\[TRUST_PRINCIPAL_MISMATCH\\] trust policy Statement\\[0\\] trusts .*${OTHER_ACCOUNT_ID}.*; expected .*${VENDOR_ACCOUNT_ID}`)),
      `[TRUST_EXTERNAL_ID_MISMATCH] trust policy Statement[0] requires sts:ExternalId "ion-acme-typo"; expected "${EXTERNAL_ID}"`,
    ]);
    const permissions = report.checks.find((c) => c.id === 'role-permissions')!.details!;
    expect(permissions).toEqual([
      `[PERMISSION_ACTION_MISSING] s3:PutObject on ${bucketArn('aws', 'audit-drifted')} is not allowed by any statement`,
      `[PERMISSION_ACTION_MISSING] s3:PutObject on ${bucketObjectsArn('aws', 'audit-drifted')} is not allowed by any statement`,
      expect.stringMatching(/^\[PERMISSION_ACTION_EXTRA\] inline policy ion-dest-test Statement\[0\] \(SnapshotDeliveryBucketAccess\) allows s3:GetBucketAcl/),
      expect.stringMatching(/^\[PERMISSION_RESOURCE_WIDER\] .* names resource \*/),
    ]);
  });

  it.each([
    ['audit-external-id', 'TRUST_EXTERNAL_ID_MISMATCH', /requires sts:ExternalId "ion-acme-typo"/],
    ['audit-principal', 'TRUST_PRINCIPAL_MISMATCH', new RegExp(`account ${OTHER_ACCOUNT_ID}`)],
  ])('tells apart what verify cannot: %s', async (name, code, detail) => {
    const report = await audit(name);
    const trust = report.checks.find((c) => c.id === 'role-trust')!;
    expect(trust).toMatchObject({ status: 'fail', code });
    expect(trust.details).toHaveLength(1);
    expect(trust.details![0]).toMatch(detail);
    expect(report.checks.find((c) => c.id === 'role-permissions')!.status).toBe('pass');
  });

  it('reads attached managed policies as well as inline ones', async () => {
    const report = await audit('audit-attached');
    expect(report.checks.find((c) => c.id === 'role-permissions')).toMatchObject({ status: 'pass' });
  });

  it('expects the KMS statement when the bucket uses a customer-managed key', async () => {
    const [withKey, without] = await Promise.all([audit('audit-kms'), audit('audit-kms-missing')]);
    expect(withKey.checks.find((c) => c.id === 'role-permissions')!.message).toContain('KMS key');
    expect(withKey.checks.find((c) => c.id === 'role-permissions')!.status).toBe('pass');
    const missing = without.checks.find((c) => c.id === 'role-permissions')!;
    expect(missing).toMatchObject({ status: 'fail', code: 'PERMISSION_ACTION_MISSING' });
    expect(missing.details).toEqual([
      `[PERMISSION_ACTION_MISSING] kms:GenerateDataKey on ${kmsKeyArn} is not allowed by any statement`,
      `[PERMISSION_ACTION_MISSING] kms:Decrypt on ${kmsKeyArn} is not allowed by any statement`,
    ]);
  });

  it('reports a role that does not exist', async () => {
    const report = await auditDestination({
      roleName: 'no-such-role',
      bucket: 'audit-correct',
      trustedAccountId: VENDOR_ACCOUNT_ID,
      externalIds: EXTERNAL_ID,
      endpointUrl: emulator.url,
      credentials: admin.credentials,
      maxAttempts: 1,
    });
    expect(report.checks[0]).toMatchObject({ id: 'role-trust', status: 'fail', code: 'AUDIT_ROLE_NOT_FOUND' });
    expect(report.checks[1]).toMatchObject({ id: 'role-permissions', status: 'skip' });
  });

  it('the deployed policies, read back, agree with an independent IAM engine', async () => {
    const { iam } = clientsFor(emulator, admin.credentials);
    const caller = roleArn('aws', VENDOR_ACCOUNT_ID, 'ion-delivery-service');
    const callerPolicy = vendorAssumeRolePolicy({ anyRole: true });
    const correct = await readDeployedRole(iam, 'audit-correct');
    const typo = await readDeployedRole(iam, 'audit-external-id');
    iam.destroy();
    const assume = (trust: unknown, arn: string, externalId?: string) =>
      simulateAssumeRole({ trust, roleArn: arn, callerArn: caller, callerPolicy, ...(externalId ? { externalId } : {}) });
    expect(await assume(correct.trustPolicy, correct.roleArn, EXTERNAL_ID)).toBe('Allowed');
    expect(await assume(correct.trustPolicy, correct.roleArn)).toBe('ImplicitlyDenied');
    expect(await assume(typo.trustPolicy, typo.roleArn, EXTERNAL_ID)).toBe('ImplicitlyDenied');
    const put = (resource: string) =>
      simulateRoleAction({
        roleArn: correct.roleArn,
        policies: correct.permissionPolicies.map((p) => p.document),
        action: 's3:PutObject',
        resource,
        resourceAccount: CUSTOMER_ACCOUNT_ID,
      });
    expect(await put(`${bucketArn('aws', 'audit-correct')}/acme/job/x.tar`)).toBe('Allowed');
    expect(await put(`${bucketArn('aws', 'audit-drifted')}/acme/job/x.tar`)).toBe('ImplicitlyDenied');
  });

  it('ion-dest audit --json exits 1 on a drifted deployment', async () => {
    const run = await runAuditCli('audit-principal', ['--json']);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as AuditReport;
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => c.id)).toEqual([...AUDIT_CHECK_IDS]);
    expect(report.checks[0]).toMatchObject({ id: 'role-trust', status: 'fail', code: 'TRUST_PRINCIPAL_MISMATCH' });
  });
});

describe('audit never calls a dangerous setup exact (documents stored by IAM and S3 on the emulator)', () => {
  it('IAM and S3 give back each dangerous document as written', async () => {
    const { iam, s3 } = clientsFor(emulator, admin.credentials);
    try {
      for (const [name, trust] of Object.entries(DANGEROUS_TRUST)) {
        expect((await readDeployedRole(iam, name)).trustPolicy).toEqual(trust);
      }
      const managed = await readDeployedRole(iam, 'audit-perm-managed');
      expect(managed.permissionPolicies.map((p) => p.source)).toEqual([
        'inline policy ion-dest-test',
        `attached policy arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:policy/storage-read-everything`,
      ]);
      for (const [name, statement] of Object.entries(DANGEROUS_BUCKET_STATEMENTS)) {
        const got = await s3.send(new GetBucketPolicyCommand({ Bucket: name, ExpectedBucketOwner: CUSTOMER_ACCOUNT_ID }));
        expect((JSON.parse(got.Policy!) as { Statement: unknown[] }).Statement[1]).toEqual(statement);
      }
    } finally {
      iam.destroy();
      s3.destroy();
    }
  });

  it.each<[string, AuditCheckId, string, RegExp]>([
    [
      'audit-trust-notaction',
      'role-trust',
      'TRUST_PRINCIPAL_WILDCARD',
      /^\[TRUST_PRINCIPAL_WILDCARD\] trust policy Statement\[1\] allows any AWS principal \(\*\) every action except sts:TagSession, with no condition: it lets them assume the role without the external ID/,
    ],
    [
      'audit-trust-fr-notaction',
      'role-trust',
      'TRUST_POLICY_WIDER',
      new RegExp(`^\\[TRUST_POLICY_WIDER\\] trust policy Statement\\[1\\] allows arn:aws:iam::${VENDOR_ACCOUNT_ID}:root every action except sts:TagSession, with no condition: it lets them assume the role without the external ID`),
    ],
    ['audit-perm-s3-star', 'role-permissions', 'PERMISSION_ACTION_EXTRA', /^\[PERMISSION_ACTION_EXTRA\] inline policy ion-dest-test Statement\[0\] \(SnapshotDeliveryBucketAccess\) allows s3:\* on .*, with no condition: a wildcard matching actions the delivery does not use/],
    [
      'audit-perm-managed',
      'role-permissions',
      'PERMISSION_ACTION_EXTRA',
      new RegExp(`^\\[PERMISSION_ACTION_EXTRA\\] attached policy arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:policy/storage-read-everything Statement\\[0\\] allows s3:Get\\* on every resource \\(\\*\\), with no condition`),
    ],
    [
      'audit-bucket-fr',
      'bucket-policy',
      'BUCKET_POLICY_CROSS_ACCOUNT',
      new RegExp(`^\\[BUCKET_POLICY_CROSS_ACCOUNT\\] bucket policy Statement\\[1\\] \\(VendorDirect\\) allows arn:aws:iam::${VENDOR_ACCOUNT_ID}:root s3:GetObject, s3:PutObject on arn:aws:s3:::audit-bucket-fr/\\*, with no condition: it grants First Resonance's account ${VENDOR_ACCOUNT_ID} directly, bypassing the delivery role and its external ID`),
    ],
    ['audit-bucket-public', 'bucket-policy', 'BUCKET_POLICY_PUBLIC', /^\[BUCKET_POLICY_PUBLIC\] bucket policy Statement\[1\] \(PublicRead\) allows any AWS principal \(\*\) s3:GetObject on arn:aws:s3:::audit-bucket-public\/\*, with no condition: anyone/],
    [
      'audit-bucket-trivial',
      'bucket-policy',
      'BUCKET_POLICY_PUBLIC',
      new RegExp(`^\\[BUCKET_POLICY_PUBLIC\\] bucket policy Statement\\[1\\] \\(PublicReadOverTls\\) allows any AWS principal \\(\\*\\) s3:GetObject on .*, only when Bool aws:SecureTransport "true": anyone .*; its condition does not limit the caller to account ${CUSTOMER_ACCOUNT_ID}`),
    ],
  ])('%s: %s fails with %s and says what it allows', async (name, check, code, explanation) => {
    const report = await audit(name);
    expect(report.ok).toBe(false);
    const result = report.checks.find((c) => c.id === check)!;
    expect(result).toMatchObject({ status: 'fail', code });
    expect(result.cause).toBeTruthy();
    expect(result.fix).toBeTruthy();
    expect(result.details).toContainEqual(expect.stringMatching(explanation));
    // The rest of the destination is the contract: only the dangerous document fails.
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([check]);
  });

  it('ion-dest audit exits 1 and explains the NotAction statement beside the contract', async () => {
    const run = await runAuditCli('audit-trust-notaction');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/FAIL\s+role-trust\s+1 difference\(s\) from the contract/);
    expect(run.stdout).toContain('trust policy Statement[1] allows any AWS principal (*) every action except sts:TagSession, with no condition');
    expect(run.stdout).not.toMatch(/role-trust\s+trust policy grants exactly the contract/);
    expect(run.stdout).toMatch(/^FAILED: /m);
  });

  it('ion-dest audit --json exits 1 on a bucket policy granting First Resonance directly', async () => {
    const run = await runAuditCli('audit-bucket-fr', ['--json']);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as AuditReport;
    expect(report.checks.find((c) => c.id === 'bucket-policy')).toMatchObject({ status: 'fail', code: 'BUCKET_POLICY_CROSS_ACCOUNT' });
  });
});
