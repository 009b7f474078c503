import { join, relative, resolve } from 'node:path';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { DataAwsS3Bucket } from '@cdktf/provider-aws/lib/data-aws-s3-bucket/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging/index.js';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import {
  LocalBackend,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  type TerraformDataSource,
  type TerraformResource,
} from 'cdktf';
import type { Construct } from 'constructs';
import { ABORT_INCOMPLETE_MULTIPART_DAYS, ABORT_MULTIPART_RULE_ID } from '../cloudformation/bucket-resources.js';
import { DELIVERY_POLICY_NAME } from '../cloudformation/role-resource.js';
import { booleanExpression, expression, localReference as local, numberExpression, stringLiteral, variableReference as v } from './hcl.js';
import {
  permissionPolicyForSseKms,
  permissionPolicyForSseS3,
  tlsOnlyBucketPolicy,
  trustPolicyWithOneExternalId,
  trustPolicyWithTwoExternalIds,
  type PolicyReferences,
} from './policies.js';
import { VARIABLE, declareVariables, type DestinationInputs } from './variables.js';

/** The stack's name: `cdktf deploy` and cdktf.out/stacks/ use it. */
export const STACK_NAME = 'ion-dest-destination';

/** The Terraform version the synthesized configuration needs: validations that compare two variables came in 1.9. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.9.0';

/** A generated bucket name starts with this (Terraform appends a unique 26-character suffix). */
export const GENERATED_BUCKET_PREFIX = 'ion-snapshots-';
/** A generated role name starts with this. */
export const GENERATED_ROLE_PREFIX = 'ion-snapshot-delivery-';

/** The committed Terraform's state file, relative to the directory `terraform` runs in. */
export const DEFAULT_STATE_PATH = 'terraform.tfstate';

/** Names of the locals; tests read the policy documents from the committed Terraform by these. */
export const LOCAL = {
  createBucket: 'create_bucket',
  usesKmsKey: 'uses_kms_key',
  bucketName: 'bucket_name',
  trustPolicyOneExternalId: 'trust_policy_one_external_id',
  trustPolicyTwoExternalIds: 'trust_policy_two_external_ids',
  trustPolicy: 'trust_policy',
  permissionPolicySseS3: 'permission_policy_sse_s3',
  permissionPolicySseKms: 'permission_policy_sse_kms',
  permissionPolicy: 'permission_policy',
  bucketPolicy: 'bucket_policy',
} as const;

/**
 * The stack's outputs: what the customer sends back (Step 3 of the setup guide). Their
 * construct IDs are their Terraform names, so `cdktf deploy` and `cdktf output` show them as is.
 */
export const OUTPUT = { roleArn: 'role_arn', bucketName: 'bucket_name', bucketRegion: 'bucket_region' } as const;

/**
 * The state file `cdktf deploy` uses. cdktf runs Terraform in `<outdir>/stacks/<stack>/`,
 * which `cdktf synth` rewrites, so the state lives beside cdktf.json instead, named as
 * cdktf names it; the backend holds the path relative to the stack's directory, never a
 * machine's absolute path.
 */
export function deployStatePath(outdir: string, cwd: string = process.cwd()): string {
  const stackDir = resolve(cwd, outdir, 'stacks', STACK_NAME);
  return relative(stackDir, join(cwd, `terraform.${STACK_NAME}.tfstate`));
}

export interface DestinationStackOptions {
  /** Values that become the variables' defaults: how `cdktf deploy` takes its configuration. */
  inputs?: DestinationInputs;
  /**
   * Send every provider call to this endpoint (a local emulator) with path-style S3
   * and no account or metadata lookups. Never set for the committed Terraform.
   */
  endpointUrl?: string;
  /** The local backend's state file, relative to the Terraform working directory. */
  statePath?: string;
}

/**
 * A local value. Terraform keeps variables, locals and outputs in separate name spaces,
 * constructs share one: the construct ID is prefixed and the Terraform name set back.
 */
function defineLocal(scope: Construct, name: string, value: unknown): TerraformLocal {
  const element = new TerraformLocal(scope, `local_${name}`, value);
  element.overrideLogicalId(name);
  return element;
}

