import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIamClient, createS3Client } from '../../aws/clients.js';
import { KMS_ACTIONS, KMS_STATEMENT_SID, bucketArn, bucketObjectsArn, buildTlsOnlyBucketPolicy, parseRoleArn } from '../../policy/index.js';
import { ABORT_INCOMPLETE_MULTIPART_DAYS, ABORT_MULTIPART_RULE_ID } from '../../stacks/cloudformation/bucket-resources.js';
import { DELIVERY_POLICY_NAME } from '../../stacks/cloudformation/role-resource.js';
import { GENERATED_BUCKET_PREFIX, GENERATED_ROLE_PREFIX, STACK_NAME } from '../../stacks/cdktf/destination-stack.js';
import { EMULATOR_DEFAULT_ACCOUNT, EMULATOR_ROOT_CREDENTIALS, startEmulator, type Emulator } from '../../emulator/emulator.js';
import { contractDocument } from '../fixtures/contract.js';
import {
  REPO_ROOT,
  TEST_REGION,
  copyExample,
  makeWorkDir,
  readOutputs,
  runOrThrow,
  terraform,
  toolEnvironment,
  varArgs,
  writeEmulatorOverride,
} from './terraform-harness.js';

const ACCOUNT = '111122223333';
const EXTERNAL_ID = 'ion-acme-7f3a9c';
const NEXT_EXTERNAL_ID = 'ion-acme-8b4d0e';
const EXISTING_BUCKET = 'acme-existing-snapshots';
const EXISTING_BUCKET_REGION = 'eu-west-1';
const KMS_KEY = `arn:aws:kms:${EXISTING_BUCKET_REGION}:${EMULATOR_DEFAULT_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE_NAME = 'ion-delivery-existing';
const ACCESS_LOG_BUCKET = 'acme-access-logs';
/** S3's log delivery group: the grantee that writes server access logs into a bucket that uses ACLs. */
const LOG_DELIVERY_GROUP = 'uri=http://acs.amazonaws.com/groups/s3/LogDelivery';

const require = createRequire(import.meta.url);
const TSX_CLI = require.resolve('tsx/cli');
const CDKTF_CLI = (() => {
  const manifest = require.resolve('cdktf-cli/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifest), bin.cdktf!);
})();

type Outputs = Record<string, unknown>;
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    return { ok: false, error };
  }
}

function valueOf<T>(settled: Settled<T> | undefined): T {
  if (!settled) throw new Error('the deployment did not run');
  if (!settled.ok) throw settled.error;
  return settled.value;
}

/**
 * `terraform apply -var ...` of the new-bucket example, the root configuration that calls
 * the module once: defaults (generated bucket and role names) plus access logging.
 */
async function applyNewBucketExample(dir: string, endpointUrl: string): Promise<Outputs> {
  const root = copyExample(dir, 'new-bucket');
  writeEmulatorOverride(root, endpointUrl);
  await terraform(['init', '-input=false'], root);
  await terraform(
    [
      'apply',
      '-auto-approve',
      '-input=false',
      ...varArgs({ trusted_account_id: ACCOUNT, external_id: EXTERNAL_ID, access_log_bucket: ACCESS_LOG_BUCKET }),
    ],
    root,
  );
  return readOutputs(root);
}

/** The for-each example as is: the module called twice with for_each, through the aliased provider `aws.eu`. */
async function applyForEachExample(dir: string, endpointUrl: string): Promise<Outputs> {
  const root = copyExample(dir, 'for-each');
  writeEmulatorOverride(root, endpointUrl, ['eu']);
  await terraform(['init', '-input=false'], root);
  await terraform(['apply', '-auto-approve', '-input=false'], root);
  return readOutputs(root);
}

/** The for-each example's two destinations (its variables' defaults). */
const FOR_EACH_DESTINATIONS = {
  production: { externalId: 'ion-acme-prod-8b4d0e', bucket: 'acme-ion-snapshots-production' },
  staging: { externalId: 'ion-acme-staging-7f3a9c', bucket: 'acme-ion-snapshots-staging' },
};
const FOR_EACH_REGION = 'eu-west-1';

/**
 * `cdktf deploy` of the cdktf app, configured as a team would: a config file, an
 * environment variable and cdktf.json context (which the environment overrides).
 * Variant: an existing bucket in another region, SSE-KMS, and an external ID rotation.
 */
async function deployCdktfApp(dir: string, endpointUrl: string): Promise<Outputs> {
  const cdktfJson = {
    language: 'typescript',
    app: `${JSON.stringify(process.execPath)} ${JSON.stringify(TSX_CLI)} ${JSON.stringify(join(REPO_ROOT, 'stacks', 'cdktf', 'main.ts'))}`,
    sendCrashReports: 'false',
    terraformProviders: [],
    terraformModules: [],
    context: { role_name: 'overridden-by-environment' },
  };
  writeFileSync(join(dir, 'cdktf.json'), JSON.stringify(cdktfJson, null, 2));
  writeFileSync(
    join(dir, 'ion-dest.tfvars.json'),
    JSON.stringify({
      trusted_account_id: ACCOUNT,
      external_id: NEXT_EXTERNAL_ID,
      additional_external_id: EXTERNAL_ID,
      bucket_name: EXISTING_BUCKET,
      use_existing_bucket: true,
      kms_key_arn: KMS_KEY,
    }),
  );
  const env = toolEnvironment({ ION_DEST_AWS_ENDPOINT_URL: endpointUrl, ION_DEST_ROLE_NAME: ROLE_NAME });
  await runOrThrow(
    process.execPath,
    [CDKTF_CLI, 'deploy', '--auto-approve', '--skip-provider-lock', '--outputs-file', 'outputs.json'],
    dir,
    env,
  );
  const all = JSON.parse(readFileSync(join(dir, 'outputs.json'), 'utf8')) as Record<string, Outputs>;
  return all[STACK_NAME]!;
}

let emulator: Emulator;
const plain = makeWorkDir('tf-apply');
const cdktf = makeWorkDir('cdktf-deploy');
const forEach = makeWorkDir('tf-for-each');
let plainResult: Settled<Outputs> | undefined;
let cdktfResult: Settled<Outputs> | undefined;
let forEachResult: Settled<Outputs> | undefined;

function s3(region = TEST_REGION): S3Client {
  return createS3Client({
    region,
    endpointUrl: emulator.url,
    credentials: EMULATOR_ROOT_CREDENTIALS,
    expectedBucketOwner: EMULATOR_DEFAULT_ACCOUNT,
  });
}

function iam() {
  return createIamClient({ region: TEST_REGION, endpointUrl: emulator.url, credentials: EMULATOR_ROOT_CREDENTIALS });
}

/**
 * The role's documents as IAM holds them. They are compared as data: the AWS provider
 * may reorder an object's keys (IAM does not care), while statement and action order,
 * which arrays keep, must be the contract's.
 */
async function rolePolicies(roleArn: string): Promise<{ trust: unknown; inline: string[]; attached: number; permissions: unknown }> {
  const roleName = parseRoleArn(roleArn)!.roleName;
  const client = iam();
  const role = await client.send(new GetRoleCommand({ RoleName: roleName }));
  const inline = await client.send(new ListRolePoliciesCommand({ RoleName: roleName }));
  const attached = await client.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  const permissions = await client.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: DELIVERY_POLICY_NAME }));
  return {
    trust: JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)),
    inline: inline.PolicyNames ?? [],
    attached: attached.AttachedPolicies?.length ?? 0,
    permissions: JSON.parse(decodeURIComponent(permissions.PolicyDocument!)),
  };
}

async function errorNameOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'no error';
  } catch (error) {
    return (error as Error).name;
  }
}

beforeAll(async () => {
  emulator = await startEmulator();
  await s3(EXISTING_BUCKET_REGION).send(
    new CreateBucketCommand({
      Bucket: EXISTING_BUCKET,
      CreateBucketConfiguration: { LocationConstraint: EXISTING_BUCKET_REGION },
    }),
  );
  await s3().send(new CreateBucketCommand({ Bucket: ACCESS_LOG_BUCKET }));
  await s3().send(new PutBucketAclCommand({ Bucket: ACCESS_LOG_BUCKET, GrantWrite: LOG_DELIVERY_GROUP, GrantReadACP: LOG_DELIVERY_GROUP }));
  // Both run at once: most of each is the AWS provider waiting for S3 to settle, not CPU.
  [plainResult, cdktfResult, forEachResult] = await Promise.all([
    settle(applyNewBucketExample(plain.dir, emulator.url)),
    settle(deployCdktfApp(cdktf.dir, emulator.url)),
    settle(applyForEachExample(forEach.dir, emulator.url)),
  ]);
}, 480_000);

afterAll(async () => {
  await emulator?.stop();
  plain.remove();
  cdktf.remove();
  forEach.remove();
});

describe('terraform apply of the module, called once from the new-bucket example (defaults, plus access logging)', () => {
  it('outputs the generated bucket, its region and the role ARN', () => {
    const outputs = valueOf(plainResult);
    expect(outputs.bucket_name).toMatch(new RegExp(`^${GENERATED_BUCKET_PREFIX}[0-9a-z]+$`));
    expect(outputs.bucket_region).toBe(TEST_REGION);
    expect(parseRoleArn(String(outputs.role_arn))).toMatchObject({
      accountId: EMULATOR_DEFAULT_ACCOUNT,
      roleName: expect.stringMatching(new RegExp(`^${GENERATED_ROLE_PREFIX}`)),
    });
  });

  it('the bucket is versioned, SSE-S3 encrypted, fully public-access blocked, BucketOwnerEnforced', async () => {
    const bucket = String(valueOf(plainResult).bucket_name);
    const client = s3();
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    const encryption = await client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    const rule = encryption.ServerSideEncryptionConfiguration!.Rules![0]!;
    expect(rule.ApplyServerSideEncryptionByDefault!.SSEAlgorithm).toBe('AES256');
    expect(rule.ApplyServerSideEncryptionByDefault!.KMSMasterKeyID).toBeUndefined();
    expect(rule.BucketKeyEnabled ?? false).toBe(false);
    expect((await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const ownership = await client.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    expect(ownership.OwnershipControls!.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  });

  it('aborts incomplete multipart uploads after 7 days, sends events to EventBridge, logs to the access log bucket', async () => {
    const bucket = String(valueOf(plainResult).bucket_name);
    const client = s3();
    const lifecycle = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(lifecycle.Rules).toHaveLength(1);
    expect(lifecycle.Rules![0]).toMatchObject({
      ID: ABORT_MULTIPART_RULE_ID,
      Status: 'Enabled',
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_DAYS },
    });
    const notification = await client.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(notification.EventBridgeConfiguration).toBeDefined();
    expect((await client.send(new GetBucketLoggingCommand({ Bucket: bucket }))).LoggingEnabled).toEqual({
      TargetBucket: ACCESS_LOG_BUCKET,
      TargetPrefix: `${bucket}/`,
    });
  });

  it('the bucket policy is the TLS-only policy from policy/', async () => {
    const bucket = String(valueOf(plainResult).bucket_name);
    const policy = await s3().send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(JSON.parse(policy.Policy!)).toEqual(
      buildTlsOnlyBucketPolicy<never>({ bucketArn: bucketArn('aws', bucket), bucketObjectsArn: bucketObjectsArn('aws', bucket) }),
    );
  });

  it('takes a delivered object, encrypted, despite the TLS-only policy (the emulator stands in for HTTPS)', async () => {
    const bucket = String(valueOf(plainResult).bucket_name);
    const key = 'tenant_acme/job-1/snapshot_tables_job-1.tar';
    const client = s3();
    const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'snapshot' }));
    expect(put.ServerSideEncryption).toBe('AES256');
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await got.Body!.transformToString()).toBe('snapshot');
  });

  it("the role's trust and only inline policy are exactly the setup guide's documents", async () => {
    const outputs = valueOf(plainResult);
    const role = await rolePolicies(String(outputs.role_arn));
    expect(role.trust).toEqual(contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: EXTERNAL_ID }));
    expect(role.permissions).toEqual(contractDocument('permission-policy', { bucket: String(outputs.bucket_name) }));
    expect(role.inline).toEqual([DELIVERY_POLICY_NAME]);
    expect(role.attached).toBe(0);
  });
});

describe('cdktf deploy of the cdktf app into the emulator (existing bucket, SSE-KMS, external ID rotation)', () => {
  it('outputs the existing bucket, the region S3 reports for it, and the role named by the environment', () => {
    const outputs = valueOf(cdktfResult);
    expect(outputs).toEqual({
      bucket_name: EXISTING_BUCKET,
      bucket_region: EXISTING_BUCKET_REGION,
      role_arn: `arn:aws:iam::${EMULATOR_DEFAULT_ACCOUNT}:role/${ROLE_NAME}`,
    });
  });

  it('the trust policy accepts both external IDs and differs from the contract in nothing else', async () => {
    const role = await rolePolicies(String(valueOf(cdktfResult).role_arn));
    const expected = contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: NEXT_EXTERNAL_ID });
    expected.Statement[0]!.Condition!.StringEquals!['sts:ExternalId'] = [NEXT_EXTERNAL_ID, EXTERNAL_ID];
    expect(role.trust).toEqual(expected);
  });

  it('the permission policy is the contract on the existing bucket plus the KMS statement on the key', async () => {
    const role = await rolePolicies(String(valueOf(cdktfResult).role_arn));
    const base = contractDocument('permission-policy', { bucket: EXISTING_BUCKET });
    expect(role.permissions).toEqual({
      ...base,
      Statement: [...base.Statement, { Sid: KMS_STATEMENT_SID, Effect: 'Allow', Action: [...KMS_ACTIONS], Resource: KMS_KEY }],
    });
    expect(role.inline).toEqual([DELIVERY_POLICY_NAME]);
    expect(role.attached).toBe(0);
  });

  it('leaves the existing bucket as it was: no versioning, bucket policy, public-access block or lifecycle added', async () => {
    valueOf(cdktfResult);
    const client = s3(EXISTING_BUCKET_REGION);
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: EXISTING_BUCKET }))).Status).toBeUndefined();
    expect(await errorNameOf(client.send(new GetBucketPolicyCommand({ Bucket: EXISTING_BUCKET })))).toBe('NoSuchBucketPolicy');
    expect(await errorNameOf(client.send(new GetPublicAccessBlockCommand({ Bucket: EXISTING_BUCKET })))).toBe(
      'NoSuchPublicAccessBlockConfiguration',
    );
    expect(await errorNameOf(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: EXISTING_BUCKET })))).toBe(
      'NoSuchLifecycleConfiguration',
    );
  });

  it('keeps its state beside cdktf.json through a relative backend path', () => {
    valueOf(cdktfResult);
    expect(existsSync(join(cdktf.dir, `terraform.${STACK_NAME}.tfstate`))).toBe(true);
    const synthesized = JSON.parse(readFileSync(join(cdktf.dir, 'cdktf.out', 'stacks', STACK_NAME, 'cdk.tf.json'), 'utf8'));
    expect(synthesized.terraform.backend.local.path).toBe(`../../../terraform.${STACK_NAME}.tfstate`);
  });
});

describe('terraform apply of a team configuration calling the module twice (for_each, aliased provider)', () => {
  it('outputs both destinations, each in the aliased provider\'s region with its own role', () => {
    const outputs = valueOf(forEachResult).destinations as Record<string, Outputs>;
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(FOR_EACH_DESTINATIONS).sort());
    for (const [name, expected] of Object.entries(FOR_EACH_DESTINATIONS)) {
      expect(outputs[name]).toEqual({
        bucket_name: expected.bucket,
        bucket_region: FOR_EACH_REGION,
        role_arn: `arn:aws:iam::${EMULATOR_DEFAULT_ACCOUNT}:role/ion-snapshot-delivery-${name}`,
      });
    }
  });

  it.each(Object.entries(FOR_EACH_DESTINATIONS))("%s: the role's trust and only inline policy are exactly the contract", async (name, expected) => {
    const outputs = (valueOf(forEachResult).destinations as Record<string, Outputs>)[name]!;
    const role = await rolePolicies(String(outputs.role_arn));
    // Compared as data: the provider may reorder an object's keys; arrays keep the contract's order.
    expect(role.trust).toEqual(contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: expected.externalId }));
    expect(role.permissions).toEqual(contractDocument('permission-policy', { bucket: expected.bucket }));
    expect(role.inline).toEqual([DELIVERY_POLICY_NAME]);
    expect(role.attached).toBe(0);
  });

  it('each bucket is hardened as the module says, with its TLS-only policy', async () => {
    valueOf(forEachResult);
    const client = s3(FOR_EACH_REGION);
    for (const { bucket } of Object.values(FOR_EACH_DESTINATIONS)) {
      expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
      const policy = await client.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      expect(JSON.parse(policy.Policy!)).toEqual(
        buildTlsOnlyBucketPolicy<never>({ bucketArn: bucketArn('aws', bucket), bucketObjectsArn: bucketObjectsArn('aws', bucket) }),
      );
    }
  });
});
