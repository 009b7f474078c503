import { POLICY_VERSION, type PolicyDocument, type PolicyValue } from './types.js';

/** Sid of the bucket policy statement that refuses plain-HTTP requests. */
export const DENY_INSECURE_TRANSPORT_SID = 'DenyInsecureTransport';

/**
 * The condition key that is `false` when a request did not arrive over TLS.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
 */
export const SECURE_TRANSPORT_CONDITION_KEY = 'aws:SecureTransport';

export interface BucketPolicyParts<T> {
  bucketArn: PolicyValue<T>;
  bucketObjectsArn: PolicyValue<T>;
}

/**
 * The destination bucket's policy: deny every request to the bucket and its objects
 * that does not use TLS. This is the form AWS Control Tower's CT.S3.PR.8 and
 * AWS Config's s3-bucket-ssl-requests-only recognise (Principal `*`, Action `s3:*`,
 * the bucket and object ARNs, `Bool` `aws:SecureTransport` `"false"`).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
 * @see https://docs.aws.amazon.com/controltower/latest/controlreference/s3-rules.html
 */
export function buildTlsOnlyBucketPolicy<T>(parts: BucketPolicyParts<T>): PolicyDocument<T> {
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: DENY_INSECURE_TRANSPORT_SID,
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [parts.bucketArn, parts.bucketObjectsArn],
        Condition: { Bool: { [SECURE_TRANSPORT_CONDITION_KEY]: 'false' } },
      },
    ],
  };
}
