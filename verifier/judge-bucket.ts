import {
  BUCKET_ACTIONS,
  bucketArn,
  bucketObjectsArn,
  type Partition,
} from '../policy/index.js';
import { flag, pass, type Verdict } from './check-result.js';
import { matchesPattern } from './diff-policy.js';
import type { DeployedBucket } from './read-bucket.js';

/**
 * Verdicts on a bucket's settings against what the setup guide recommends and the
 * customer stack deploys. Pure functions of what read-bucket.ts read.
 */

export function judgeRegion(bucket: DeployedBucket, expected: string | undefined): Verdict {
  if (expected === undefined || expected === bucket.region) return pass(`bucket is in ${bucket.region}`);
  return flag('fail', 'BUCKET_WRONG_REGION', `bucket is in ${bucket.region}, not ${expected}`);
}

export function judgeVersioning(bucket: DeployedBucket): Verdict {
  if (bucket.versioning === 'Enabled') return pass('versioning is enabled');
  return flag('warn', 'VERSIONING_DISABLED', `versioning is ${bucket.versioning === 'Off' ? 'off' : 'suspended'}`);
}

export function judgeEncryption(bucket: DeployedBucket): Verdict {
  const e = bucket.encryption;
  if (!e) return flag('warn', 'NOT_ENCRYPTED', 'the bucket has no default encryption');
  if (e.algorithm === 'AES256') return pass('default encryption SSE-S3 (AES256)');
  return pass(`default encryption ${e.algorithm === 'aws:kms' ? 'SSE-KMS' : e.algorithm}${e.kmsKeyId ? ` with key ${e.kmsKeyId}` : ''}`);
}

export function judgePublicAccessBlock(bucket: DeployedBucket): Verdict {
  const block = bucket.publicAccessBlock;
  if (!block) return flag('warn', 'BUCKET_PUBLIC_ACCESS_NOT_BLOCKED', 'the bucket has no Block Public Access configuration');
  const off = Object.entries(block).filter(([, on]) => !on).map(([name]) => name);
  if (off.length === 0) return pass('all four Block Public Access settings are on');
  return flag('warn', 'BUCKET_PUBLIC_ACCESS_NOT_BLOCKED', `Block Public Access settings off: ${off.join(', ')}`);
}

/** @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html */
export function judgeOwnership(bucket: DeployedBucket): Verdict {
  if (bucket.ownership === 'BucketOwnerEnforced') return pass('Object Ownership is BucketOwnerEnforced (ACLs disabled)');
  return flag('warn', 'BUCKET_OWNERSHIP_NOT_ENFORCED', `Object Ownership is ${bucket.ownership ?? 'not configured'}, not BucketOwnerEnforced`);
}

interface RawStatement {
  Sid?: unknown;
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

function list(value: unknown): string[] {
  return value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map(String);
}

function isWildcardPrincipal(principal: unknown): boolean {
  return principal === '*' || (typeof principal === 'object' && principal !== null && list((principal as { AWS?: unknown }).AWS).includes('*'));
}

/**
 * A bucket policy is optional. It is flagged when it allows everyone unconditionally,
 * or denies a delivery action with no condition (a TLS-only deny is conditional and fine).
 */
export function judgeBucketPolicy(bucket: DeployedBucket, bucketName: string, partition: Partition): Verdict {
  if (bucket.policy === undefined) return pass('no bucket policy');
  const raw = (bucket.policy as { Statement?: unknown }).Statement;
  const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []) as RawStatement[];
  const resources = [bucketArn(partition, bucketName), bucketObjectsArn(partition, bucketName)];
  const risks: string[] = [];
  statements.forEach((s, i) => {
    const where = `Statement[${i}]${typeof s.Sid === 'string' ? ` (${s.Sid})` : ''}`;
    if (s.Effect === 'Allow' && isWildcardPrincipal(s.Principal) && s.Condition === undefined) {
      risks.push(`${where} allows ${list(s.Action).join(', ')} to every principal`);
    }
    if (s.Effect === 'Deny' && s.Condition === undefined) {
      const denied = BUCKET_ACTIONS.filter(
        (a) => list(s.Action).some((p) => matchesPattern(p, a, true)) && list(s.Resource).some((r) => resources.some((res) => matchesPattern(r, res))),
      );
      if (denied.length > 0) risks.push(`${where} denies ${denied.join(', ')} with no condition`);
    }
  });
  if (risks.length === 0) return pass(`bucket policy has ${statements.length} statement(s), none in the delivery's way`);
  return flag('warn', 'BUCKET_POLICY_RISK', `bucket policy: ${risks.length} statement(s) to review`, { details: risks });
}

/** @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html */
export function judgeLifecycle(bucket: DeployedBucket): Verdict {
  const days = bucket.abortIncompleteUploadsAfterDays;
  if (days !== undefined) return pass(`incomplete multipart uploads are aborted after ${days} day(s)`);
  return flag('warn', 'BUCKET_LIFECYCLE_NO_ABORT', 'no lifecycle rule aborts incomplete multipart uploads');
}
