import { createIamClient, createS3Client } from '../aws/clients.js';
import { readCallerAccount } from '../aws/caller-account.js';
import { resolveEndpointUrl } from '../aws/endpoint.js';
import { IonDestError } from '../errors/index.js';
import {
  assertNoProblems,
  bucketArn,
  parseRoleArn,
  partitionOfRegion,
  permissionPolicy,
  validateBucketName,
  validateExternalIds,
  validateKmsKeyArn,
  validateRegion,
  validateRoleName,
  validateTenant,
  validateTrustedAccountId,
  type Partition,
  type PolicyDocument,
} from '../policy/index.js';
import { failFrom, flag, skip, type Verdict } from './check-result.js';
import { diffPermissionPolicy, diffTrustPolicy, verdictFromDifferences, type DeployedPolicy } from './diff-policy.js';
import { list, statementsOf } from './policy-statements.js';
import {
  judgeBucketPolicy,
  judgeEncryption,
  judgeLifecycle,
  judgeOwnership,
  judgePublicAccessBlock,
  judgeRegion,
  judgeVersioning,
} from './judge-bucket.js';
import { readBucketRegion, readDeployedBucket, type DeployedBucket } from './read-bucket.js';
import { readDeployedRole, type DeployedRole } from './read-role.js';
import type { CheckResult } from './types.js';

/** Every check `audit` reports, in order. */
export const AUDIT_CHECK_IDS = [
  'role-trust',
  'role-permissions',
  'bucket-region',
  'bucket-versioning',
  'bucket-encryption',
  'bucket-public-access',
  'bucket-ownership',
  'bucket-policy',
  'bucket-lifecycle',
] as const;
export type AuditCheckId = (typeof AUDIT_CHECK_IDS)[number];

export interface AuditOptions {
  roleName: string;
  bucket: string;
  trustedAccountId: string;
  /** One external ID, or several during a rotation's overlap window. */
  externalIds: string | readonly string[];
  /** Region the bucket is expected in; the audit reads it either way. */
  region?: string;
  endpointUrl?: string;
  profile?: string;
  credentials?: import('@smithy/types').AwsCredentialIdentity;
  maxAttempts?: number;
  /**
   * The tenant prefix the role's grant is narrowed to (CloudFormation `TenantPrefix`,
   * Terraform `tenant_prefix`): the expected permission policy is then the prefix-narrowed
   * one. Without it, a policy narrowed to one prefix warns (it grants less than the
   * contract) rather than fails.
   */
  tenantPrefix?: string;
}

export interface AuditReport {
  ok: boolean;
  destination: { roleName: string; roleArn: string | undefined; bucket: string; region: string | undefined; trustedAccountId: string };
  checks: CheckResult<AuditCheckId>[];
}

/** IAM is global; its calls go to us-east-1 unless the bucket's partition has its own. */
const DEFAULT_AUDIT_REGION = 'us-east-1';

function timed(id: AuditCheckId, verdict: Verdict, durationMs: number): CheckResult<AuditCheckId> {
  return { id, ...verdict, durationMs };
}

/**
 * Validate before any AWS call; throws one INVALID_INPUT naming each option (`roleName`,
 * `externalIds`, …). The external IDs are one, or up to MAX_EXTERNAL_IDS during a rotation:
 * a trust policy with more is not one the stacks deploy.
 */
export function validateAuditOptions(options: AuditOptions): void {
  const ids = typeof options.externalIds === 'string' ? [options.externalIds] : [...options.externalIds];
  assertNoProblems([
    validateRoleName(options.roleName, 'roleName'),
    validateBucketName(options.bucket, 'bucket'),
    validateTrustedAccountId(options.trustedAccountId, 'trustedAccountId'),
    ...validateExternalIds(ids, 'externalIds'),
    options.region === undefined ? undefined : validateRegion(options.region, 'region'),
    options.tenantPrefix === undefined ? undefined : validateTenant(options.tenantPrefix, 'tenantPrefix'),
  ]);
  try {
    resolveEndpointUrl(options.endpointUrl);
  } catch (error) {
    if (!(error instanceof IonDestError) || error.code !== 'INVALID_INPUT') throw error;
    assertNoProblems(error.problems.map((p) => ({ ...p, field: 'endpointUrl' })));
  }
}

/**
 * The customer's audit: read the role and the bucket with the customer's own
 * credentials and compare them with what `policy/` expects. It tells apart what
 * the vendor side cannot (a wrong principal from a wrong external ID).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
 */
