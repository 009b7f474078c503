import type { ErrorCode } from '../errors/index.js';
import { ASSUME_ROLE_ACTION, EXTERNAL_ID_CONDITION_KEY, accountRootArn, type Partition, type PolicyDocument } from '../policy/index.js';
import { flag, pass, type Verdict } from './check-result.js';
import {
  coversAction,
  coversResource,
  describeCondition,
  describeResources,
  describeStatement,
  isWildcardPrincipal,
  list,
  namedPrincipals,
  patternWithin,
  principalAccount,
  statementsOf,
  unknownElements,
  type LocatedStatement,
  type RawStatement,
} from './policy-statements.js';

export { matchesPattern } from './policy-statements.js';

/**
 * Compare deployed IAM policies with the documents `policy/` builds and judge every
 * statement, whatever its elements (`NotAction`, `NotPrincipal`, `NotResource`, `Deny`,
 * keys IAM does not know, any condition operator). The rule:
 * - a grant beyond the contract fails (another principal, another action, another
 *   resource, a NotAction/NotPrincipal/NotResource, an element the audit cannot bound),
 *   whatever its condition: a condition is not proof that a grant is safe;
 * - what only narrows the contract warns (an extra condition on the contract's own
 *   statement, a Deny that may take away a delivery action under a condition);
 * - a Deny that takes nothing the delivery needs grants nothing: a note on a pass.
 * Pure functions over parsed JSON: no AWS calls.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */

export type DifferenceKind =
  | 'missing-policy'
  | 'missing-action'
  | 'extra-action'
  | 'wider-resource'
  | 'extra-statement'
  | 'missing-condition'
  | 'wrong-condition'
  | 'narrower-condition'
  | 'wrong-principal'
  | 'wildcard-principal'
  | 'public-grant'
  | 'cross-account-grant'
  | 'missing-tls-deny'
  | 'blocking-deny'
  | 'harmless-deny'
  | 'own-account-grant';

/** fail: grants beyond the contract or breaks it; warn: narrows it; note: grants nothing. */
export type DifferenceSeverity = 'fail' | 'warn' | 'note';

export interface PolicyDifference {
  kind: DifferenceKind;
  severity: DifferenceSeverity;
  /** The troubleshooting row of a fail or warn; a note has none. */
  code?: ErrorCode;
  /** One sentence naming the statement and saying what it allows or denies. */
  message: string;
}

/** A policy document as deployed, and where it came from (for messages). */
export interface DeployedPolicy {
  source: string;
  document: unknown;
}

/**
 * A check's verdict from its differences: fail when any fails, warn when any warns,
 * else pass; every difference (notes too) is listed in the details.
 */
export function verdictFromDifferences(differences: readonly PolicyDifference[], okMessage: string): Verdict {
  const details = differences.map((d) => `[${d.code ?? 'note'}] ${d.message}`);
  const first = differences.find((d) => d.severity === 'fail') ?? differences.find((d) => d.severity === 'warn');
  if (!first?.code) return pass(okMessage, details);
  const counted = differences.filter((d) => d.severity !== 'note').length;
  return flag(first.severity === 'fail' ? 'fail' : 'warn', first.code, `${counted} difference(s) from the contract`, { details });
}

function grants(s: RawStatement, action: string, resource: string): boolean {
  return coversAction(s, action) && coversResource(s, resource);
}

function hasCondition(s: RawStatement): boolean {
  return s.Condition !== undefined && !(typeof s.Condition === 'object' && s.Condition !== null && Object.keys(s.Condition).length === 0);
}

/**
 * The (action, resource) pairs an expected document allows, with the statement's condition
 * when it has one (the prefix-narrowed policy allows `s3:ListBucket` only for `s3:prefix`).
 */
function expectedGrants(expected: PolicyDocument): { action: string; resource: string; condition?: string }[] {
  return expected.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
    list(s.Action).flatMap((action) =>
      list(s.Resource).map((resource) => ({ action, resource, ...(s.Condition ? { condition: canonicalCondition(s.Condition) } : {}) })),
    ),
  );
}