/** `aws_s3_bucket.destination` and the like: a resource's address in expressions (data sources add `data.`). */
function addressOf(resource: TerraformResource | TerraformDataSource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/**
 * The customer's destination: the bucket (unless an existing one is named) with
 * versioning, default encryption, all four public-access blocks, BucketOwnerEnforced,
 * a TLS-only bucket policy, a lifecycle rule aborting incomplete multipart uploads,
 * EventBridge notifications and optional access logging; and the delivery role with
 * the setup guide's exact trust and permission policies. The same resources and
 * settings as the CloudFormation template (stacks/cloudformation/).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs
 */
export class DestinationStack extends TerraformStack {
  constructor(scope: Construct, id: string = STACK_NAME, options: DestinationStackOptions = {}) {
    super(scope, id);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    new LocalBackend(this, { path: options.statePath ?? DEFAULT_STATE_PATH });

    const variables = declareVariables(this, options.inputs);
    new AwsProvider(this, 'aws', {
      region: expression(`${v(VARIABLE.region)} != "" ? ${v(VARIABLE.region)} : null`),
      ...(options.endpointUrl ? emulatorProviderSettings(options.endpointUrl) : {}),
    });
    const partition = new DataAwsPartition(this, 'current');

    defineLocal(this, LOCAL.createBucket, booleanExpression(`!${v(VARIABLE.useExistingBucket)}`));
    defineLocal(this, LOCAL.usesKmsKey, booleanExpression(`${v(VARIABLE.kmsKeyArn)} != ""`));
    const createBucket = local(LOCAL.createBucket);
    const usesKmsKey = local(LOCAL.usesKmsKey);
    const oneIfCreated = numberExpression(`${createBucket} ? 1 : 0`);

    const bucket = new S3Bucket(this, 'destination', {
      count: oneIfCreated,
      bucket: expression(`${v(VARIABLE.bucketName)} != "" ? ${v(VARIABLE.bucketName)} : null`),
      bucketPrefix: expression(`${v(VARIABLE.bucketName)} == "" ? ${stringLiteral(GENERATED_BUCKET_PREFIX)} : null`),
      // Delivered snapshots outlive this configuration: never empty the bucket, never destroy it.
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const created = addressOf(bucket);
    const existing = new DataAwsS3Bucket(this, 'existing', {
      count: numberExpression(`${v(VARIABLE.useExistingBucket)} ? 1 : 0`),
      bucket: variables[VARIABLE.bucketName].stringValue,
    });
    defineLocal(this, LOCAL.bucketName,
      expression(`${v(VARIABLE.useExistingBucket)} ? ${v(VARIABLE.bucketName)} : one(${created}[*].bucket)`),
    );
    const thisBucket = expression(`${created}[count.index].id`);

    const refs: PolicyReferences = {
      partition: partition.partition,
      trustedAccountId: variables[VARIABLE.trustedAccountId].stringValue,
      externalId: variables[VARIABLE.externalId].stringValue,
      additionalExternalId: variables[VARIABLE.additionalExternalId].stringValue,
      bucketName: expression(local(LOCAL.bucketName)),
      kmsKeyArn: variables[VARIABLE.kmsKeyArn].stringValue,
    };
    // Each document is rendered whole and chosen whole, so each is exactly one the builders made.
    defineLocal(this, LOCAL.trustPolicyOneExternalId, trustPolicyWithOneExternalId(refs));
    defineLocal(this, LOCAL.trustPolicyTwoExternalIds, trustPolicyWithTwoExternalIds(refs));
    defineLocal(this, LOCAL.trustPolicy,
      expression(
        `${v(VARIABLE.additionalExternalId)} != "" ? ${local(LOCAL.trustPolicyTwoExternalIds)} : ${local(LOCAL.trustPolicyOneExternalId)}`,
      ),
    );
    defineLocal(this, LOCAL.permissionPolicySseS3, permissionPolicyForSseS3(refs));
    defineLocal(this, LOCAL.permissionPolicySseKms, permissionPolicyForSseKms(refs));
    defineLocal(this, LOCAL.permissionPolicy,
      expression(`${usesKmsKey} ? ${local(LOCAL.permissionPolicySseKms)} : ${local(LOCAL.permissionPolicySseS3)}`),
    );
    defineLocal(this, LOCAL.bucketPolicy, tlsOnlyBucketPolicy(refs));

    new S3BucketVersioningA(this, 'destination_versioning', {
      count: oneIfCreated,
      bucket: thisBucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'destination_encryption', {
      count: oneIfCreated,
      bucket: thisBucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: expression(`${usesKmsKey} ? "aws:kms" : "AES256"`),
            kmsMasterKeyId: expression(`${usesKmsKey} ? ${v(VARIABLE.kmsKeyArn)} : null`),
          },
          // A Bucket Key cuts KMS requests (and their cost) by orders of magnitude for multipart uploads.
          bucketKeyEnabled: booleanExpression(`${usesKmsKey} ? true : null`),
        },
      ],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'destination_public_access_block', {
      count: oneIfCreated,
      bucket: thisBucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const ownershipControls = new S3BucketOwnershipControls(this, 'destination_ownership_controls', {
      count: oneIfCreated,
      bucket: thisBucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    // S3 refuses concurrent configuration changes to one bucket (OperationAborted); the policy goes last.
    new S3BucketPolicy(this, 'destination_tls_only', {
      count: oneIfCreated,
      bucket: thisBucket,
      policy: expression(local(LOCAL.bucketPolicy)),
      dependsOn: [publicAccessBlock, ownershipControls],
    });
    new S3BucketLifecycleConfiguration(this, 'destination_lifecycle', {
      count: oneIfCreated,
      bucket: thisBucket,
      rule: [
        {
          id: ABORT_MULTIPART_RULE_ID,
          status: 'Enabled',
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_DAYS }],
        },
      ],
    });
    new S3BucketNotification(this, 'destination_event_bridge', {
      count: numberExpression(`${createBucket} && ${v(VARIABLE.eventBridgeNotifications)} ? 1 : 0`),
      bucket: thisBucket,
      eventbridge: true,
    });
    new S3BucketLoggingA(this, 'destination_access_logs', {
      count: numberExpression(`${createBucket} && ${v(VARIABLE.accessLogBucket)} != "" ? 1 : 0`),
      bucket: thisBucket,
      targetBucket: variables[VARIABLE.accessLogBucket].stringValue,
      targetPrefix: expression(`format("%s/", ${created}[count.index].bucket)`),
    });

    const role = new IamRole(this, 'delivery', {
      name: expression(`${v(VARIABLE.roleName)} != "" ? ${v(VARIABLE.roleName)} : null`),
      namePrefix: expression(`${v(VARIABLE.roleName)} == "" ? ${stringLiteral(GENERATED_ROLE_PREFIX)} : null`),
      description: 'Assumed by First Resonance (with the external ID) to deliver ION snapshots into the destination bucket.',
      assumeRolePolicy: expression(local(LOCAL.trustPolicy)),
    });
    new IamRolePolicy(this, 'delivery_permissions', {
      name: DELIVERY_POLICY_NAME,
      role: role.id,
      policy: expression(local(LOCAL.permissionPolicy)),
    });

    new TerraformOutput(this, OUTPUT.roleArn, {
      value: role.arn,
      description: 'ARN of the delivery role: send it to your First Resonance account team.',
    });
    new TerraformOutput(this, OUTPUT.bucketName, {
      value: expression(local(LOCAL.bucketName)),
      description: 'The destination bucket: send its name to your First Resonance account team.',
    });
    new TerraformOutput(this, OUTPUT.bucketRegion, {
      value: expression(
        `${v(VARIABLE.useExistingBucket)} ? one(data.${addressOf(existing)}[*].region) : one(${created}[*].region)`,
      ),
      description: "The destination bucket's region: send it to your First Resonance account team.",
    });
  }
}

/**
 * Provider settings for a local AWS emulator: its endpoint for S3, IAM and STS,
 * path-style S3 (no per-bucket host names), and no calls to the real AWS to check
 * credentials, find the account or read instance metadata.
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/guides/custom-service-endpoints
 */
function emulatorProviderSettings(endpointUrl: string) {
  return {
    endpoints: [{ s3: endpointUrl, iam: endpointUrl, sts: endpointUrl }],
    s3UsePathStyle: true,
    skipCredentialsValidation: true,
    skipMetadataApiCheck: 'true',
    skipRequestingAccountId: true,
  };
}
