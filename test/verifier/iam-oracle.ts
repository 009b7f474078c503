import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../policy/index.js';

/**
 * An independent IAM policy evaluation engine (@cloud-copilot/iam-simulate, AGPL-3.0:
 * tests only, never shipped) as an oracle for the generated and deployed policies.
 */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

function accountOf(arn: string): string {
  const account = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn)?.[1];
  if (!account) throw new Error(`no account in ${arn}`);
  return account;
}

async function decide(simulation: Simulation): Promise<Decision> {
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`iam-simulate rejected the request: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

/** May `callerArn` (with `callerPolicy`) assume `roleArn` whose trust policy is `trust`, presenting `externalId`? */
export function simulateAssumeRole(options: {
  trust: unknown;
  roleArn: string;
  callerArn: string;
  callerPolicy: PolicyDocument;
  externalId?: string;
}): Promise<Decision> {
  return decide({
    identityPolicies: [{ name: 'caller', policy: options.callerPolicy as unknown as Record<string, unknown> }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: options.trust as Record<string, unknown>,
    request: {
      action: 'sts:AssumeRole',
      principal: options.callerArn,
      resource: { resource: options.roleArn, accountId: accountOf(options.roleArn) },
      contextVariables: options.externalId === undefined ? {} : { 'sts:ExternalId': options.externalId },
    },
  } as Simulation);
}

/** May a session of `roleArn` with these permission policies call `action` on `resource` (owned by `resourceAccount`)? */
export function simulateRoleAction(options: {
  roleArn: string;
  policies: readonly unknown[];
  action: string;
  resource: string;
  resourceAccount: string;
  /** The resource's own policy (a KMS key policy, say). */
  resourcePolicy?: unknown;
}): Promise<Decision> {
  return decide({
    identityPolicies: options.policies.map((policy, i) => ({ name: `p${i}`, policy: policy as Record<string, unknown> })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(options.resourcePolicy === undefined ? {} : { resourcePolicy: options.resourcePolicy as Record<string, unknown> }),
    request: {
      action: options.action,
      principal: options.roleArn,
      resource: { resource: options.resource, accountId: options.resourceAccount },
      contextVariables: {},
    },
  } as Simulation);
}

/**
 * One request against any mix of identity and resource policies: the general form of the
 * two helpers above, for judging crafted documents (trust, permission and bucket policies).
 */
export function simulateRequest(options: {
  identityPolicies: readonly unknown[];
  resourcePolicy?: unknown;
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  context?: Record<string, string>;
}): Promise<Decision> {
  return decide({
    identityPolicies: options.identityPolicies.map((policy, i) => ({ name: `p${i}`, policy: policy as Record<string, unknown> })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(options.resourcePolicy === undefined ? {} : { resourcePolicy: options.resourcePolicy as Record<string, unknown> }),
    request: {
      action: options.action,
      principal: options.principal,
      resource: { resource: options.resource, accountId: options.resourceAccount },
      contextVariables: options.context ?? {},
    },
  } as Simulation);
}