/** A condition block as comparable text: operators and keys in order, keys case-insensitive, one value as a list. */
function canonicalCondition(condition: unknown): string {
  if (typeof condition !== 'object' || condition === null) return JSON.stringify(condition);
  const block = condition as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(block)
      .sort()
      .map((operator) => {
        const pairs = (block[operator] ?? {}) as Record<string, unknown>;
        return [
          operator,
          Object.keys(pairs)
            .map((key) => [key.toLowerCase(), [...list(pairs[key] as string | string[])].map(String).sort()] as const)
            .sort((a, b) => a[0].localeCompare(b[0])),
        ];
      }),
  );
}

function effectProblem(where: string, s: RawStatement, code: ErrorCode): PolicyDifference | undefined {
  if (s.Effect === 'Allow' || s.Effect === 'Deny') return undefined;
  return { kind: 'extra-statement', severity: 'fail', code, message: `${where} has Effect ${JSON.stringify(s.Effect)}: IAM knows only Allow and Deny, so the audit cannot tell what it grants` };
}

/**
 * An expected grant under a condition (`s3:ListBucket` for `s3:prefix` `<prefix>/*`): a
 * statement with that very condition satisfies it; one that grants the action on the
 * resource with no condition, or another one, reaches beyond it (the whole bucket's keys).
 */
function conditionalGrantDifferences(
  action: string,
  resource: string,
  condition: string,
  allows: readonly LocatedStatement[],
  denies: readonly LocatedStatement[],
): PolicyDifference[] {
  const differences: PolicyDifference[] = [];
  const granting = allows.filter((s) => grants(s.statement, action, resource));
  const same = granting.filter((s) => hasCondition(s.statement) && canonicalCondition(s.statement.Condition) === condition);
  const denied = denies.find((s) => !hasCondition(s.statement) && grants(s.statement, action, resource));
  if (denied) {
    differences.push({ kind: 'missing-action', severity: 'fail', code: 'PERMISSION_ACTION_MISSING', message: `${action} on ${resource} is denied by ${denied.where}` });
  } else if (same.length === 0) {
    differences.push({ kind: 'missing-action', severity: 'fail', code: 'PERMISSION_ACTION_MISSING', message: `${action} on ${resource} is not allowed under the condition ${condition}` });
  }
  for (const other of granting.filter((s) => !same.includes(s))) {
    differences.push({
      kind: 'wider-resource',
      severity: 'fail',
      code: 'PERMISSION_RESOURCE_WIDER',
      message: `${describeStatement(other.where, other.statement)}: it allows ${action} on ${resource} ${hasCondition(other.statement) ? 'under another condition' : 'with no condition'}, beyond the condition ${condition}`,
    });
  }
  return differences;
}

/**
 * Differences between the role's permission policies (inline and attached) and the
 * expected permission policy: missing actions fail; any Allow beyond the contract's
 * actions and resources fails; a conditional Deny of a delivery action warns.
 */
