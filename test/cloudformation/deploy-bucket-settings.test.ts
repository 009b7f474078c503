import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudFormationClient, createS3Client } from '../../aws/clients.js';
import { SECURE_TRANSPORT_CONDITION_KEY, bucketArn, bucketObjectsArn, buildTlsOnlyBucketPolicy, type PolicyDocument } from '../../policy/index.js';
import { renderCloudFormationTemplate } from '../../stacks/cloudformation/render-yaml.js';
import { EMULATOR_DEFAULT_ACCOUNT, EMULATOR_ROOT_CREDENTIALS, startEmulator, type Emulator } from '../../emulator/emulator.js';

/**
 * The generated template deployed into the emulator, then every bucket setting read
 * back through S3's own API: what a customer's bucket holds after the one-click stack.
 * moto alone applies almost none of them (emulator/README.md, "CloudFormation
 * bucket properties"); the last block shows that on plain moto.
 */
const TEMPLATE_BODY = renderCloudFormationTemplate();
const REQUIRED = { TrustedAccountId: '111122223333', ExternalId: 'ion-acme-7f3a9c' };
/** The template's lifecycle rule: incomplete multipart uploads are aborted after this many days. */
const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;
/**
 * S3's log delivery group: a bucket that grants it WRITE and READ_ACP is accepted as a
 * server access log destination.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
const LOG_DELIVERY_GROUP = 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

interface Clients {
  cfn: CloudFormationClient;
  s3: S3Client;
}

function clientsFor(url: string, region: string): Clients {
  const common = { region, endpointUrl: url, credentials: EMULATOR_ROOT_CREDENTIALS, maxAttempts: 2 };
  return { cfn: createCloudFormationClient(common), s3: createS3Client({ ...common, expectedBucketOwner: EMULATOR_DEFAULT_ACCOUNT }) };
}

const WAIT = { maxWaitTime: 60, minDelay: 1, maxDelay: 2 };

async function stackOutputs(c: Clients, stackName: string): Promise<Record<string, string>> {
  const stack = (await c.cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  return Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey as string, o.OutputValue as string]));
}

function stackInput(stackName: string, values: Record<string, string>) {
  return {
    StackName: stackName,
    TemplateBody: TEMPLATE_BODY,
    Parameters: Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    Capabilities: ['CAPABILITY_NAMED_IAM' as const],
  };
}

/** Create the stack and return its bucket's name. */
async function deployBucket(c: Clients, stackName: string, values: Record<string, string>): Promise<string> {
  await c.cfn.send(new CreateStackCommand(stackInput(stackName, { ...REQUIRED, ...values })));
  await waitUntilStackCreateComplete({ client: c.cfn, ...WAIT }, { StackName: stackName });
  const bucket = (await stackOutputs(c, stackName)).BucketName;
  expect(bucket).toBeTruthy();
  return bucket!;
}

/** The TLS-only policy from policy/, for this bucket (the template builds it from the same function). */
function tlsOnlyPolicy(bucket: string): PolicyDocument {
  return buildTlsOnlyBucketPolicy<never>({ bucketArn: bucketArn('aws', bucket), bucketObjectsArn: bucketObjectsArn('aws', bucket) });
}

async function bucketPolicy(s3: S3Client, bucket: string): Promise<unknown> {
  return JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '');
}

/** Every setting the template gives a new bucket, whatever the variant. */
async function expectHardenedBucket(s3: S3Client, bucket: string): Promise<void> {
  expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
  expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual({
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  });
  expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules).toEqual([
    { ObjectOwnership: 'BucketOwnerEnforced' },
  ]);
  const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
  expect(rules).toHaveLength(1);
  expect(rules[0]).toMatchObject({
    ID: 'AbortIncompleteMultipartUploads',
    Status: 'Enabled',
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
  });
  expect(await bucketPolicy(s3, bucket)).toEqual(tlsOnlyPolicy(bucket));
}

