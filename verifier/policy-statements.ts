/**
 * Reading deployed policy statements as IAM does, and saying in words what each one
 * allows or denies. Pure functions over parsed JSON, shared by the trust, permission
 * and bucket policy diffs.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */

export interface RawStatement {
  Sid?: unknown;
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
  [key: string]: unknown;
}

export interface LocatedStatement {
  /** `<source> Statement[<i>] (<Sid>)`, for messages. */
  where: string;
  statement: RawStatement;
}

/** The elements a statement may carry; anything else is not IAM's and is judged as unknown. */
export const STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;

/** A policy element's values as a list (IAM accepts a string or a list of strings). */
export function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Every statement of a document (a single statement object counts as a list of one). */
export function statementsOf(policies: readonly { source: string; document: unknown }[]): LocatedStatement[] {
  return policies.flatMap((p) => {
    const raw = (p.document as { Statement?: unknown } | null)?.Statement;
    const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []) as unknown[];
    return statements.map((value, i) => {
      const statement = (typeof value === 'object' && value !== null ? value : { Effect: value }) as RawStatement;
      return {
        where: `${p.source} Statement[${i}]${typeof statement.Sid === 'string' && statement.Sid ? ` (${statement.Sid})` : ''}`,
        statement,
      };
    });
  });
}

/** Keys of a statement that are not policy elements IAM knows. */
export function unknownElements(statement: RawStatement): string[] {
  return Object.keys(statement).filter((k) => !(STATEMENT_ELEMENTS as readonly string[]).includes(k));
}

/** IAM's `*` and `?` wildcards. Actions compare case-insensitively, ARNs exactly. */
export function matchesPattern(pattern: string, value: string, caseInsensitive = false): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, caseInsensitive ? 'i' : '').test(value);
}

/**
 * Whether every value `inner` can match is matched by `outer` too: equal patterns, or
 * `outer` ending in `*` and `inner` starting with what precedes it.
 */
export function patternWithin(inner: string, outer: string, caseInsensitive = false): boolean {
  const fold = (s: string) => (caseInsensitive ? s.toLowerCase() : s);
  if (fold(inner) === fold(outer)) return true;
  if (!outer.endsWith('*')) return false;
  const prefix = fold(outer.slice(0, -1));
  return !/[*?]/.test(prefix) && fold(inner).startsWith(prefix);
}

/** Does the statement's Action/NotAction cover `action`? */
export function coversAction(s: RawStatement, action: string): boolean {
  return s.NotAction !== undefined
    ? !list(s.NotAction).some((a) => matchesPattern(a, action, true))
    : list(s.Action).some((a) => matchesPattern(a, action, true));
}

/** Does the statement's Resource/NotResource cover `resource`? (A statement with neither covers nothing.) */
export function coversResource(s: RawStatement, resource: string): boolean {
  return s.NotResource !== undefined
    ? !list(s.NotResource).some((r) => matchesPattern(r, resource))
    : list(s.Resource).some((r) => matchesPattern(r, resource));
}

/** True for `"*"` and `{"AWS": "*"}` (with or without other principal types). */
export function isWildcardPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  return typeof principal === 'object' && principal !== null && list((principal as { AWS?: unknown }).AWS).includes('*');
}

/** The named principals of a `Principal` object, as `AWS:<value>`, `Service:<value>`, … */
export function namedPrincipals(principal: unknown): { type: string; value: string }[] {
  if (typeof principal !== 'object' || principal === null) return typeof principal === 'string' && principal !== '*' ? [{ type: 'AWS', value: principal }] : [];
  return Object.entries(principal as Record<string, unknown>).flatMap(([type, v]) => list(v).map((value) => ({ type, value })));
}

/** Account of an AWS principal: a bare account ID or any IAM/STS ARN. */
export function principalAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

function quoteList(values: readonly string[]): string {
  return values.join(', ');
}

/** Who a statement applies to, in words. */
export function describePrincipal(s: RawStatement): string {
  if (s.NotPrincipal !== undefined) {
    return `every principal except ${quoteList(namedPrincipals(s.NotPrincipal).map((p) => p.value))} (NotPrincipal)`;
  }
  if (s.Principal === undefined) return 'no named principal';
  if (isWildcardPrincipal(s.Principal)) return 'any AWS principal (*)';
  return quoteList(
    namedPrincipals(s.Principal).map(({ type, value }) =>
      type === 'AWS' ? value : type === 'Service' ? `the service ${value}` : type === 'Federated' ? `users federated by ${value}` : `${type} ${value}`,
    ),
  );
}

/** What actions a statement names, in words. */
export function describeActions(s: RawStatement): string {
  if (s.NotAction !== undefined) return `every action except ${quoteList(list(s.NotAction))}`;
  const actions = list(s.Action);
  if (actions.length === 0) return 'no action';
  return actions.includes('*') ? 'every action (*)' : quoteList(actions);
}

/** On what resources, in words ('' when the statement names none, as in a trust policy). */
export function describeResources(s: RawStatement): string {
  if (s.NotResource !== undefined) return ` on every resource except ${quoteList(list(s.NotResource))}`;
  const resources = list(s.Resource);
  if (resources.length === 0) return '';
  return resources.includes('*') ? ' on every resource (*)' : ` on ${quoteList(resources)}`;
}

/** Under what condition, in words. */
export function describeCondition(s: RawStatement): string {
  if (s.Condition === undefined || (typeof s.Condition === 'object' && s.Condition !== null && Object.keys(s.Condition).length === 0)) {
    return 'with no condition';
  }
  const parts = Object.entries((typeof s.Condition === 'object' && s.Condition !== null ? s.Condition : {}) as Record<string, unknown>).flatMap(
    ([operator, keys]) =>
      Object.entries((typeof keys === 'object' && keys !== null ? keys : {}) as Record<string, unknown>).map(
        ([key, value]) => `${operator} ${key} ${JSON.stringify(value)}`,
      ),
  );
  return `only when ${parts.join(' and ') || JSON.stringify(s.Condition)}`;
}

/** One sentence: `<where> allows <who> <what> on <which>, <when>`. */
export function describeStatement(where: string, s: RawStatement): string {
  const verb = s.Effect === 'Deny' ? 'denies' : s.Effect === 'Allow' ? 'allows' : `has Effect ${JSON.stringify(s.Effect)} for`;
  const who = s.Principal === undefined && s.NotPrincipal === undefined ? '' : ` ${describePrincipal(s)}`;
  return `${where} ${verb}${who} ${describeActions(s)}${describeResources(s)}, ${describeCondition(s)}`;
}
