import { condition, equals, isSet, not, or, ref, type CfnValue } from './intrinsics.js';
import { FALSE, PARAMETER, TRUE } from './parameters.js';

/**
 * Condition names, each a yes/no question about the parameters.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html
 */
export const CONDITION = {
  createBucket: 'CreateBucket',
  hasBucketName: 'HasBucketName',
  useKmsKey: 'UseKmsKey',
  hasAccessLogBucket: 'HasAccessLogBucket',
  eventBridgeEnabled: 'EventBridgeEnabled',
  hasRoleName: 'HasRoleName',
  hasAdditionalExternalId: 'HasAdditionalExternalId',
  hasTenantPrefix: 'HasTenantPrefix',
} as const;

export type ConditionName = (typeof CONDITION)[keyof typeof CONDITION];

export const CONDITIONS: Record<ConditionName, CfnValue> = {
  // "Create unless an existing bucket is named": the rule ExistingBucketIsNamed rejects
  // UseExistingBucket without a name, and cfn-lint then knows BucketName is set in the other branch.
  [CONDITION.createBucket]: or([equals(ref(PARAMETER.useExistingBucket), FALSE), not(condition(CONDITION.hasBucketName))]),
  [CONDITION.hasBucketName]: isSet(PARAMETER.bucketName),
  [CONDITION.useKmsKey]: isSet(PARAMETER.kmsKeyArn),
  [CONDITION.hasAccessLogBucket]: isSet(PARAMETER.accessLogBucket),
  [CONDITION.eventBridgeEnabled]: equals(ref(PARAMETER.eventBridgeNotifications), TRUE),
  [CONDITION.hasRoleName]: isSet(PARAMETER.roleName),
  [CONDITION.hasAdditionalExternalId]: isSet(PARAMETER.additionalExternalId),
  [CONDITION.hasTenantPrefix]: isSet(PARAMETER.tenantPrefix),
};

/**
 * Template rules, checked before CloudFormation creates anything.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html
 */
export const RULES: CfnValue = {
  ExistingBucketIsNamed: {
    RuleCondition: equals(ref(PARAMETER.useExistingBucket), TRUE),
    Assertions: [
      {
        Assert: isSet(PARAMETER.bucketName),
        AssertDescription: 'UseExistingBucket is true, so BucketName must name the existing bucket.',
      },
    ],
  },
  ExternalIdsDiffer: {
    RuleCondition: isSet(PARAMETER.additionalExternalId),
    Assertions: [
      {
        Assert: not(equals(ref(PARAMETER.additionalExternalId), ref(PARAMETER.externalId))),
        AssertDescription: 'AdditionalExternalId must differ from ExternalId.',
      },
    ],
  },
};