async function encryptionRule(s3: S3Client, bucket: string) {
  const rules = (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules ?? [];
  expect(rules).toHaveLength(1);
  return rules[0]!;
}

describe('the bucket a CloudFormation deploy creates, read back through S3', () => {
  it('default: versioned, SSE-S3, public access blocked, ACLs off, multipart cleanup, EventBridge on, TLS-only policy', async () => {
    const c = clientsFor(emulator.url, 'us-east-1');
    const bucket = await deployBucket(c, 'ion-settings-default', { BucketName: 'acme-settings-default' });

    await expectHardenedBucket(c.s3, bucket);
    const rule = await encryptionRule(c.s3, bucket);
    expect(rule.ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
    expect(rule.BucketKeyEnabled).toBe(false);
    const notifications = await c.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(notifications.EventBridgeConfiguration).toEqual({});
    expect((await c.s3.send(new GetBucketLoggingCommand({ Bucket: bucket }))).LoggingEnabled).toBeUndefined();

    // The TLS-only policy denies nothing to a request over TLS, which the emulator's port stands in for.
    const Key = 'tenant_acme/job-1/snapshot_tables_job-1.tar';
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'snapshot' }));
    expect(await (await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body?.transformToString()).toBe('snapshot');
  });

  it('KmsKeyArn: SSE-KMS with that key and a Bucket Key, and every other setting', async () => {
    const region = 'eu-west-1';
    const c = clientsFor(emulator.url, region);
    const key = `arn:aws:kms:${region}:${EMULATOR_DEFAULT_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const bucket = await deployBucket(c, 'ion-settings-kms', { KmsKeyArn: key });

    expect(bucket).toMatch(/^ion-settings-kms-destinationbucket-/);
    await expectHardenedBucket(c.s3, bucket);
    const rule = await encryptionRule(c.s3, bucket);
    expect(rule.ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key });
    expect(rule.BucketKeyEnabled).toBe(true);
  });

  it('an update to AccessLogBucket and no EventBridge logs to that bucket and stops the events; deleting the stack keeps the bucket and its TLS-only policy', async () => {
    const c = clientsFor(emulator.url, 'us-east-1');
    const stackName = 'ion-settings-update';
    const logs = 'acme-settings-access-logs';
    await c.s3.send(new CreateBucketCommand({ Bucket: logs }));
    await c.s3.send(new PutBucketAclCommand({ Bucket: logs, GrantWrite: LOG_DELIVERY_GROUP, GrantReadACP: LOG_DELIVERY_GROUP }));
    const bucket = await deployBucket(c, stackName, { BucketName: 'acme-settings-update' });
    expect((await c.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }))).EventBridgeConfiguration).toEqual({});

    await c.cfn.send(
      new UpdateStackCommand(
        stackInput(stackName, { ...REQUIRED, BucketName: bucket, AccessLogBucket: logs, EventBridgeNotifications: 'false' }),
      ),
    );
    await waitUntilStackUpdateComplete({ client: c.cfn, ...WAIT }, { StackName: stackName });
    expect((await c.s3.send(new GetBucketLoggingCommand({ Bucket: bucket }))).LoggingEnabled).toEqual({
      TargetBucket: logs,
      TargetPrefix: `${stackName}/`,
    });
    expect((await c.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }))).EventBridgeConfiguration).toBeUndefined();
    await expectHardenedBucket(c.s3, bucket);

    await c.cfn.send(new DeleteStackCommand({ StackName: stackName }));
    await waitUntilStackDeleteComplete({ client: c.cfn, ...WAIT }, { StackName: stackName });
    expect((await c.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    // The policy resource is Retain too: the kept bucket still refuses every request not over TLS.
    expect(await bucketPolicy(c.s3, bucket)).toEqual(tlsOnlyPolicy(bucket));
  });

  it('a bucket policy condition is evaluated against a TLS request: a Deny when aws:SecureTransport is true applies', async () => {
    const c = clientsFor(emulator.url, 'us-east-1');
    const bucket = 'acme-settings-transport';
    const Key = 'probe.txt';
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }));
    const denyOverTls = tlsOnlyPolicy(bucket);
    denyOverTls.Statement[0]!.Condition = { Bool: { [SECURE_TRANSPORT_CONDITION_KEY]: 'true' } };
    await c.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(denyOverTls) }));
    await expect(c.s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });
});

describe('the fidelity patches cfn_bucket_properties and bucket_policy_conditions', () => {
  it('are what make these settings real: moto alone leaves the bucket unversioned without a policy, and the TLS-only policy blocks every write', async () => {
    const raw = await startEmulator({ fidelity: false });
    try {
      const c = clientsFor(raw.url, 'us-east-1');
      const bucket = await deployBucket(c, 'ion-settings-raw', { BucketName: 'acme-settings-raw' });
      expect((await c.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
      await expect(c.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });

      await c.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(tlsOnlyPolicy(bucket)) }));
      await expect(c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'probe.txt', Body: 'x' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      await raw.stop();
    }
  });
});
