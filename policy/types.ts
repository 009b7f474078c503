/**
 * IAM policy document shapes, generic over the value type so the same builder
 * serves plain strings (verifier, audit, docs), CloudFormation intrinsics and
 * Terraform expressions.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export type PolicyValue<T> = string | T;

export interface PolicyStatement<T = never> {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: { AWS: PolicyValue<T> | PolicyValue<T>[] } | '*';
  Action: string | string[];
  Resource?: PolicyValue<T> | PolicyValue<T>[];
  Condition?: Record<string, Record<string, PolicyValue<T> | PolicyValue<T>[]>>;
}

export interface PolicyDocument<T = never> {
  Version: '2012-10-17';
  Statement: PolicyStatement<T>[];
}

/** The IAM policy language version every document here uses. */
export const POLICY_VERSION = '2012-10-17' as const;
