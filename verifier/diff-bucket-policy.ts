import { BUCKET_ACTIONS, SECURE_TRANSPORT_CONDITION_KEY, bucketArn, type Partition } from '../policy/index.js';
import type { PolicyDifference } from './diff-policy.js';
import {
  coversAction,
  coversResource,
  describeStatement,
  isWildcardPrincipal,
  list,
  namedPrincipals,
  principalAccount,
  statementsOf,
  type RawStatement,
} from './policy-statements.js';

export interface BucketPolicyExpectation {
  bucket: string;
  partition: Partition;
  /** The account that owns the bucket (the customer's). */
  ownerAccountId: string;
  /** First Resonance's account, named as such in messages. */
  trustedAccountId: string;
}

const ACCOUNT_KEYS = ['aws:principalaccount', 'aws:sourceaccount'];
const PRINCIPAL_ARN_OPERATORS = ['StringEquals', 'StringLike', 'ArnEquals', 'ArnLike'];

/** Does the condition provably limit the caller to `owner`'s account? */
export function conditionLimitsToAccount(condition: unknown, owner: string): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  return Object.entries(condition as Record<string, unknown>).some(([operator, keys]) =>
    Object.entries((typeof keys === 'object' && keys !== null ? keys : {}) as Record<string, unknown>).some(([key, value]) => {
      const values = list(value);
      if (values.length === 0) return false;
      const k = key.toLowerCase();
      if (operator === 'StringEquals' && ACCOUNT_KEYS.includes(k)) return values.every((v) => v === owner);
      if (PRINCIPAL_ARN_OPERATORS.includes(operator) && k === 'aws:principalarn') return values.every((v) => principalAccount(v) === owner);
      return false;
    }),
  );
}

/** Who outside the owner's account a statement's principal reaches; [] when no one. */
function outsiders(s: RawStatement, owner: string): { public: boolean; accounts: string[]; others: string[] } {
  if (s.NotPrincipal !== undefined || isWildcardPrincipal(s.Principal) || s.Principal === undefined) return { public: true, accounts: [], others: [] };
  const accounts: string[] = [];
  const others: string[] = [];
  for (const { type, value } of namedPrincipals(s.Principal)) {
    const account = type === 'AWS' ? principalAccount(value) : undefined;
    if (account === owner) continue;
    if (account) accounts.push(account);
    else others.push(type === 'AWS' ? value : `${type} ${value}`);
  }
  return { public: false, accounts: [...new Set(accounts)], others };
}

function isTlsOnlyDeny(s: RawStatement, bucket: string): boolean {
  if (s.Effect !== 'Deny' || !isWildcardPrincipal(s.Principal) || s.NotPrincipal !== undefined) return false;
  if (!BUCKET_ACTIONS.every((a) => coversAction(s, a))) return false;
  if (!coversResource(s, bucket) || !coversResource(s, `${bucket}/any/object`)) return false;
  const operators = (typeof s.Condition === 'object' && s.Condition !== null ? s.Condition : {}) as Record<string, unknown>;
  if (Object.keys(operators).length !== 1) return false;
  const [operator, keys] = Object.entries(operators)[0]!;
  if (operator !== 'Bool' && operator !== 'BoolIfExists') return false;
  const entries = Object.entries((typeof keys === 'object' && keys !== null ? keys : {}) as Record<string, unknown>);
  return entries.length === 1 && entries[0]![0].toLowerCase() === SECURE_TRANSPORT_CONDITION_KEY.toLowerCase() && list(entries[0]![1]).every((v) => v.toLowerCase() === 'false');
}

