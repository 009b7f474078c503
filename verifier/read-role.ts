import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { IonDestError } from '../errors/index.js';
import { isAccessDenied, toIonDestError, type AwsErrorFacts } from '../aws/aws-errors.js';
import type { DeployedPolicy } from './diff-policy.js';

export interface DeployedRole {
  roleArn: string;
  trustPolicy: unknown;
  /** Inline policies, then attached managed policies (their default version). */
  permissionPolicies: DeployedPolicy[];
}

/** IAM returns policy documents URL-encoded (RFC 3986). */
export function parsePolicyDocument(text: string | undefined, where: string): unknown {
  if (text === undefined) return undefined;
  const decoded = text.trimStart().startsWith('{') ? text : decodeURIComponent(text);
  try {
    return JSON.parse(decoded);
  } catch {
    throw new IonDestError('AWS_REQUEST_FAILED', `${where} is not JSON: ${decoded.slice(0, 80)}`, { source: 'aws' });
  }
}

function mapReadError(facts: AwsErrorFacts) {
  if (facts.name === 'NoSuchEntity' || facts.name === 'NoSuchEntityException') return 'AUDIT_ROLE_NOT_FOUND' as const;
  return isAccessDenied(facts) ? ('AUDIT_READ_DENIED' as const) : undefined;
}

async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toIonDestError(error, what, 'source', mapReadError);
  }
}

/**
 * Read a role's trust policy and every permission policy that applies to it.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html
 */
export async function readDeployedRole(iam: IAMClient, roleName: string): Promise<DeployedRole> {
  const role = await call(`GetRole ${roleName}`, () => iam.send(new GetRoleCommand({ RoleName: roleName })));
  const roleArn = role.Role?.Arn ?? '';
  const trustPolicy = parsePolicyDocument(role.Role?.AssumeRolePolicyDocument, `trust policy of ${roleName}`);
  const policies: DeployedPolicy[] = [];

  let marker: string | undefined;
  do {
    const page = await call(`ListRolePolicies ${roleName}`, () =>
      iam.send(new ListRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) })),
    );
    for (const name of page.PolicyNames ?? []) {
      const got = await call(`GetRolePolicy ${roleName}/${name}`, () =>
        iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name })),
      );
      policies.push({ source: `inline policy ${name}`, document: parsePolicyDocument(got.PolicyDocument, `inline policy ${name}`) });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);

  do {
    const page = await call(`ListAttachedRolePolicies ${roleName}`, () =>
      iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) })),
    );
    for (const attached of page.AttachedPolicies ?? []) {
      const arn = attached.PolicyArn;
      if (!arn) continue;
      const policy = await call(`GetPolicy ${arn}`, () => iam.send(new GetPolicyCommand({ PolicyArn: arn })));
      const versionId = policy.Policy?.DefaultVersionId;
      if (!versionId) continue;
      const version = await call(`GetPolicyVersion ${arn}`, () =>
        iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })),
      );
      policies.push({ source: `attached policy ${arn}`, document: parsePolicyDocument(version.PolicyVersion?.Document, `policy ${arn}`) });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);

  return { roleArn, trustPolicy, permissionPolicies: policies };
}
