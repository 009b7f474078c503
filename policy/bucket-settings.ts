/**
 * The destination bucket's settings and the destination's fixed names, described
 * once. The CloudFormation template (stacks/cloudformation/bucket-resources.ts), the
 * Terraform module and cdktf construct (stacks/cdktf/) and the emulator's hardened
 * test buckets (emulator/accounts.ts) all take their values from here, as they take
 * the IAM documents from this folder's builders. The README's table "What the stack
 * creates, and why" gives the reason for each setting.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */

/** Default encryption: the algorithm names S3 takes (`SSEAlgorithm`). */
export const SSE_S3_ALGORITHM = 'AES256';
export const SSE_KMS_ALGORITHM = 'aws:kms';

export const DESTINATION_BUCKET_SETTINGS = {
  /** Versioning: an overwritten or deleted snapshot can be recovered. */
  versioningStatus: 'Enabled',
  /**
   * Default encryption: SSE-S3 unless a customer-managed key is given, then SSE-KMS
   * with an S3 Bucket Key (it cuts KMS requests, and their cost, for multipart uploads).
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
   */
  encryption: {
    withoutKey: { algorithm: SSE_S3_ALGORITHM, bucketKeyEnabled: undefined },
    withKey: { algorithm: SSE_KMS_ALGORITHM, bucketKeyEnabled: true },
  },
  /** All four Block Public Access settings. */
  publicAccessBlock: {
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  },
  /** ACLs off: the bucket owner owns every object First Resonance writes. */
  objectOwnership: 'BucketOwnerEnforced',
  /** A bucket policy that denies every request not made over TLS (policy/bucket-policy.ts builds it). */
  tlsOnlyBucketPolicy: true,
  /** The lifecycle rule that aborts incomplete multipart uploads: a week covers any delivery retry. */
  lifecycle: { ruleId: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadDays: 7 },
  /** EventBridge notifications, on unless the customer turns them off (no cost until a rule is added). */
  eventBridgeNotificationsByDefault: true,
  /** Server access logs, when a log bucket is given, go under this prefix: the bucket's name (Terraform) or the stack's (CloudFormation), then `/`. */
  accessLogPrefixSeparator: '/',
  /**
   * Deleting the stack or configuration never deletes the bucket nor its TLS-only policy
   * (CloudFormation `DeletionPolicy: Retain`; Terraform `prevent_destroy` and no `force_destroy`).
   */
  retainOnDelete: true,
} as const;

/** Name of the delivery role's inline permission policy, in every form of the stack. */
export const DELIVERY_POLICY_NAME = 'IonSnapshotDelivery';
/** A generated bucket name starts with this (Terraform appends a unique 26-character suffix). */
export const GENERATED_BUCKET_PREFIX = 'ion-snapshots-';
/** A generated role name starts with this. */
export const GENERATED_ROLE_PREFIX = 'ion-snapshot-delivery-';
/** Description of the delivery role. */
export const DELIVERY_ROLE_DESCRIPTION =
  'Assumed by First Resonance (with the external ID) to deliver ION snapshots into the destination bucket.';
