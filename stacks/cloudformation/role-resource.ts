import { DELIVERY_POLICY_NAME, accountRootArn, buildPermissionPolicy, buildTrustPolicy } from '../../policy/index.js';
import { destinationBucketArn, destinationBucketObjectsArn } from './bucket-resources.js';
import { CONDITION } from './conditions.js';
import { ifCondition, join, onlyIf, PARTITION_PSEUDO, ref, sub, type CfnIntrinsic } from './intrinsics.js';
import { EXTERNAL_ID_PARAMETERS, PARAMETER } from './parameters.js';
import type { CfnResource } from './resource-names.js';

/** Name of the role's inline permission policy (policy/bucket-settings.ts). */
export { DELIVERY_POLICY_NAME };

/**
 * The trust policy: First Resonance's account, with the external ID; during a
 * rotation both IDs (the builder renders one ID as a string, several as a list).
 */
export function buildTrustPolicyValue(): CfnIntrinsic {
  const principal = sub(accountRootArn(PARTITION_PSEUDO, `\${${PARAMETER.trustedAccountId}}`));
  return ifCondition(
    CONDITION.hasAdditionalExternalId,
    buildTrustPolicy<CfnIntrinsic>({
      principal,
      externalIds: EXTERNAL_ID_PARAMETERS.map(ref),
    }),
    buildTrustPolicy<CfnIntrinsic>({ principal, externalIds: ref(PARAMETER.externalId) }),
  );
}

/**
 * The permission policy: the contract's bucket statement (or, with `TenantPrefix`, the
 * statements narrowed to `<prefix>/`), plus the KMS statement when a key is given. Chosen
 * whole with `Fn::If` rather than by dropping a list element, so each branch is exactly
 * one document the builder made.
 */
export function buildPermissionPolicyValue(): CfnIntrinsic {
  const parts = { bucketArn: destinationBucketArn(), bucketObjectsArn: destinationBucketObjectsArn() };
  const byKey = (tenantPrefix?: { objectsArn: CfnIntrinsic; listPattern: CfnIntrinsic }) =>
    ifCondition(
      CONDITION.useKmsKey,
      buildPermissionPolicy<CfnIntrinsic>({ ...parts, kmsKeyArn: ref(PARAMETER.kmsKeyArn), ...(tenantPrefix ? { tenantPrefix } : {}) }),
      buildPermissionPolicy<CfnIntrinsic>({ ...parts, ...(tenantPrefix ? { tenantPrefix } : {}) }),
    );
  return ifCondition(
    CONDITION.hasTenantPrefix,
    byKey({
      objectsArn: join('', [destinationBucketArn(), '/', ref(PARAMETER.tenantPrefix), '/*']),
      listPattern: sub(`\${${PARAMETER.tenantPrefix}}/*`),
    }),
    byKey(),
  );
}

/**
 * The delivery role First Resonance assumes, with the exact trust and permission
 * policies of the setup guide (an inline policy, so it lives and dies with the role).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
 */
export function buildRoleResource(): CfnResource {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: onlyIf(CONDITION.hasRoleName, ref(PARAMETER.roleName)),
      Description: 'Assumed by First Resonance (with the external ID) to deliver ION snapshots into the destination bucket.',
      AssumeRolePolicyDocument: buildTrustPolicyValue(),
      Policies: [{ PolicyName: DELIVERY_POLICY_NAME, PolicyDocument: buildPermissionPolicyValue() }],
    },
  };
}