export function diffPermissionPolicy(expected: PolicyDocument, deployed: readonly DeployedPolicy[]): PolicyDifference[] {
  const statements = statementsOf(deployed);
  if (statements.length === 0) {
    return [{ kind: 'missing-policy', severity: 'fail', code: 'PERMISSION_POLICY_MISSING', message: 'the role has no inline or attached permission policy' }];
  }
  const differences: PolicyDifference[] = [];
  const allows = statements.filter((s) => s.statement.Effect === 'Allow');
  const denies = statements.filter((s) => s.statement.Effect === 'Deny');
  const contract = expectedGrants(expected);
  for (const { action, resource, condition } of contract) {
    if (condition !== undefined) {
      differences.push(...conditionalGrantDifferences(action, resource, condition, allows, denies));
      continue;
    }
    const unconditional = allows.find((s) => !hasCondition(s.statement) && grants(s.statement, action, resource));
    const conditional = allows.find((s) => hasCondition(s.statement) && grants(s.statement, action, resource));
    const denied = denies.find((s) => !hasCondition(s.statement) && grants(s.statement, action, resource));
    if (denied) {
      differences.push({ kind: 'missing-action', severity: 'fail', code: 'PERMISSION_ACTION_MISSING', message: `${action} on ${resource} is denied by ${denied.where}` });
    } else if (!unconditional) {
      differences.push({
        kind: 'missing-action',
        severity: 'fail',
        code: 'PERMISSION_ACTION_MISSING',
        message: conditional
          ? `${action} on ${resource} is allowed only under the condition of ${conditional.where}`
          : `${action} on ${resource} is not allowed by any statement`,
      });
    }
  }
  for (const { where, statement } of denies) {
    const touched = contract.filter(({ action, resource }) => grants(statement, action, resource));
    if (hasCondition(statement) && touched.length > 0) {
      differences.push({
        kind: 'blocking-deny',
        severity: 'warn',
        code: 'PERMISSION_ACTION_MISSING',
        message: `${describeStatement(where, statement)}: it takes away ${[...new Set(touched.map((t) => t.action))].join(', ')} whenever the condition holds`,
      });
    } else if (touched.length === 0) {
      differences.push({ kind: 'harmless-deny', severity: 'note', message: `${describeStatement(where, statement)}: it takes away nothing the delivery needs and grants nothing` });
    }
  }
  const expectedActions = new Set(expected.Statement.flatMap((s) => list(s.Action)).map((a) => a.toLowerCase()));
  const expectedResources = [...new Set(expected.Statement.flatMap((s) => list(s.Resource)))];
  const beyond = `the contract grants only ${[...expectedActions].length} actions on ${expectedResources.join(' and ')}`;
  for (const { where, statement } of statements) {
    const bad = effectProblem(where, statement, 'PERMISSION_ACTION_EXTRA');
    if (bad) differences.push(bad);
    if (statement.Effect !== 'Allow') continue;
    const when = describeCondition(statement);
    const unknown = unknownElements(statement).concat(['Principal', 'NotPrincipal'].filter((k) => statement[k] !== undefined));
    if (unknown.length > 0) {
      differences.push({ kind: 'extra-statement', severity: 'fail', code: 'PERMISSION_ACTION_EXTRA', message: `${describeStatement(where, statement)}; it has ${unknown.join(', ')}, which an identity policy does not take, so the audit cannot bound what it grants` });
    }
    if (statement.NotAction !== undefined) {
      differences.push({ kind: 'extra-action', severity: 'fail', code: 'PERMISSION_ACTION_EXTRA', message: `${where} uses NotAction: it allows every action except ${list(statement.NotAction).join(', ')}${describeResources(statement)}, ${when}` });
    }
    for (const action of list(statement.Action)) {
      if (!expectedActions.has(action.toLowerCase())) {
        const wildcard = /[*?]/.test(action);
        differences.push({
          kind: 'extra-action',
          severity: 'fail',
          code: 'PERMISSION_ACTION_EXTRA',
          message: `${where} allows ${action}${describeResources(statement)}, ${when}: ${wildcard ? 'a wildcard matching actions' : 'an action'} the delivery does not use`,
        });
      }
    }
    if (statement.NotResource !== undefined) {
      differences.push({ kind: 'wider-resource', severity: 'fail', code: 'PERMISSION_RESOURCE_WIDER', message: `${where} uses NotResource: it allows ${list(statement.Action).join(', ') || 'its actions'} on every resource except ${list(statement.NotResource).join(', ')}, ${when}; ${beyond}` });
    }
    for (const resource of list(statement.Resource)) {
      if (!expectedResources.some((r) => patternWithin(resource, r))) {
        differences.push({ kind: 'wider-resource', severity: 'fail', code: 'PERMISSION_RESOURCE_WIDER', message: `${where} names resource ${resource}, beyond ${expectedResources.join(' and ')}` });
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

/** The exact external IDs a condition requires with StringEquals, if it does. */
function exactExternalIds(condition: unknown): string[] | undefined {
  const keys = (condition as Record<string, unknown> | undefined)?.StringEquals;
  if (typeof keys !== 'object' || keys === null) return undefined;
  const entry = Object.entries(keys).find(([k]) => k.toLowerCase() === EXTERNAL_ID_CONDITION_KEY.toLowerCase());
  return entry ? list(entry[1]) : undefined;
}

/**
 * A statement with any element beyond Principal, Action and Condition (or without a
 * Principal) is not the contract's: say what it allows, and fail.
 */
function irregularTrustStatement(located: LocatedStatement, expectation: TrustExpectation, rootArn: string): PolicyDifference | undefined {
  const { where, statement: s } = located;
  const unknown = unknownElements(s);
  const notElements = ['NotPrincipal', 'NotAction', 'Resource', 'NotResource'].filter((k) => s[k] !== undefined);
  const assumes = coversAction(s, ASSUME_ROLE_ACTION);
  if (unknown.length === 0 && notElements.length === 0 && s.Principal !== undefined && assumes) return undefined;
  const ids = exactExternalIds(s.Condition);
  const withoutId = assumes && !(ids && ids.length > 0 && ids.every((id) => expectation.externalIds.includes(id)));
  const consequences = [
    withoutId ? `it lets them assume the role without the external ID` : '',
    notElements.length > 0 ? `the contract's statement has no ${notElements.join(' or ')}` : '',
    unknown.length > 0 ? `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a policy element' : 'are not policy elements'}, so the audit cannot bound what it grants` : '',
  ].filter(Boolean);
  const wildcard = s.NotPrincipal !== undefined || isWildcardPrincipal(s.Principal);
  return {
    kind: wildcard ? 'wildcard-principal' : 'extra-statement',
    severity: 'fail',
    code: wildcard ? 'TRUST_PRINCIPAL_WILDCARD' : 'TRUST_POLICY_WIDER',
    message: `${describeStatement(where, s)}${consequences.length ? `: ${consequences.join('; ')}` : ''}; the contract allows only ${rootArn} ${ASSUME_ROLE_ACTION} with the external ID`,
  };
}

/**
 * Differences between a role's trust policy and the expected one. Every statement is
 * judged: anything that is not the contract's statement (First Resonance's account,
 * sts:AssumeRole, StringEquals on the external ID) fails and says what it allows; a
 * Deny grants nothing and is a note; an extra condition on the contract's statement
 * only narrows it and warns.
 */
export function diffTrustPolicy(expectation: TrustExpectation, deployed: unknown, source = 'trust policy'): PolicyDifference[] {
  const differences: PolicyDifference[] = [];
  const rootArn = accountRootArn(expectation.partition, expectation.trustedAccountId);
  let trustedFound = false;
  for (const located of statementsOf([{ source, document: deployed }])) {
    const { where, statement } = located;
    const bad = effectProblem(where, statement, 'TRUST_POLICY_WIDER');
    if (bad) {
      differences.push(bad);
      continue;
    }
    if (statement.Effect === 'Deny') {
      differences.push({ kind: 'harmless-deny', severity: 'note', message: `${describeStatement(where, statement)}: a Deny grants nothing (should it match First Resonance's request, verify's assume-role check fails)` });
      continue;
    }
    const irregular = irregularTrustStatement(located, expectation, rootArn);
    if (irregular) {
      differences.push(irregular);
      continue;
    }
    for (const action of list(statement.Action)) {
      if (action.toLowerCase() !== ASSUME_ROLE_ACTION.toLowerCase()) {
        differences.push({ kind: 'extra-action', severity: 'fail', code: 'TRUST_POLICY_WIDER', message: `${where} allows ${action}; the contract allows only ${ASSUME_ROLE_ACTION}` });
      }
    }
    if (isWildcardPrincipal(statement.Principal)) {
      differences.push({ kind: 'wildcard-principal', severity: 'fail', code: 'TRUST_PRINCIPAL_WILDCARD', message: `${where} trusts every AWS account (Principal "*"); expected ${rootArn}` });
    } else {
      for (const { type, value } of namedPrincipals(statement.Principal)) {
        if (type === 'AWS' && (value === rootArn || value === expectation.trustedAccountId)) {
          trustedFound = true;
          continue;
        }
        const principal = type === 'AWS' ? value : `${type}:${value}`;
        const account = type === 'AWS' ? principalAccount(value) : undefined;
        differences.push({
          kind: 'wrong-principal',
          severity: 'fail',
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
  if (!trustedFound && !differences.some((d) => d.severity === 'fail' && ['wrong-principal', 'wildcard-principal', 'extra-statement'].includes(d.kind))) {
    differences.push({ kind: 'wrong-principal', severity: 'fail', code: 'TRUST_PRINCIPAL_MISMATCH', message: `no statement allows ${rootArn} to call ${ASSUME_ROLE_ACTION}` });
  }
  return differences;
}

function diffExternalIdCondition(where: string, condition: unknown, expectedIds: readonly string[]): PolicyDifference[] {
  const operators = (typeof condition === 'object' && condition !== null ? condition : {}) as Record<string, unknown>;
  const differences: PolicyDifference[] = [];
  const exact = exactExternalIds(condition);
  const others: PolicyDifference[] = [];
  const narrowing: string[] = [];
  for (const [operator, keys] of Object.entries(operators)) {
    for (const [key, value] of Object.entries((typeof keys === 'object' && keys !== null ? keys : {}) as Record<string, unknown>)) {
      const isExternalId = key.toLowerCase() === EXTERNAL_ID_CONDITION_KEY.toLowerCase();
      if (isExternalId && operator === 'StringEquals') continue;
      if (isExternalId) {
        others.push({
          kind: 'wrong-condition',
          severity: 'fail',
          code: operator.endsWith('IfExists') ? 'TRUST_EXTERNAL_ID_MISSING' : 'TRUST_EXTERNAL_ID_MISMATCH',
          message: `${where} tests ${EXTERNAL_ID_CONDITION_KEY} with ${operator} ${JSON.stringify(value)}; expected StringEquals`,
        });
      }
      narrowing.push(`${operator} ${key} ${JSON.stringify(value)}`);
    }
  }
  if (exact === undefined) {
    differences.push(...others);
    if (others.length === 0) {
      differences.push({ kind: 'missing-condition', severity: 'fail', code: 'TRUST_EXTERNAL_ID_MISSING', message: `${where} has no StringEquals condition on ${EXTERNAL_ID_CONDITION_KEY}` });
    }
    return differences;
  }
  const missing = expectedIds.filter((id) => !exact.includes(id));
  const extra = exact.filter((id) => !expectedIds.includes(id));
  if (missing.length > 0) {
    differences.push({
      kind: 'wrong-condition',
      severity: 'fail',
      code: 'TRUST_EXTERNAL_ID_MISMATCH',
      message: `${where} requires ${EXTERNAL_ID_CONDITION_KEY} ${exact.map((v) => JSON.stringify(v)).join(' or ')}; expected ${missing.map((v) => JSON.stringify(v)).join(' and ')}`,
    });
  } else if (extra.length > 0) {
    differences.push({
      kind: 'wrong-condition',
      severity: 'fail',
      code: 'TRUST_EXTERNAL_ID_MISMATCH',
      message: `${where} also accepts ${EXTERNAL_ID_CONDITION_KEY} ${extra.map((v) => JSON.stringify(v)).join(', ')}, beyond the expected ones`,
    });
  }
  if (narrowing.length > 0) {
    // Every condition of a statement must hold, so a test beside the exact external ID only narrows it.
    differences.push({
      kind: 'narrower-condition',
      severity: 'warn',
      code: 'TRUST_CONDITION_EXTRA',
      message: `${where} also requires ${narrowing.join(' and ')}: it narrows the contract; First Resonance's requests must meet it`,
    });
  }
  return differences;
}

