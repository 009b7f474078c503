import type { ErrorCode } from '../errors/index.js';
import { ASSUME_ROLE_ACTION, EXTERNAL_ID_CONDITION_KEY, accountRootArn, type Partition, type PolicyDocument } from '../policy/index.js';

/**
 * Compare deployed IAM policies with the documents `policy/` builds and list every
 * difference precisely. Pure functions over parsed JSON: no AWS calls.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

export type DifferenceKind =
  | 'missing-policy'
  | 'missing-action'
  | 'extra-action'
  | 'wider-resource'
  | 'missing-condition'
  | 'wrong-condition'
  | 'wrong-principal'
  | 'wildcard-principal';

export interface PolicyDifference {
  kind: DifferenceKind;
  code: ErrorCode;
  /** One line naming the statement, the element and the values. */
  message: string;
}

/** A policy document as deployed, and where it came from (for messages). */
export interface DeployedPolicy {
  source: string;
  document: unknown;
}

interface RawStatement {
  Sid?: unknown;
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

interface LocatedStatement {
  where: string;
  statement: RawStatement;
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function statementsOf(policies: readonly DeployedPolicy[]): LocatedStatement[] {
  return policies.flatMap((p) => {
    const raw = (p.document as { Statement?: unknown } | null)?.Statement;
    const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []) as RawStatement[];
    return statements.map((statement, i) => ({
      where: `${p.source} Statement[${i}]${typeof statement.Sid === 'string' && statement.Sid ? ` (${statement.Sid})` : ''}`,
      statement,
    }));
  });
}

/** IAM's `*` and `?` wildcards. Actions compare case-insensitively, ARNs exactly. */
export function matchesPattern(pattern: string, value: string, caseInsensitive = false): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, caseInsensitive ? 'i' : '').test(value);
}

function grants(s: RawStatement, action: string, resource: string): boolean {
  const actionMatch =
    s.NotAction !== undefined
      ? !list(s.NotAction).some((a) => matchesPattern(a, action, true))
      : list(s.Action).some((a) => matchesPattern(a, action, true));
  const resourceMatch =
    s.NotResource !== undefined
      ? !list(s.NotResource).some((r) => matchesPattern(r, resource))
      : list(s.Resource).some((r) => matchesPattern(r, resource));
  return actionMatch && resourceMatch;
}

/** The (action, resource) pairs an expected document allows. */
function expectedGrants(expected: PolicyDocument): { action: string; resource: string }[] {
  return expected.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
    list(s.Action).flatMap((action) => list(s.Resource).map((resource) => ({ action, resource }))),
  );
}

/**
 * Differences between the role's permission policies (inline and attached) and the
 * expected permission policy: missing actions, extra actions, wider resources.
 */
export function diffPermissionPolicy(expected: PolicyDocument, deployed: readonly DeployedPolicy[]): PolicyDifference[] {
  const statements = statementsOf(deployed);
  if (statements.length === 0) {
    return [{ kind: 'missing-policy', code: 'PERMISSION_POLICY_MISSING', message: 'the role has no inline or attached permission policy' }];
  }
  const differences: PolicyDifference[] = [];
  const allows = statements.filter((s) => s.statement.Effect === 'Allow');
  const denies = statements.filter((s) => s.statement.Effect === 'Deny');
  for (const { action, resource } of expectedGrants(expected)) {
    const unconditional = allows.find((s) => s.statement.Condition === undefined && grants(s.statement, action, resource));
    const conditional = allows.find((s) => s.statement.Condition !== undefined && grants(s.statement, action, resource));
    const denied = denies.find((s) => grants(s.statement, action, resource));
    if (denied) {
      differences.push({ kind: 'missing-action', code: 'PERMISSION_ACTION_MISSING', message: `${action} on ${resource} is denied by ${denied.where}` });
    } else if (!unconditional) {
      differences.push({
        kind: 'missing-action',
        code: 'PERMISSION_ACTION_MISSING',
        message: conditional
          ? `${action} on ${resource} is allowed only under the condition of ${conditional.where}`
          : `${action} on ${resource} is not allowed by any statement`,
      });
    }
  }
  const expectedActions = new Set(expected.Statement.flatMap((s) => list(s.Action)).map((a) => a.toLowerCase()));
  const expectedResources = new Set(expected.Statement.flatMap((s) => list(s.Resource)));
  for (const { where, statement } of allows) {
    if (statement.NotAction !== undefined) {
      differences.push({ kind: 'extra-action', code: 'PERMISSION_ACTION_EXTRA', message: `${where} uses NotAction (${list(statement.NotAction).join(', ')}): it allows every other action` });
    }
    for (const action of list(statement.Action)) {
      if (!expectedActions.has(action.toLowerCase())) {
        differences.push({ kind: 'extra-action', code: 'PERMISSION_ACTION_EXTRA', message: `${where} allows ${action}, which the delivery does not use` });
      }
    }
    if (statement.NotResource !== undefined) {
      differences.push({ kind: 'wider-resource', code: 'PERMISSION_RESOURCE_WIDER', message: `${where} uses NotResource (${list(statement.NotResource).join(', ')}): it reaches every other resource` });
    }
    for (const resource of list(statement.Resource)) {
      if (!expectedResources.has(resource)) {
        differences.push({ kind: 'wider-resource', code: 'PERMISSION_RESOURCE_WIDER', message: `${where} names resource ${resource}, beyond ${[...expectedResources].join(' and ')}` });
      }
    }
  }
  return differences;
}