export async function auditDestination(options: AuditOptions): Promise<AuditReport> {
  validateAuditOptions(options);
  const externalIds = typeof options.externalIds === 'string' ? [options.externalIds] : [...options.externalIds];
  const base = {
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
  const homeRegion = options.region ?? DEFAULT_AUDIT_REGION;
  const iam = createIamClient({ ...base, region: homeRegion });
  const results = new Map<AuditCheckId, CheckResult<AuditCheckId>>();
  let role: DeployedRole | undefined;
  let roleError: IonDestError | undefined;
  const roleStarted = performance.now();
  try {
    role = await readDeployedRole(iam, options.roleName);
  } catch (error) {
    if (!(error instanceof IonDestError)) throw error;
    roleError = error;
  } finally {
    iam.destroy();
  }
  const roleMs = Math.round(performance.now() - roleStarted);
  const parsed = role ? parseRoleArn(role.roleArn) : undefined;
  const partition: Partition = parsed?.partition ?? (options.region ? partitionOfRegion(options.region) : undefined) ?? 'aws';

  const bucketStarted = performance.now();
  let bucket: DeployedBucket | undefined;
  let bucketError: IonDestError | undefined;
  // The customer's own account owns the bucket: the role's account, else the caller's.
  const owner = parsed?.accountId ?? (await readCallerAccount({ ...base, region: homeRegion }));
  const s3Home = createS3Client({ ...base, region: homeRegion, expectedBucketOwner: owner });
  try {
    const region = await readBucketRegion(s3Home, options.bucket);
    const s3 = region === homeRegion ? s3Home : createS3Client({ ...base, region, expectedBucketOwner: owner });
    try {
      bucket = await readDeployedBucket(s3, options.bucket, region);
    } finally {
      if (s3 !== s3Home) s3.destroy();
    }
  } catch (error) {
    if (!(error instanceof IonDestError)) throw error;
    bucketError = error;
  } finally {
    s3Home.destroy();
  }
  const bucketMs = Math.round(performance.now() - bucketStarted);

  if (role) {
    results.set(
      'role-trust',
      timed(
        'role-trust',
        verdictFromDifferences(
          diffTrustPolicy({ trustedAccountId: options.trustedAccountId, externalIds, partition }, role.trustPolicy),
          `trust policy grants exactly the contract: ${options.trustedAccountId} with the external ID`,
        ),
        roleMs,
      ),
    );
    const kmsKeyArn = bucket?.encryption?.algorithm.startsWith('aws:kms') ? bucket.encryption.kmsKeyId : undefined;
    const keyUsable = kmsKeyArn !== undefined && validateKmsKeyArn(kmsKeyArn) === undefined;
    const expectedFor = (tenantPrefix?: string) =>
      permissionPolicy({
        bucket: options.bucket,
        partition,
        ...(keyUsable ? { kmsKeyArn } : {}),
        ...(tenantPrefix !== undefined ? { tenantPrefix } : {}),
      });
    const scope = `${options.bucket}${options.tenantPrefix !== undefined ? ` under the tenant prefix ${options.tenantPrefix}/` : ''}${keyUsable ? ' and its KMS key' : ''}`;
    let permissions = verdictFromDifferences(
      diffPermissionPolicy(expectedFor(options.tenantPrefix), role.permissionPolicies),
      `permission policies grant exactly the contract on ${scope}`,
    );
    if (permissions.status === 'fail' && options.tenantPrefix === undefined) {
      permissions = narrowedToPrefix(role.permissionPolicies, options.bucket, partition, expectedFor) ?? permissions;
    }
    if (kmsKeyArn !== undefined && !keyUsable) {
      permissions.details = [...(permissions.details ?? []), `the bucket's KMS key is named ${kmsKeyArn}, not by key ARN: its KMS statement was not checked`];
    }
    results.set('role-permissions', timed('role-permissions', permissions, roleMs));
  } else if (roleError) {
    results.set('role-trust', timed('role-trust', failFrom(roleError), roleMs));
    results.set('role-permissions', timed('role-permissions', skip('skipped: the role could not be read'), 0));
  }

  const bucketChecks: [AuditCheckId, (b: DeployedBucket) => Verdict][] = [
    ['bucket-region', (b) => judgeRegion(b, options.region)],
    ['bucket-versioning', judgeVersioning],
    ['bucket-encryption', judgeEncryption],
    ['bucket-public-access', judgePublicAccessBlock],
    ['bucket-ownership', judgeOwnership],
    ['bucket-policy', (b) => judgeBucketPolicy(b, { bucket: options.bucket, partition, ownerAccountId: owner, trustedAccountId: options.trustedAccountId })],
    ['bucket-lifecycle', judgeLifecycle],
  ];
  for (const [id, judge] of bucketChecks) {
    if (bucket) results.set(id, timed(id, judge(bucket), bucketMs));
    else if (bucketError && id === 'bucket-region') results.set(id, timed(id, failFrom(bucketError), bucketMs));
    else results.set(id, timed(id, skip('skipped: the bucket could not be read'), 0));
  }

  const checks = AUDIT_CHECK_IDS.map((id) => results.get(id) ?? timed(id, skip('skipped'), 0));
  return {
    ok: checks.every((c) => c.status !== 'fail'),
    destination: {
      roleName: options.roleName,
      roleArn: role?.roleArn,
      bucket: options.bucket,
      region: bucket?.region ?? options.region,
      trustedAccountId: options.trustedAccountId,
    },
    checks,
  };
}

/**
 * A permission policy that is exactly the prefix-narrowed form for one tenant prefix,
 * when the audit was not told the prefix: a warning (it grants less than the contract,
 * deliveries to that tenant work) that names the prefix, instead of a failure.
 */
function narrowedToPrefix(
  deployed: readonly DeployedPolicy[],
  bucket: string,
  partition: Partition,
  expectedFor: (tenantPrefix: string) => PolicyDocument,
): Verdict | undefined {
  const objectsOf = `${bucketArn(partition, bucket)}/`;
  const prefixes = new Set<string>();
  for (const { statement } of statementsOf(deployed)) {
    for (const resource of list(statement.Resource)) {
      if (resource.startsWith(objectsOf) && resource.endsWith('/*')) {
        const prefix = resource.slice(objectsOf.length, -2);
        if (validateTenant(prefix) === undefined) prefixes.add(prefix);
      }
    }
  }
  if (prefixes.size !== 1) return undefined;
  const [prefix] = [...prefixes] as [string];
  const differences = diffPermissionPolicy(expectedFor(prefix), deployed);
  if (differences.some((d) => d.severity !== 'note')) return undefined;
  return flag('warn', 'PERMISSION_NARROWED_TO_PREFIX', `permission policies are narrowed to the tenant prefix ${prefix}/ (exactly the prefix-narrowed form); audit with --tenant-prefix ${prefix} to check it as exact`, {
    details: differences.map((d) => `[note] ${d.message}`),
  });
}
