import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  type CloudFormationClient,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetBucketEncryptionCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudFormationClient, createIamClient, createS3Client } from '../../aws/clients.js';
import { parseRoleArn, permissionPolicy, type PolicyDocument } from '../../policy/index.js';
import { renderCloudFormationTemplate } from '../../stacks/cloudformation/render-yaml.js';
import { DELIVERY_POLICY_NAME } from '../../stacks/cloudformation/role-resource.js';
import { EMULATOR_DEFAULT_ACCOUNT, EMULATOR_ROOT_CREDENTIALS, startEmulator, type Emulator } from '../../emulator/emulator.js';
import { contractDocument } from '../fixtures/contract.js';

/**
 * The generated template, deployed into moto with CloudFormation's own API, then
 * read back with IAM and S3. The bucket's other settings (versioning, public access
 * block, bucket policy, …) are asserted in deploy-bucket-settings.test.ts.
 */
const ACCOUNT = '111122223333';
const EXTERNAL_ID = 'ion-acme-7f3a9c';
const TEMPLATE_BODY = renderCloudFormationTemplate();

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

interface Clients {
  cfn: CloudFormationClient;
  iam: IAMClient;
  s3: S3Client;
}

function clientsFor(url: string, region: string): Clients {
  const common = { region, endpointUrl: url, credentials: EMULATOR_ROOT_CREDENTIALS, maxAttempts: 2 };
  return {
    cfn: createCloudFormationClient(common),
    iam: createIamClient(common),
    s3: createS3Client({ ...common, expectedBucketOwner: EMULATOR_DEFAULT_ACCOUNT }),
  };
}

function parameters(values: Record<string, string>): Parameter[] {
  return Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

async function deployStack(c: Clients, stackName: string, values: Record<string, string>): Promise<Record<string, string>> {
  await c.cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: TEMPLATE_BODY,
      Parameters: parameters(values),
      Capabilities: ['CAPABILITY_NAMED_IAM'],
    }),
  );
  await waitUntilStackCreateComplete({ client: c.cfn, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { StackName: stackName });
  const stack = (await c.cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
  return Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey as string, o.OutputValue as string]));
}

/** IAM returns policy documents URL-encoded (RFC 3986); the text must be JSON. */
function decodePolicy(encoded: string | undefined): PolicyDocument {
  return JSON.parse(decodeURIComponent(encoded ?? '')) as PolicyDocument;
}

async function readRole(c: Clients, roleArn: string) {
  const parsed = parseRoleArn(roleArn);
  expect(parsed).toBeDefined();
  const RoleName = parsed!.roleName;
  const role = (await c.iam.send(new GetRoleCommand({ RoleName }))).Role;
  const names = (await c.iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? [];
  const attached = (await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))).AttachedPolicies ?? [];
  const inline = await c.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: DELIVERY_POLICY_NAME }));
  return { role, names, attached, inlineText: decodeURIComponent(inline.PolicyDocument ?? '') };
}

const json = (doc: unknown) => JSON.stringify(doc);

