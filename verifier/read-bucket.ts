import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describeAwsError, isAccessDenied, toIonDestError } from '../aws/aws-errors.js';
import { parsePolicyDocument } from './read-role.js';

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface DeployedBucket {
  region: string;
  versioning: 'Enabled' | 'Suspended' | 'Off';
  encryption: { algorithm: string; kmsKeyId?: string } | undefined;
  publicAccessBlock: PublicAccessBlock | undefined;
  ownership: string | undefined;
  policy: unknown;
  /** Days after which incomplete multipart uploads are aborted, when a rule says so. */
  abortIncompleteUploadsAfterDays: number | undefined;
}

/** Answers meaning "this setting is not configured", not a failure. */
const NOT_CONFIGURED = new Set([
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchPublicAccessBlockConfiguration',
  'OwnershipControlsNotFoundError',
  'NoSuchBucketPolicy',
  'NoSuchLifecycleConfiguration',
]);

async function readSetting<T>(what: string, send: () => Promise<T>): Promise<T | undefined> {
  try {
    return await send();
  } catch (error) {
    if (NOT_CONFIGURED.has(describeAwsError(error).name)) return undefined;
    throw toIonDestError(error, what, 'source', (f) =>
      f.name === 'NoSuchBucket' || f.httpStatus === 404 ? 'BUCKET_NOT_FOUND' : isAccessDenied(f) ? 'AUDIT_READ_DENIED' : undefined,
    );
  }
}

/**
 * The bucket's region. GetBucketLocation answers `null` for us-east-1 and `EU` for eu-west-1.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
 */
export async function readBucketRegion(s3: S3Client, bucket: string): Promise<string> {
  const location = await readSetting(`GetBucketLocation ${bucket}`, () => s3.send(new GetBucketLocationCommand({ Bucket: bucket })));
  const constraint = location?.LocationConstraint as string | undefined;
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

/** Read every bucket setting the audit judges, concurrently. Call with a client in the bucket's region. */
export async function readDeployedBucket(s3: S3Client, bucket: string, region: string): Promise<DeployedBucket> {
  const [versioning, encryption, pab, ownership, policy, lifecycle] = await Promise.all([
    readSetting(`GetBucketVersioning ${bucket}`, () => s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))),
    readSetting(`GetBucketEncryption ${bucket}`, () => s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))),
    readSetting(`GetPublicAccessBlock ${bucket}`, () => s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))),
    readSetting(`GetBucketOwnershipControls ${bucket}`, () => s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))),
    readSetting(`GetBucketPolicy ${bucket}`, () => s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))),
    readSetting(`GetBucketLifecycleConfiguration ${bucket}`, () =>
      s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
    ),
  ]);
  const rule = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
  const block = pab?.PublicAccessBlockConfiguration;
  const abortDays = (lifecycle?.Rules ?? [])
    .filter((r) => r.Status === 'Enabled' && r.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined)
    .map((r) => r.AbortIncompleteMultipartUpload?.DaysAfterInitiation as number);
  return {
    region,
    versioning: versioning?.Status === 'Enabled' ? 'Enabled' : versioning?.Status === 'Suspended' ? 'Suspended' : 'Off',
    encryption: rule?.SSEAlgorithm
      ? { algorithm: rule.SSEAlgorithm, ...(rule.KMSMasterKeyID ? { kmsKeyId: rule.KMSMasterKeyID } : {}) }
      : undefined,
    publicAccessBlock: block
      ? {
          BlockPublicAcls: block.BlockPublicAcls === true,
          IgnorePublicAcls: block.IgnorePublicAcls === true,
          BlockPublicPolicy: block.BlockPublicPolicy === true,
          RestrictPublicBuckets: block.RestrictPublicBuckets === true,
        }
      : undefined,
    ownership: ownership?.OwnershipControls?.Rules?.[0]?.ObjectOwnership,
    policy: policy?.Policy ? parsePolicyDocument(policy.Policy, `bucket policy of ${bucket}`) : undefined,
    abortIncompleteUploadsAfterDays: abortDays.length > 0 ? Math.min(...abortDays) : undefined,
  };
}
