import {
  ACCOUNT_ID_PATTERN,
  ACCOUNT_ID_RULE,
  BUCKET_NAME_PATTERN,
  BUCKET_NAME_RULE,
  EXTERNAL_ID_PATTERN,
  EXTERNAL_ID_RULE,
  KEY_SEGMENT_PATTERN,
  KEY_SEGMENT_RULE,
  KMS_KEY_ARN_PATTERN,
  KMS_KEY_ARN_RULE,
  MAX_EXTERNAL_IDS,
  ROLE_NAME_PATTERN,
  ROLE_NAME_RULE,
} from '../../policy/index.js';
import type { CfnValue } from './intrinsics.js';

/**
 * The template's parameter names. Tools outside this repository (quick-create links,
 * customers' automation) rely on them: never rename one.
 */
export const PARAMETER = {
  trustedAccountId: 'TrustedAccountId',
  externalId: 'ExternalId',
  additionalExternalId: 'AdditionalExternalId',
  bucketName: 'BucketName',
  useExistingBucket: 'UseExistingBucket',
  kmsKeyArn: 'KmsKeyArn',
  accessLogBucket: 'AccessLogBucket',
  eventBridgeNotifications: 'EventBridgeNotifications',
  roleName: 'RoleName',
  tenantPrefix: 'TenantPrefix',
} as const;

export type ParameterName = (typeof PARAMETER)[keyof typeof PARAMETER];

/**
 * The parameters that carry the role's external IDs, current first: one per ID the trust
 * policy accepts, MAX_EXTERNAL_IDS (policy/validate.ts). Raising that constant fails to
 * compile here until the template has a parameter for the new ID.
 */
export const EXTERNAL_ID_PARAMETERS = [PARAMETER.externalId, PARAMETER.additionalExternalId] as const satisfies {
  readonly length: typeof MAX_EXTERNAL_IDS;
};

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html */
export interface CfnParameter {
  Type: 'String';
  Description: string;
  Default?: string;
  AllowedPattern?: string;
  AllowedValues?: string[];
  ConstraintDescription?: string;
  MinLength?: number;
  MaxLength?: number;
}

/** An optional parameter: empty, or a value the required pattern accepts. */
function optionalPattern(pattern: string): string {
  return `^$|${pattern}`;
}

function optionalRule(rule: string): string {
  return `Leave empty, or give a value that follows the rule: ${rule}.`;
}

function requiredRule(rule: string): string {
  return `${rule.charAt(0).toUpperCase()}${rule.slice(1)}.`;
}

/** The two values of a yes/no parameter, as CloudFormation conditions compare strings. */
export const TRUE = 'true';
export const FALSE = 'false';