describe('the generated template deployed into the emulator', () => {
  it('default: creates the bucket and a role holding exactly the contract trust and permission policies', async () => {
    const c = clientsFor(emulator.url, 'us-east-1');
    const bucket = 'acme-ion-snapshots';
    const outputs = await deployStack(c, 'ion-default', { TrustedAccountId: ACCOUNT, ExternalId: EXTERNAL_ID, BucketName: bucket });

    expect(outputs).toEqual({ RoleArn: expect.stringMatching(/^arn:aws:iam::\d{12}:role\//), BucketName: bucket, BucketRegion: 'us-east-1' });
    const { role, names, attached, inlineText } = await readRole(c, outputs.RoleArn!);
    expect(role?.Arn).toBe(outputs.RoleArn);
    expect(json(decodePolicy(role?.AssumeRolePolicyDocument))).toBe(
      json(contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: EXTERNAL_ID })),
    );
    expect(names).toEqual([DELIVERY_POLICY_NAME]);
    expect(attached).toEqual([]);
    // Exact JSON text as AWS stores it (moto alone would hold a Python repr here).
    expect(json(JSON.parse(inlineText))).toBe(json(contractDocument('permission-policy', { bucket })));

    const head = await c.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    expect(head.BucketRegion).toBe('us-east-1');
    const encryption = await c.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
  });

  it('KMS key, rotation and role name: SSE-KMS bucket, both external IDs, the KMS statement', async () => {
    const region = 'eu-west-1';
    const c = clientsFor(emulator.url, region);
    const key = `arn:aws:kms:${region}:${EMULATOR_DEFAULT_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const outputs = await deployStack(c, 'ion-kms', {
      TrustedAccountId: ACCOUNT,
      ExternalId: EXTERNAL_ID,
      AdditionalExternalId: 'ion-acme-previous',
      KmsKeyArn: key,
      RoleName: 'IonSnapshotDeliveryKms',
    });
    const bucket = outputs.BucketName!;
    expect(bucket).toMatch(/^ion-kms-destinationbucket-/);
    expect(outputs.BucketRegion).toBe(region);
    expect(outputs.RoleArn).toBe(`arn:aws:iam::${EMULATOR_DEFAULT_ACCOUNT}:role/IonSnapshotDeliveryKms`);

    const { role, inlineText } = await readRole(c, outputs.RoleArn!);
    const trust = contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: 'PLACEHOLDER' });
    trust.Statement[0]!.Condition!.StringEquals!['sts:ExternalId'] = [EXTERNAL_ID, 'ion-acme-previous'];
    expect(json(decodePolicy(role?.AssumeRolePolicyDocument))).toBe(json(trust));
    const permissions = contractDocument('permission-policy', { bucket });
    permissions.Statement.push({ Sid: 'SnapshotDeliveryKmsKeyAccess', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: key });
    expect(json(JSON.parse(inlineText))).toBe(json(permissions));

    expect((await c.s3.send(new HeadBucketCommand({ Bucket: bucket }))).BucketRegion).toBe(region);
    const encryption = await c.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: key,
    });
  });

  it('existing bucket: creates only the role, scoped to that bucket', async () => {
    const c = clientsFor(emulator.url, 'us-east-1');
    const bucket = 'acme-existing-destination';
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const outputs = await deployStack(c, 'ion-existing', {
      TrustedAccountId: ACCOUNT,
      ExternalId: EXTERNAL_ID,
      BucketName: bucket,
      UseExistingBucket: 'true',
    });
    expect(outputs.BucketName).toBe(bucket);
    const resources = (await c.cfn.send(new ListStackResourcesCommand({ StackName: 'ion-existing' }))).StackResourceSummaries ?? [];
    // moto also lists each resource its Conditions left out, as an entry with no ID or type.
    const created = resources.filter((r) => r.LogicalResourceId);
    expect(created.map((r) => [r.LogicalResourceId, r.ResourceType])).toEqual([['DeliveryRole', 'AWS::IAM::Role']]);
    const { inlineText } = await readRole(c, outputs.RoleArn!);
    expect(json(JSON.parse(inlineText))).toBe(json(contractDocument('permission-policy', { bucket })));
  });

  it('TenantPrefix: the role holds the prefix-narrowed permission policy of policy/ (a created bucket, by its generated ARN)', async () => {
    const c = clientsFor(emulator.url, 'us-east-1');
    const outputs = await deployStack(c, 'ion-prefix', { TrustedAccountId: ACCOUNT, ExternalId: EXTERNAL_ID, TenantPrefix: 'acme' });
    const bucket = outputs.BucketName!;
    const { role, inlineText } = await readRole(c, outputs.RoleArn!);
    expect(json(decodePolicy(role?.AssumeRolePolicyDocument))).toBe(
      json(contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: EXTERNAL_ID })),
    );
    expect(json(JSON.parse(inlineText))).toBe(json(permissionPolicy({ bucket, tenantPrefix: 'acme' })));
  });

  it('deleting the stack keeps the bucket (DeletionPolicy Retain)', async () => {
    const c = clientsFor(emulator.url, 'us-east-1');
    const outputs = await deployStack(c, 'ion-retain', { TrustedAccountId: ACCOUNT, ExternalId: EXTERNAL_ID, BucketName: 'acme-retained' });
    await c.cfn.send(new DeleteStackCommand({ StackName: 'ion-retain' }));
    await waitUntilStackDeleteComplete({ client: c.cfn, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { StackName: 'ion-retain' });
    expect((await c.s3.send(new HeadBucketCommand({ Bucket: outputs.BucketName }))).$metadata.httpStatusCode).toBe(200);
    await expect(c.iam.send(new GetRoleCommand({ RoleName: parseRoleArn(outputs.RoleArn!)!.roleName }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });
});

describe('the fidelity patch cfn_inline_policy', () => {
  it("is what makes the inline policy JSON: moto alone stores CloudFormation's document as a Python repr", async () => {
    const raw = await startEmulator({ fidelity: false });
    try {
      const c = clientsFor(raw.url, 'us-east-1');
      const outputs = await deployStack(c, 'ion-raw', { TrustedAccountId: ACCOUNT, ExternalId: EXTERNAL_ID, BucketName: 'acme-raw' });
      const { inlineText } = await readRole(c, outputs.RoleArn!);
      expect(() => JSON.parse(inlineText)).toThrow();
      expect(inlineText).toContain("'Sid': 'SnapshotDeliveryBucketAccess'");
    } finally {
      await raw.stop();
    }
  });
});
