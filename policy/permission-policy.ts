import { bucketArn, bucketObjectsArn } from './arns.js';
import type { Partition } from './partitions.js';
import { assertNoProblems, validateBucketName, validateKmsKeyArn, validateTenant } from './validate.js';
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

/** Sid of the object statement of a prefix-narrowed policy (objects under `<prefix>/` only). */
export const TENANT_OBJECTS_STATEMENT_SID = 'SnapshotDeliveryTenantObjects';
/** Sid of the listing statement of a prefix-narrowed policy (`s3:ListBucket` for keys under `<prefix>/`). */
export const TENANT_LISTING_STATEMENT_SID = 'SnapshotDeliveryTenantListing';
/** Sid of the in-progress uploads statement of a prefix-narrowed policy (bucket-wide, see below). */
export const BUCKET_UPLOADS_STATEMENT_SID = 'SnapshotDeliveryBucketUploads';

/**
 * The object actions of a prefix-narrowed policy, granted on `<bucket>/<prefix>/*` only.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html (resource type `object`)
 */
export const TENANT_OBJECT_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
] as const;

/**
 * The condition operator and key that hold `s3:ListBucket` to keys under the prefix.
 * `s3:ListBucket` (ListObjects, ListObjectsV2) supports the `s3:prefix` condition key; a
 * request without the key (a listing of the whole bucket, HeadBucket) does not match a
 * `StringLike` condition, so it is refused.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html ("If the key that you specify in a policy condition is not present in the request context, the values do not match and the condition is false.")
 */
export const PREFIX_CONDITION_OPERATOR = 'StringLike';
export const PREFIX_CONDITION_KEY = 's3:prefix';

/**
 * `s3:ListBucketMultipartUploads` does not support the `s3:prefix` condition key in the
 * service authorization reference, so a `s3:prefix` condition on it would always be false
 * and the delivery could no longer find its incomplete uploads. A narrowed policy keeps it
 * on the bucket, unconditioned: the role can see the keys and upload IDs of in-progress
 * uploads across the bucket (it cannot read, complete or abort them outside the prefix).
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export const BUCKET_UPLOAD_ACTIONS = ['s3:ListBucketMultipartUploads'] as const;

export interface PermissionPolicyOptions {
  bucket: string;
  partition?: Partition;
  /** Customer-managed KMS key that encrypts the bucket (SSE-KMS). */
  kmsKeyArn?: string;
  /**
   * Narrow the grant to keys under `<tenantPrefix>/` (opt-in; the setup guide's exact
   * policy is the default). The same rule as a tenant: the tenant is the prefix of the
   * delivered layout `<bucket>/<tenant>/<job>/…`.
   */
  tenantPrefix?: string;
}

/** The values a prefix-narrowed policy needs, each in the builder's value type. */
export interface TenantPrefixParts<T> {
  /** `arn:<partition>:s3:::<bucket>/<prefix>/*` */
  objectsArn: PolicyValue<T>;
  /** `<prefix>/*`, the `s3:prefix` pattern. */
  listPattern: PolicyValue<T>;
}

export interface PermissionPolicyParts<T> {
  bucketArn: PolicyValue<T>;
  bucketObjectsArn: PolicyValue<T>;
  kmsKeyArn?: PolicyValue<T>;
  tenantPrefix?: TenantPrefixParts<T>;
}

/** `<prefix>/*`: the `s3:prefix` pattern of a tenant prefix. */
export function tenantListPattern(prefix: string): string {
  return `${prefix}/*`;
}

/** `arn:<partition>:s3:::<bucket>/<prefix>/*`: every object under a tenant prefix. */
export function tenantObjectsArn(partition: Partition, bucket: string, prefix: string): string {
  return `${bucketArn(partition, bucket)}/${prefix}/*`;
}

function bucketStatements<T>(parts: PermissionPolicyParts<T>): PolicyStatement<T>[] {
  if (parts.tenantPrefix === undefined) {
    return [{ Sid: BUCKET_STATEMENT_SID, Effect: 'Allow', Action: [...BUCKET_ACTIONS], Resource: [parts.bucketArn, parts.bucketObjectsArn] }];
  }
  return [
    {
      Sid: TENANT_OBJECTS_STATEMENT_SID,
      Effect: 'Allow',
      Action: [...TENANT_OBJECT_ACTIONS],
      Resource: parts.tenantPrefix.objectsArn,
    },
    {
      Sid: TENANT_LISTING_STATEMENT_SID,
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: parts.bucketArn,
      Condition: { [PREFIX_CONDITION_OPERATOR]: { [PREFIX_CONDITION_KEY]: parts.tenantPrefix.listPattern } },
    },
    {
      Sid: BUCKET_UPLOADS_STATEMENT_SID,
      Effect: 'Allow',
      Action: [...BUCKET_UPLOAD_ACTIONS],
      Resource: parts.bucketArn,
    },
  ];
}

/**
 * The statement structure of the permission policy, over any value type. Every form
 * of the permission policy is built by this function.
 */
export function buildPermissionPolicy<T>(parts: PermissionPolicyParts<T>): PolicyDocument<T> {
  const statements: PolicyStatement<T>[] = bucketStatements(parts);
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
 * The role's permission policy: the delivery's S3 actions on one bucket (or, with a tenant
 * prefix, on the keys under `<prefix>/`), and its KMS key if any. Throws INVALID_INPUT for
 * a bad bucket name, KMS key ARN or tenant prefix.
 */
export function permissionPolicy(options: PermissionPolicyOptions): PolicyDocument {
  assertNoProblems([
    validateBucketName(options.bucket, 'bucket'),
    options.kmsKeyArn === undefined ? undefined : validateKmsKeyArn(options.kmsKeyArn, 'kmsKeyArn'),
    options.tenantPrefix === undefined ? undefined : validateTenant(options.tenantPrefix, 'tenantPrefix'),
  ]);
  const partition = options.partition ?? 'aws';
  return buildPermissionPolicy<never>({
    bucketArn: bucketArn(partition, options.bucket),
    bucketObjectsArn: bucketObjectsArn(partition, options.bucket),
    ...(options.kmsKeyArn ? { kmsKeyArn: options.kmsKeyArn } : {}),
    ...(options.tenantPrefix !== undefined
      ? {
          tenantPrefix: {
            objectsArn: tenantObjectsArn(partition, options.bucket, options.tenantPrefix),
            listPattern: tenantListPattern(options.tenantPrefix),
          },
        }
      : {}),
  });
}