/**
 * Differences between a bucket's policy (undefined: none) and the contract, which needs none: the delivery role
 * reaches the bucket through its own permission policy, within the customer's account,
 * and only after AssumeRole with the external ID. The rule:
 * - an Allow to anyone outside the bucket owner's account fails: `*`, `NotPrincipal`,
 *   another account (First Resonance's included: it would bypass the role and its
 *   external ID), a service or a federated principal. A condition makes it safe only
 *   when it provably limits the caller to the owner's account: `StringEquals` on
 *   `aws:PrincipalAccount` or `aws:SourceAccount`, or `StringEquals`/`StringLike`/
 *   `ArnEquals`/`ArnLike` on `aws:PrincipalArn`, every value naming the owner's account.
 *   Anything else (`aws:SecureTransport`, `aws:SourceIp`, `IfExists`, `ForAnyValue`, …)
 *   still lets outsiders in;
 * - no TLS-only deny (Deny, Principal `*`, every S3 action on the bucket and its
 *   objects, `Bool` `aws:SecureTransport` `false`) warns; so does a Deny with no
 *   condition that takes away a delivery action.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
 */
export function diffBucketPolicy(expectation: BucketPolicyExpectation, policy: unknown): PolicyDifference[] {
  const bucket = bucketArn(expectation.partition, expectation.bucket);
  const owner = expectation.ownerAccountId;
  const differences: PolicyDifference[] = [];
  let tlsOnly = false;
  for (const { where, statement: s } of statementsOf(policy === undefined ? [] : [{ source: 'bucket policy', document: policy }])) {
    const said = describeStatement(where, s);
    if (s.Effect === 'Deny') {
      if (isTlsOnlyDeny(s, bucket)) {
        tlsOnly = true;
        continue;
      }
      const hasCondition = s.Condition !== undefined;
      const denied = BUCKET_ACTIONS.filter((a) => coversAction(s, a) && (coversResource(s, bucket) || coversResource(s, `${bucket}/any/object`)));
      if (!hasCondition && denied.length > 0) {
        differences.push({ kind: 'blocking-deny', severity: 'warn', code: 'BUCKET_POLICY_RISK', message: `${said}: it denies ${denied.join(', ')}, which the delivery needs` });
      }
      continue;
    }
    if (s.Effect !== 'Allow') {
      differences.push({ kind: 'extra-statement', severity: 'fail', code: 'BUCKET_POLICY_RISK', message: `${where} has Effect ${JSON.stringify(s.Effect)}: S3 knows only Allow and Deny` });
      continue;
    }
    const reach = outsiders(s, owner);
    if (!reach.public && reach.accounts.length === 0 && reach.others.length === 0) {
      differences.push({ kind: 'own-account-grant', severity: 'note', message: `${said}: principals of the bucket's own account ${owner} only` });
      continue;
    }
    if (conditionLimitsToAccount(s.Condition, owner)) {
      differences.push({ kind: 'own-account-grant', severity: 'note', message: `${said}: the condition limits it to callers of the bucket's own account ${owner}` });
      continue;
    }
    const unsafeCondition = s.Condition === undefined ? '' : `; its condition does not limit the caller to account ${owner}`;
    if (reach.public) {
      differences.push({
        kind: 'public-grant',
        severity: 'fail',
        code: 'BUCKET_POLICY_PUBLIC',
        message: `${said}: anyone (any AWS account, or an anonymous caller) gets this access to the bucket unless Block Public Access's RestrictPublicBuckets is on${unsafeCondition}`,
      });
      continue;
    }
    const named = [
      ...reach.accounts.map((a) =>
        a === expectation.trustedAccountId ? `First Resonance's account ${a} directly, bypassing the delivery role and its external ID` : `account ${a}, outside the bucket owner's account`,
      ),
      ...reach.others.map((o) => `${o}, outside the bucket owner's account`),
    ];
    differences.push({ kind: 'cross-account-grant', severity: 'fail', code: 'BUCKET_POLICY_CROSS_ACCOUNT', message: `${said}: it grants ${named.join('; ')}${unsafeCondition}` });
  }
  if (!tlsOnly) {
    differences.push({
      kind: 'missing-tls-deny',
      severity: 'warn',
      code: 'BUCKET_POLICY_NO_TLS_DENY',
      message:
        policy === undefined
          ? 'the bucket has no policy, so nothing refuses requests over plain HTTP'
          : `no statement denies requests over plain HTTP (Deny, Principal "*", s3:* on ${bucket} and ${bucket}/*, Bool ${SECURE_TRANSPORT_CONDITION_KEY} "false")`,
    });
  }
  return differences;
}
