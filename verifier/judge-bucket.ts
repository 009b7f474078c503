import { flag, pass, type Verdict } from './check-result.js';
import { diffBucketPolicy, type BucketPolicyExpectation } from './diff-bucket-policy.js';
import { verdictFromDifferences } from './diff-policy.js';
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

/**
 * A bucket policy is optional; the contract needs none. See diffBucketPolicy for the rule:
 * any Allow reaching outside the owner's account fails, a missing TLS-only deny warns.
 */
export function judgeBucketPolicy(bucket: DeployedBucket, expectation: BucketPolicyExpectation): Verdict {
  const differences = diffBucketPolicy(expectation, bucket.policy);
  const raw = (bucket.policy as { Statement?: unknown } | undefined)?.Statement;
  const count = Array.isArray(raw) ? raw.length : raw ? 1 : 0;
  return verdictFromDifferences(
    differences,
    `bucket policy has ${count} statement(s): the TLS-only deny, and no access for anyone outside account ${expectation.ownerAccountId}`,
  );
}

/** @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html */
export function judgeLifecycle(bucket: DeployedBucket): Verdict {
  const days = bucket.abortIncompleteUploadsAfterDays;
  if (days !== undefined) return pass(`incomplete multipart uploads are aborted after ${days} day(s)`);
  return flag('warn', 'BUCKET_LIFECYCLE_NO_ABORT', 'no lifecycle rule aborts incomplete multipart uploads');
}
