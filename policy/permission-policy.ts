import { bucketArn, bucketObjectsArn } from './arns.js';
import type { Partition } from './partitions.js';
import { assertNoProblems, validateBucketName, validateKmsKeyArn } from './validate.js';
import { POLICY_VERSION, type PolicyDocument, type PolicyStatement, type PolicyValue } from './types.js';

/** Sid of the bucket statement, as in the setup guide. */
export const BUCKET_STATEMENT_SID = 'SnapshotDeliveryBucketAccess';
/** Sid of the statement added when the bucket is encrypted with a customer-managed KMS key. */
export const KMS_STATEMENT_SID = 'SnapshotDeliveryKmsKeyAccess';

/**
 * The S3 actions the delivery role needs, in the setup guide's order.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export const BUCKET_ACTIONS = [
  's3:GetObject', // read back the verifier's test object
  's3:PutObject', // the upload itself, single and multipart
  's3:DeleteObject', // remove the verifier's test object
  's3:AbortMultipartUpload', // never leave a failed upload's parts behind
  's3:ListBucketMultipartUploads', // find incomplete uploads to clean up
  's3:ListMultipartUploadParts', // resume and verify multipart uploads
  's3:ListBucket', // list the tenant prefix; also authorizes HeadBucket
] as const;

/**
 * KMS actions for an SSE-KMS bucket with a customer-managed key.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 */
export const KMS_ACTIONS = [
  'kms:GenerateDataKey', // encrypt each new object (and each multipart part)
  'kms:Decrypt', // required for multipart uploads: S3 decrypts the data key to assemble parts
] as const;

export interface PermissionPolicyOptions {
  bucket: string;
  partition?: Partition;
  /** Customer-managed KMS key that encrypts the bucket (SSE-KMS). */
  kmsKeyArn?: string;
}

export interface PermissionPolicyParts<T> {
  bucketArn: PolicyValue<T>;
  bucketObjectsArn: PolicyValue<T>;
  kmsKeyArn?: PolicyValue<T>;
}

/**
 * The statement structure of the permission policy, over any value type. Every form
 * of the permission policy is built by this function.
 */
export function buildPermissionPolicy<T>(parts: PermissionPolicyParts<T>): PolicyDocument<T> {
  const statements: PolicyStatement<T>[] = [
    {
      Sid: BUCKET_STATEMENT_SID,
      Effect: 'Allow',
      Action: [...BUCKET_ACTIONS],
      Resource: [parts.bucketArn, parts.bucketObjectsArn],
    },
  ];
  if (parts.kmsKeyArn !== undefined) {
    statements.push({
      Sid: KMS_STATEMENT_SID,
      Effect: 'Allow',
      Action: [...KMS_ACTIONS],
      Resource: parts.kmsKeyArn,
    });
  }
  return { Version: POLICY_VERSION, Statement: statements };
}

/**
 * The role's permission policy: the delivery's S3 actions on one bucket, and its KMS key
 * if any. Throws INVALID_INPUT for a bad bucket name or KMS key ARN.
 */
export function permissionPolicy(options: PermissionPolicyOptions): PolicyDocument {
  assertNoProblems([
    validateBucketName(options.bucket),
    options.kmsKeyArn === undefined ? undefined : validateKmsKeyArn(options.kmsKeyArn),
  ]);
  const partition = options.partition ?? 'aws';
  return buildPermissionPolicy<never>({
    bucketArn: bucketArn(partition, options.bucket),
    bucketObjectsArn: bucketObjectsArn(partition, options.bucket),
    ...(options.kmsKeyArn ? { kmsKeyArn: options.kmsKeyArn } : {}),
  });
}