export interface TrustExpectation {
  trustedAccountId: string;
  externalIds: readonly string[];
  partition: Partition;
}

function awsPrincipals(principal: unknown): string[] | '*' {
  if (principal === '*') return '*';
  if (typeof principal !== 'object' || principal === null) return [];
  const p = principal as Record<string, unknown>;
  const aws = list(p.AWS);
  if (aws.includes('*')) return '*';
  const others = Object.entries(p)
    .filter(([k]) => k !== 'AWS')
    .flatMap(([k, v]) => list(v).map((x) => `${k}:${x}`));
  return [...aws, ...others];
}

/** Account of an AWS principal: a bare account ID or any IAM/STS ARN. */
function principalAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/**
 * Differences between a role's trust policy and the expected one: wrong or wildcard
 * principal, missing or wrong external ID condition, actions beyond sts:AssumeRole.
 */
export function diffTrustPolicy(expectation: TrustExpectation, deployed: unknown, source = 'trust policy'): PolicyDifference[] {
  const differences: PolicyDifference[] = [];
  const rootArn = accountRootArn(expectation.partition, expectation.trustedAccountId);
  const allows = statementsOf([{ source, document: deployed }]).filter((s) => s.statement.Effect === 'Allow');
  let trustedFound = false;
  for (const { where, statement } of allows) {
    for (const action of list(statement.Action)) {
      if (action.toLowerCase() !== ASSUME_ROLE_ACTION.toLowerCase()) {
        differences.push({ kind: 'extra-action', code: 'TRUST_POLICY_WIDER', message: `${where} allows ${action}; the contract allows only ${ASSUME_ROLE_ACTION}` });
      }
    }
    if (!list(statement.Action).some((a) => matchesPattern(a, ASSUME_ROLE_ACTION, true))) continue;
    const principals = awsPrincipals(statement.Principal);
    if (principals === '*') {
      differences.push({ kind: 'wildcard-principal', code: 'TRUST_PRINCIPAL_WILDCARD', message: `${where} trusts every AWS account (Principal "*"); expected ${rootArn}` });
    } else {
      for (const principal of principals) {
        if (principal === rootArn || principal === expectation.trustedAccountId) {
          trustedFound = true;
          continue;
        }
        const account = principalAccount(principal);
        differences.push({
          kind: 'wrong-principal',
          code: 'TRUST_PRINCIPAL_MISMATCH',
          message:
            account === expectation.trustedAccountId
              ? `${where} trusts only ${principal}; expected the account principal ${rootArn}`
              : `${where} trusts ${principal}${account ? ` (account ${account})` : ''}; expected ${rootArn}`,
        });
      }
    }
    differences.push(...diffExternalIdCondition(where, statement.Condition, expectation.externalIds));
  }
  if (!trustedFound && !differences.some((d) => d.kind === 'wrong-principal' || d.kind === 'wildcard-principal')) {
    differences.push({ kind: 'wrong-principal', code: 'TRUST_PRINCIPAL_MISMATCH', message: `no statement allows ${rootArn} to call ${ASSUME_ROLE_ACTION}` });
  }
  return differences;
}

function diffExternalIdCondition(where: string, condition: unknown, expectedIds: readonly string[]): PolicyDifference[] {
  const operators = (typeof condition === 'object' && condition !== null ? condition : {}) as Record<string, Record<string, unknown>>;
  const differences: PolicyDifference[] = [];
  let exact: string[] | undefined;
  for (const [operator, keys] of Object.entries(operators)) {
    for (const [key, value] of Object.entries(keys ?? {})) {
      if (key.toLowerCase() !== EXTERNAL_ID_CONDITION_KEY.toLowerCase()) continue;
      if (operator === 'StringEquals') exact = list(value);
      else {
        differences.push({
          kind: 'wrong-condition',
          code: operator.endsWith('IfExists') ? 'TRUST_EXTERNAL_ID_MISSING' : 'TRUST_EXTERNAL_ID_MISMATCH',
          message: `${where} tests ${EXTERNAL_ID_CONDITION_KEY} with ${operator} ${JSON.stringify(value)}; expected StringEquals`,
        });
      }
    }
  }
  if (exact === undefined) {
    if (differences.length === 0) {
      differences.push({ kind: 'missing-condition', code: 'TRUST_EXTERNAL_ID_MISSING', message: `${where} has no StringEquals condition on ${EXTERNAL_ID_CONDITION_KEY}` });
    }
    return differences;
  }
  const missing = expectedIds.filter((id) => !exact.includes(id));
  const extra = exact.filter((id) => !expectedIds.includes(id));
  if (missing.length > 0) {
    differences.push({
      kind: 'wrong-condition',
      code: 'TRUST_EXTERNAL_ID_MISMATCH',
      message: `${where} requires ${EXTERNAL_ID_CONDITION_KEY} ${exact.map((v) => JSON.stringify(v)).join(' or ')}; expected ${missing.map((v) => JSON.stringify(v)).join(' and ')}`,
    });
  } else if (extra.length > 0) {
    differences.push({
      kind: 'wrong-condition',
      code: 'TRUST_EXTERNAL_ID_MISMATCH',
      message: `${where} also accepts ${EXTERNAL_ID_CONDITION_KEY} ${extra.map((v) => JSON.stringify(v)).join(', ')}, beyond the expected ones`,
    });
  }
  return differences;
}
