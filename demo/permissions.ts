import { ASSUME_ROLE_ACTION, POLICY_VERSION, type PolicyDocument } from '../policy/index.js';

/**
 * The IAM actions each side of the demo calls, read off the code that calls them, so
 * docs/demo.md's "Against real AWS" lists and the emulator's customer identity agree.
 */

/**
 * First Resonance's side: `verify` and `deliver` only ever call AssumeRole with their own
 * credentials (GetCallerIdentity, which the demo uses to learn the account, needs no
 * permission); everything else runs in the role session the customer's trust policy grants.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
export const VENDOR_ACTIONS = [ASSUME_ROLE_ACTION] as const;

/**
 * The customer deploying the CloudFormation template without a service role: the stack
 * calls (create, wait, outputs, failure reasons), then what CloudFormation does with the
 * caller's permissions for each resource of the template, including a rollback's deletes.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/control-access-with-iam.html
 */
export const CUSTOMER_STACK_ACTIONS = [
  'cloudformation:CreateStack',
  'cloudformation:DescribeStacks',
  'cloudformation:DescribeStackEvents',
  's3:CreateBucket',
  // CloudFormation tags the bucket with the stack's aws:cloudformation:* tags.
  's3:PutBucketTagging',
  's3:PutBucketVersioning',
  's3:PutEncryptionConfiguration',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketOwnershipControls',
  's3:PutLifecycleConfiguration',
  's3:PutBucketNotification',
  's3:PutBucketPolicy',
  's3:GetBucketPolicy',
  'iam:CreateRole',
  'iam:GetRole',
  'iam:PutRolePolicy',
  'iam:GetRolePolicy',
  // A failed create rolls back: the role is deleted again (the bucket is retained).
  'iam:DeleteRolePolicy',
  'iam:DeleteRole',
] as const;

/**
 * What `audit` reads (verifier/read-role.ts and verifier/read-bucket.ts), as the IAM
 * actions that authorize each call (GetBucketEncryption is s3:GetEncryptionConfiguration, …).
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export const CUSTOMER_AUDIT_ACTIONS = [
  'iam:GetRole',
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  's3:GetBucketLocation',
  's3:GetBucketVersioning',
  's3:GetEncryptionConfiguration',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketOwnershipControls',
  's3:GetBucketPolicy',
  's3:GetLifecycleConfiguration',
] as const;

/** The demo's listing of what landed (ListObjectsV2 under the delivery prefix). */
export const CUSTOMER_LIST_ACTIONS = ['s3:ListBucket'] as const;

/** Every action the customer's identity needs for the demo, each once, in the order above. */
export function customerDemoActions(): string[] {
  return [...new Set<string>([...CUSTOMER_STACK_ACTIONS, ...CUSTOMER_AUDIT_ACTIONS, ...CUSTOMER_LIST_ACTIONS])];
}

/**
 * Reading what was delivered (GetObject on the bucket's objects): the demo itself only
 * lists, but the customer's administrator in the emulator's world opens the archives,
 * as the bucket owner's administrator can on AWS.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
export const CUSTOMER_READ_ACTIONS = ['s3:GetObject'] as const;

/**
 * The customer identity's policy in the emulator: the demo's actions, so the audit and
 * the listing run under enforcement with no more than docs/demo.md asks for, and reading
 * the delivered objects (CUSTOMER_READ_ACTIONS) for exploring with `--keep-running`.
 */
export function customerDemoPolicy(): PolicyDocument {
  return {
    Version: POLICY_VERSION,
    Statement: [
      { Effect: 'Allow', Action: customerDemoActions(), Resource: '*' },
      { Effect: 'Allow', Action: [...CUSTOMER_READ_ACTIONS], Resource: '*' },
    ],
  };
}