/** Every parameter, in the order the console shows them when ungrouped. */
export const PARAMETERS: Record<ParameterName, CfnParameter> = {
  [PARAMETER.trustedAccountId]: {
    Type: 'String',
    Description: "First Resonance's 12-digit AWS account ID, as given by your account team.",
    AllowedPattern: ACCOUNT_ID_PATTERN,
    ConstraintDescription: requiredRule(ACCOUNT_ID_RULE),
  },
  [PARAMETER.externalId]: {
    Type: 'String',
    // Not NoEcho: quick-create links cannot prefill NoEcho parameters, and an external ID is not a secret.
    Description: 'The external ID First Resonance gave you; the role can be assumed only with it.',
    AllowedPattern: EXTERNAL_ID_PATTERN,
    ConstraintDescription: requiredRule(EXTERNAL_ID_RULE),
  },
  [PARAMETER.additionalExternalId]: {
    Type: 'String',
    Description:
      'Optional second external ID, accepted as well during an external ID rotation. Clear it once First Resonance has switched to the new ID.',
    Default: '',
    AllowedPattern: optionalPattern(EXTERNAL_ID_PATTERN),
    ConstraintDescription: optionalRule(EXTERNAL_ID_RULE),
  },
  [PARAMETER.bucketName]: {
    Type: 'String',
    Description:
      'Bucket that receives the snapshots. Empty: a new bucket with a generated name. A name: that bucket, created by this stack unless UseExistingBucket is true.',
    Default: '',
    AllowedPattern: optionalPattern(BUCKET_NAME_PATTERN),
    ConstraintDescription: optionalRule(BUCKET_NAME_RULE),
  },
  [PARAMETER.useExistingBucket]: {
    Type: 'String',
    Description:
      'true: BucketName names a bucket you already have in this region; the stack creates only the role, scoped to that bucket, and leaves the bucket unchanged.',
    Default: FALSE,
    AllowedValues: [FALSE, TRUE],
  },
  [PARAMETER.kmsKeyArn]: {
    Type: 'String',
    Description:
      'Optional customer-managed KMS key ARN. A new bucket is encrypted with it (SSE-KMS with an S3 Bucket Key); for an existing bucket, name the key that bucket uses. The role is granted kms:GenerateDataKey and kms:Decrypt on it. Empty: SSE-S3.',
    Default: '',
    AllowedPattern: optionalPattern(KMS_KEY_ARN_PATTERN),
    ConstraintDescription: optionalRule(KMS_KEY_ARN_RULE),
  },
  [PARAMETER.accessLogBucket]: {
    Type: 'String',
    Description:
      'Optional bucket (same account and region) that receives S3 server access logs of a new bucket, under the prefix <stack name>/. Empty: no access logging.',
    Default: '',
    AllowedPattern: optionalPattern(BUCKET_NAME_PATTERN),
    ConstraintDescription: optionalRule(BUCKET_NAME_RULE),
  },
  [PARAMETER.eventBridgeNotifications]: {
    Type: 'String',
    Description:
      'true: a new bucket sends its events to Amazon EventBridge, so your pipelines can react to each delivered snapshot (no cost until you add a rule).',
    Default: TRUE,
    AllowedValues: [TRUE, FALSE],
  },
  [PARAMETER.roleName]: {
    Type: 'String',
    Description: 'Optional name of the delivery role. Empty: CloudFormation generates one.',
    Default: '',
    AllowedPattern: optionalPattern(ROLE_NAME_PATTERN),
    ConstraintDescription: optionalRule(ROLE_NAME_RULE),
  },
  [PARAMETER.tenantPrefix]: {
    Type: 'String',
    Description:
      'Optional: your tenant (the first folder of each delivered key) to hold First Resonance to keys under <tenant>/. Empty: the setup guide\'s policy, on the whole bucket.',
    Default: '',
    AllowedPattern: optionalPattern(KEY_SEGMENT_PATTERN),
    ConstraintDescription: optionalRule(`a tenant ${KEY_SEGMENT_RULE}`),
  },
};

/**
 * How the console groups and labels the parameters.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-cloudformation-interface.html
 */
export const PARAMETER_INTERFACE: CfnValue = {
  ParameterGroups: [
    {
      Label: { default: 'First Resonance access (from your account team)' },
      Parameters: [PARAMETER.trustedAccountId, PARAMETER.externalId, PARAMETER.additionalExternalId],
    },
    {
      Label: { default: 'Destination bucket' },
      Parameters: [
        PARAMETER.bucketName,
        PARAMETER.useExistingBucket,
        PARAMETER.kmsKeyArn,
        PARAMETER.accessLogBucket,
        PARAMETER.eventBridgeNotifications,
      ],
    },
    { Label: { default: 'Delivery role' }, Parameters: [PARAMETER.roleName, PARAMETER.tenantPrefix] },
  ],
  ParameterLabels: {
    [PARAMETER.trustedAccountId]: { default: 'First Resonance account ID' },
    [PARAMETER.externalId]: { default: 'External ID' },
    [PARAMETER.additionalExternalId]: { default: 'Second external ID (rotation only)' },
    [PARAMETER.bucketName]: { default: 'Bucket name' },
    [PARAMETER.useExistingBucket]: { default: 'Use an existing bucket' },
    [PARAMETER.kmsKeyArn]: { default: 'KMS key ARN (SSE-KMS)' },
    [PARAMETER.accessLogBucket]: { default: 'Access log bucket' },
    [PARAMETER.eventBridgeNotifications]: { default: 'EventBridge notifications' },
    [PARAMETER.roleName]: { default: 'Role name' },
    [PARAMETER.tenantPrefix]: { default: 'Tenant prefix (narrows the grant)' },
  },
};
