import {
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type CloudFormationClient,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { AwsCredentialIdentity } from '@smithy/types';
import { createCloudFormationClient } from '../../aws/clients.js';
import { IonDestError } from '../../errors/index.js';
import {
  assertNoProblems,
  parseRoleArn,
  validateBucketName,
  validateExternalId,
  validateRegion,
  validateRoleName,
  validateStackName,
  validateTrustedAccountId,
} from '../../policy/index.js';
import { OUTPUT, PARAMETER, renderCloudFormationTemplate } from '../../stacks/cloudformation/index.js';
import { toIonDestError } from '../../aws/aws-errors.js';
import type { DeployedDestination } from './deployed-destination.js';

export interface DeployCloudFormationOptions {
  stackName: string;
  region: string;
  trustedAccountId: string;
  externalId: string;
  /** The stack's RoleName parameter; none: CloudFormation generates the role's name. */
  roleName?: string;
  /** The stack's BucketName parameter; none: CloudFormation generates the bucket's name. */
  bucketName?: string;
  endpointUrl?: string;
  /** The customer's credentials: explicit keys (emulator) or a profile (real AWS). */
  credentials?: AwsCredentialIdentity;
  profile?: string;
  /** Time between status polls: CloudFormation takes a minute or two on AWS, moto none. */
  pollIntervalMs: number;
  /** Give up waiting after this long (the stack keeps going on AWS). */
  timeoutMs: number;
  /** Each stack event as it arrives, one line. */
  onEvent?: (line: string) => void;
}

/** The stack needs CAPABILITY_NAMED_IAM: it creates a role, named when RoleName is set. */
const CAPABILITIES = ['CAPABILITY_NAMED_IAM'] as const;

/**
 * Create the customer's stack from the generated template (the template a quick-create
 * link points at) with the customer's credentials, wait until it is complete, and read
 * its outputs: the three values the setup guide's Step 3 asks the customer to send back.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
 */
export async function deployCloudFormationStack(options: DeployCloudFormationOptions): Promise<DeployedDestination> {
  assertNoProblems([
    validateStackName(options.stackName, '--stack-name'),
    validateRegion(options.region, '--region'),
    validateTrustedAccountId(options.trustedAccountId, '--trusted-account'),
    validateExternalId(options.externalId, 'external ID'),
    options.roleName === undefined ? undefined : validateRoleName(options.roleName, 'role name'),
    options.bucketName === undefined ? undefined : validateBucketName(options.bucketName, 'bucket name'),
  ]);
  const client = createCloudFormationClient({
    region: options.region,
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  try {
    const started = new Date();
    await call(`CreateStack ${options.stackName}`, () =>
      client.send(
        new CreateStackCommand({
          StackName: options.stackName,
          TemplateBody: renderCloudFormationTemplate(),
          Parameters: [
            { ParameterKey: PARAMETER.trustedAccountId, ParameterValue: options.trustedAccountId },
            { ParameterKey: PARAMETER.externalId, ParameterValue: options.externalId },
            ...(options.roleName ? [{ ParameterKey: PARAMETER.roleName, ParameterValue: options.roleName }] : []),
            ...(options.bucketName ? [{ ParameterKey: PARAMETER.bucketName, ParameterValue: options.bucketName }] : []),
          ],
          Capabilities: [...CAPABILITIES],
        }),
      ),
    );
    const outputs = await waitForOutputs(client, options, started);
    const roleArn = outputs[OUTPUT.roleArn];
    const bucket = outputs[OUTPUT.bucketName];
    const bucketRegion = outputs[OUTPUT.bucketRegion];
    const role = roleArn ? parseRoleArn(roleArn) : undefined;
    if (!role || !bucket || !bucketRegion) {
      throw new IonDestError('STACK_DEPLOY_FAILED', `Stack ${options.stackName} is complete but its outputs lack ${OUTPUT.roleArn}, ${OUTPUT.bucketName} or ${OUTPUT.bucketRegion}: ${JSON.stringify(outputs)}`, {
        source: 'toolkit',
      });
    }
    return { method: 'cloudformation', stackName: options.stackName, roleArn: roleArn!, roleName: role.roleName, accountId: role.accountId, bucket, bucketRegion };
  } finally {
    client.destroy();
  }
}

async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toIonDestError(error, what, 'source', (f) =>
      f.name === 'AlreadyExistsException' || f.name === 'InsufficientCapabilitiesException' || f.name === 'ValidationError' || f.httpStatus === 403 || f.name === 'AccessDenied'
        ? 'STACK_DEPLOY_FAILED'
        : undefined,
    );
  }
}

function describeEvent(e: StackEvent): string {
  const reason = e.ResourceStatusReason ? `: ${e.ResourceStatusReason}` : '';
  return `${e.LogicalResourceId ?? '?'} (${e.ResourceType ?? '?'}) ${e.ResourceStatus ?? '?'}${reason}`;
}

/** The stack's events since `since`, oldest first (DescribeStackEvents lists newest first). */
async function eventsSince(client: CloudFormationClient, stackName: string, since: Date): Promise<StackEvent[]> {
  const page = await call(`DescribeStackEvents ${stackName}`, () => client.send(new DescribeStackEventsCommand({ StackName: stackName })));
  return (page.StackEvents ?? []).filter((e) => (e.Timestamp ?? since) >= since).reverse();
}

async function waitForOutputs(client: CloudFormationClient, options: DeployCloudFormationOptions, started: Date): Promise<Record<string, string>> {
  const deadline = Date.now() + options.timeoutMs;
  const seen = new Set<string>();
  for (;;) {
    const stack = (await call(`DescribeStacks ${options.stackName}`, () => client.send(new DescribeStacksCommand({ StackName: options.stackName })))).Stacks?.[0];
    const status = stack?.StackStatus ?? 'UNKNOWN';
    const events = await eventsSince(client, options.stackName, new Date(started.getTime() - 1000));
    for (const e of events) {
      const id = e.EventId ?? describeEvent(e);
      if (!seen.has(id)) {
        seen.add(id);
        options.onEvent?.(describeEvent(e));
      }
    }
    if (status === 'CREATE_COMPLETE') {
      return Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
    }
    if (!status.endsWith('_IN_PROGRESS')) {
      const failed = events.find((e) => e.ResourceStatus?.endsWith('_FAILED') && e.ResourceStatusReason);
      const reason = failed ? describeEvent(failed) : (stack?.StackStatusReason ?? 'no reason given');
      throw new IonDestError('STACK_DEPLOY_FAILED', `Stack ${options.stackName} ended in ${status}; first failure: ${reason}`, { source: 'destination' });
    }
    if (Date.now() > deadline) {
      throw new IonDestError(
        'STACK_DEPLOY_FAILED',
        `Stack ${options.stackName} is still ${status} after ${Math.round(options.timeoutMs / 1000)} s; it goes on in CloudFormation (watch it in the console)`,
        { source: 'aws' },
      );
    }
    await new Promise((r) => setTimeout(r, options.pollIntervalMs));
  }
}
