import { accountRootArn } from './arns.js';
import { assertNoProblems, validateExternalIds, validateTrustedAccountId } from './validate.js';
import type { Partition } from './partitions.js';
import { POLICY_VERSION, type PolicyDocument, type PolicyValue } from './types.js';

/** The only action the trust policy grants. */
export const ASSUME_ROLE_ACTION = 'sts:AssumeRole';

/**
 * The condition key that carries the external ID on AssumeRole.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
 */
export const EXTERNAL_ID_CONDITION_KEY = 'sts:ExternalId';

export interface TrustPolicyOptions {
  /** First Resonance's AWS account (12 digits). */
  trustedAccountId: string;
  /**
   * One external ID, or up to MAX_EXTERNAL_IDS (policy/validate.ts) during a rotation's
   * overlap window: the stacks deploy no more. A single ID renders as a string, exactly as in
   * the setup guide; several render as a list.
   */
  externalIds: string | readonly string[];
  partition?: Partition;
}

export interface TrustPolicyParts<T> {
  /** The principal ARN, e.g. `arn:aws:iam::<account>:root` or a template expression yielding it. */
  principal: PolicyValue<T>;
  externalIds: PolicyValue<T> | readonly PolicyValue<T>[];
}

/**
 * The statement structure of the trust policy, over any value type. Every form of
 * the trust policy (plain JSON, CloudFormation, Terraform) is built by this function.
 */
export function buildTrustPolicy<T>(parts: TrustPolicyParts<T>): PolicyDocument<T> {
  const ids = parts.externalIds;
  const externalId: PolicyValue<T> | PolicyValue<T>[] =
    Array.isArray(ids) ? (ids.length === 1 ? (ids[0] as PolicyValue<T>) : [...ids]) : (ids as PolicyValue<T>);
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: parts.principal },
        Action: ASSUME_ROLE_ACTION,
        Condition: {
          StringEquals: { [EXTERNAL_ID_CONDITION_KEY]: externalId },
        },
      },
    ],
  };
}

/**
 * The role's trust policy: First Resonance's account may assume the role, and only
 * when it presents one of the external IDs. Throws INVALID_INPUT (naming `trustedAccountId`
 * or `externalIds`) for a bad account ID, a bad external ID, no external ID, the same one
 * twice, or more than MAX_EXTERNAL_IDS.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function trustPolicy(options: TrustPolicyOptions): PolicyDocument {
  const ids = typeof options.externalIds === 'string' ? [options.externalIds] : options.externalIds;
  assertNoProblems([validateTrustedAccountId(options.trustedAccountId, 'trustedAccountId'), ...validateExternalIds(ids, 'externalIds')]);
  return buildTrustPolicy<never>({
    principal: accountRootArn(options.partition ?? 'aws', options.trustedAccountId),
    externalIds: options.externalIds,
  });
}
