import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { DataAwsS3Bucket } from '@cdktf/provider-aws/lib/data-aws-s3-bucket/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging/index.js';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { TerraformLocal, Token, type TerraformDataSource, type TerraformProvider, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import type { InputProblem } from '../../errors/index.js';
import {
  DELIVERY_POLICY_NAME,
  DELIVERY_ROLE_DESCRIPTION,
  DESTINATION_BUCKET_SETTINGS as SETTINGS,
  GENERATED_BUCKET_PREFIX,
  GENERATED_ROLE_PREFIX,
  assertNoProblems,
} from '../../policy/index.js';
import { booleanExpression, expression, numberExpression, stringLiteral } from './hcl.js';
import {
  permissionPolicyForSseKms,
  tenantPermissionPolicyForSseKms,
  tenantPermissionPolicyForSseS3,
  permissionPolicyForSseS3,
  tlsOnlyBucketPolicy,
  trustPolicyWithOneExternalId,
  trustPolicyWithTwoExternalIds,
  type PolicyReferences,
} from './policies.js';
import { EXTERNAL_ID_VARIABLES, VARIABLE, VARIABLE_SPECS, type VariableName } from './variables.js';

/**
 * What a team gives an {@link IonDestination}: the same inputs as the Terraform
 * module's variables and the CloudFormation parameters. Each may be a plain value
 * (checked here with policy/'s validators, before anything is synthesized) or a
 * cdktf token such as a `TerraformVariable`'s value (checked by whatever declares it).
 */
export interface IonDestinationProps {
  /** First Resonance's 12-digit AWS account ID. */
  readonly trustedAccountId: string;
  /** The external ID First Resonance gave; the role can be assumed only with it. */
  readonly externalId: string;
  /** A second external ID accepted during a rotation. Default: none. */
  readonly additionalExternalId?: string;
  /** The bucket. Default: a new bucket with a generated name. */
  readonly bucketName?: string;
  /** `bucketName` is a bucket that exists already: only the role is created. Default: false. */
  readonly useExistingBucket?: boolean;
  /** Customer-managed KMS key ARN: SSE-KMS with a Bucket Key, and the role's KMS statement. Default: SSE-S3. */
  readonly kmsKeyArn?: string;
  /** Bucket that receives a new bucket's server access logs. Default: no logging. */
  readonly accessLogBucket?: string;
  /** A new bucket sends its events to EventBridge. Default: true. */
  readonly eventBridgeNotifications?: boolean;
  /** The role's name. Default: generated, starting with `ion-snapshot-delivery-`. */
  readonly roleName?: string;
  /**
   * Narrow the role's grant to keys under `<tenantPrefix>/` (the tenant, the first folder of
   * the delivered layout). Default: the setup guide's policy on the whole bucket.
   */
  readonly tenantPrefix?: string;
  /** The AWS provider (for example an aliased one, for another region or account). Default: the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * Names of the construct's locals. In the Terraform module (where each element keeps
 * its construct ID as its name) these are the locals' names, which tests read.
 */
export const LOCAL = {
  inputs: 'inputs',
  createBucket: 'create_bucket',
  usesKmsKey: 'uses_kms_key',
  bucketName: 'bucket_name',
  trustPolicyOneExternalId: 'trust_policy_one_external_id',
  trustPolicyTwoExternalIds: 'trust_policy_two_external_ids',
  trustPolicy: 'trust_policy',
  permissionPolicySseS3: 'permission_policy_sse_s3',
  permissionPolicySseKms: 'permission_policy_sse_kms',
  tenantPermissionPolicySseS3: 'tenant_permission_policy_sse_s3',
  tenantPermissionPolicySseKms: 'tenant_permission_policy_sse_kms',
  permissionPolicy: 'permission_policy',
  bucketPolicy: 'bucket_policy',
} as const;

/** The props, by their Terraform variable names (the keys of the `inputs` local). */
const PROP_OF: Record<Exclude<VariableName, 'region'>, keyof Omit<IonDestinationProps, 'provider'>> = {
  [VARIABLE.trustedAccountId]: 'trustedAccountId',
  [VARIABLE.externalId]: 'externalId',
  [VARIABLE.additionalExternalId]: 'additionalExternalId',
  [VARIABLE.bucketName]: 'bucketName',
  [VARIABLE.useExistingBucket]: 'useExistingBucket',
  [VARIABLE.kmsKeyArn]: 'kmsKeyArn',
  [VARIABLE.accessLogBucket]: 'accessLogBucket',
  [VARIABLE.eventBridgeNotifications]: 'eventBridgeNotifications',
  [VARIABLE.roleName]: 'roleName',
  [VARIABLE.tenantPrefix]: 'tenantPrefix',
};

/** The construct's inputs, by their Terraform variable names. */
export const CONSTRUCT_INPUTS = Object.keys(PROP_OF) as (keyof typeof PROP_OF)[];

/** `aws_s3_bucket.destination` and the like: a resource's address in expressions (data sources add `data.`). */
function addressOf(resource: TerraformResource | TerraformDataSource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/**
 * Check the plain values among the props with policy/'s validators (the same rules as
 * the Terraform variables' validation blocks); tokens are left to what declares them.
 */
function checkProps(props: IonDestinationProps): void {
  const problems: (InputProblem | undefined)[] = [];
  for (const name of CONSTRUCT_INPUTS) {
    const prop = PROP_OF[name];
    const value = props[prop];
    if (typeof value !== 'string' || Token.isUnresolved(value)) continue;
    const spec = VARIABLE_SPECS[name];
    if (value === '' && spec.default !== undefined) continue;
    problems.push(spec.validate?.(value, prop));
  }
  if (props.useExistingBucket === true && (props.bucketName === undefined || props.bucketName === '')) {
    problems.push({
      field: 'useExistingBucket',
      value: 'true',
      rule: 'useExistingBucket is true only together with bucketName naming the existing bucket',
    });
  }
  const { externalId, additionalExternalId } = props;
  if (additionalExternalId !== undefined && !Token.isUnresolved(additionalExternalId) && additionalExternalId === externalId) {
    problems.push({ field: 'additionalExternalId', value: additionalExternalId, rule: 'additionalExternalId differs from externalId' });
  }
  assertNoProblems(problems);
}

/**
 * The customer's ION snapshot destination as a cdktf construct: the bucket (unless an
 * existing one is named) with the settings of policy/bucket-settings.ts (versioning,
 * default encryption, all four public-access blocks, BucketOwnerEnforced, a TLS-only
 * bucket policy, the abort-incomplete-multipart lifecycle rule, EventBridge, optional
 * access logging, never destroyed), and the delivery role with the setup guide's exact
 * trust and permission policies. A team instantiates it in its own stack, next to its
 * own provider and backend, as often as it needs; the shipped stack
 * ({@link DestinationStack}) and the Terraform module (templates/terraform) use it too.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs
 */
export class IonDestination extends Construct {
  /** ARN of the delivery role: what the customer sends First Resonance. */
  public readonly roleArn: string;
  /** Name of the delivery role. */
  public readonly roleName: string;
  /** The destination bucket's name, created or existing. */
  public readonly bucketName: string;
  /** The region S3 reports for the destination bucket. */
  public readonly bucketRegion: string;
  /** The delivery role resource. */
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: IonDestinationProps) {
    // Checked before the construct joins the tree: a bad input adds nothing to the stack.
    checkProps(props);
    super(scope, id);
    const provider = props.provider ? { provider: props.provider } : {};

    const inputValues: Record<string, unknown> = {
      [VARIABLE.trustedAccountId]: props.trustedAccountId,
      [VARIABLE.externalId]: props.externalId,
      [VARIABLE.additionalExternalId]: props.additionalExternalId ?? '',
      [VARIABLE.bucketName]: props.bucketName ?? '',
      [VARIABLE.useExistingBucket]: props.useExistingBucket ?? false,
      [VARIABLE.kmsKeyArn]: props.kmsKeyArn ?? '',
      [VARIABLE.accessLogBucket]: props.accessLogBucket ?? '',
      [VARIABLE.eventBridgeNotifications]: props.eventBridgeNotifications ?? SETTINGS.eventBridgeNotificationsByDefault,
      [VARIABLE.roleName]: props.roleName ?? '',
      [VARIABLE.tenantPrefix]: props.tenantPrefix ?? '',
    };
    const defineLocal = (name: string, value: unknown): string => `local.${new TerraformLocal(this, name, value).friendlyUniqueId}`;
    const inputsLocal = defineLocal(LOCAL.inputs, inputValues);
    /** `local.inputs.<name>`: one input, whether a plain value or a reference. */
    const input = (name: keyof typeof PROP_OF) => `${inputsLocal}.${name}`;
    const token = (name: keyof typeof PROP_OF) => expression(input(name));

    const partition = new DataAwsPartition(this, 'current', { ...provider });
    const createBucket = defineLocal(LOCAL.createBucket, booleanExpression(`!${input(VARIABLE.useExistingBucket)}`));
    const usesKmsKey = defineLocal(LOCAL.usesKmsKey, booleanExpression(`${input(VARIABLE.kmsKeyArn)} != ""`));
    const oneIfCreated = numberExpression(`${createBucket} ? 1 : 0`);
    const bucketNameInput = input(VARIABLE.bucketName);

    const bucket = new S3Bucket(this, 'destination', {
      ...provider,
      count: oneIfCreated,
      bucket: expression(`${bucketNameInput} != "" ? ${bucketNameInput} : null`),
      bucketPrefix: expression(`${bucketNameInput} == "" ? ${stringLiteral(GENERATED_BUCKET_PREFIX)} : null`),
      // Delivered snapshots outlive this configuration: never empty the bucket, never destroy it.
      forceDestroy: !SETTINGS.retainOnDelete,
      lifecycle: { preventDestroy: SETTINGS.retainOnDelete },
    });
    const created = addressOf(bucket);
    const existing = new DataAwsS3Bucket(this, 'existing', {
      ...provider,
      count: numberExpression(`${input(VARIABLE.useExistingBucket)} ? 1 : 0`),
      bucket: token(VARIABLE.bucketName),
    });
    const bucketName = defineLocal(
      LOCAL.bucketName,
      expression(`${input(VARIABLE.useExistingBucket)} ? ${bucketNameInput} : one(${created}[*].bucket)`),
    );
    const thisBucket = expression(`${created}[count.index].id`);

    const refs: PolicyReferences = {
      partition: partition.partition,
      trustedAccountId: token(VARIABLE.trustedAccountId),
      // One variable per external ID the trust policy accepts (EXTERNAL_ID_VARIABLES, MAX_EXTERNAL_IDS).
      externalId: token(EXTERNAL_ID_VARIABLES[0]),
      additionalExternalId: token(EXTERNAL_ID_VARIABLES[1]),
      bucketName: expression(bucketName),
      kmsKeyArn: token(VARIABLE.kmsKeyArn),
      tenantPrefix: token(VARIABLE.tenantPrefix),
    };
    // Each document is rendered whole and chosen whole, so each is exactly one the builders made.
    const trustOne = defineLocal(LOCAL.trustPolicyOneExternalId, trustPolicyWithOneExternalId(refs));
    const trustTwo = defineLocal(LOCAL.trustPolicyTwoExternalIds, trustPolicyWithTwoExternalIds(refs));
    const trustPolicy = defineLocal(
      LOCAL.trustPolicy,
      expression(`${input(VARIABLE.additionalExternalId)} != "" ? ${trustTwo} : ${trustOne}`),
    );
    const permissionSseS3 = defineLocal(LOCAL.permissionPolicySseS3, permissionPolicyForSseS3(refs));
    const permissionSseKms = defineLocal(LOCAL.permissionPolicySseKms, permissionPolicyForSseKms(refs));
    const tenantSseS3 = defineLocal(LOCAL.tenantPermissionPolicySseS3, tenantPermissionPolicyForSseS3(refs));
    const tenantSseKms = defineLocal(LOCAL.tenantPermissionPolicySseKms, tenantPermissionPolicyForSseKms(refs));
    const permissionPolicy = defineLocal(
      LOCAL.permissionPolicy,
      expression(
        `${input(VARIABLE.tenantPrefix)} != "" ? (${usesKmsKey} ? ${tenantSseKms} : ${tenantSseS3}) : (${usesKmsKey} ? ${permissionSseKms} : ${permissionSseS3})`,
      ),
    );
    const bucketPolicy = defineLocal(LOCAL.bucketPolicy, tlsOnlyBucketPolicy(refs));

    new S3BucketVersioningA(this, 'destination_versioning', {
      ...provider,
      count: oneIfCreated,
      bucket: thisBucket,
      versioningConfiguration: { status: SETTINGS.versioningStatus },
    });
    const { withKey, withoutKey } = SETTINGS.encryption;
    new S3BucketServerSideEncryptionConfigurationA(this, 'destination_encryption', {
      ...provider,
      count: oneIfCreated,
      bucket: thisBucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: expression(`${usesKmsKey} ? ${stringLiteral(withKey.algorithm)} : ${stringLiteral(withoutKey.algorithm)}`),
            kmsMasterKeyId: expression(`${usesKmsKey} ? ${input(VARIABLE.kmsKeyArn)} : null`),
          },
          // A Bucket Key cuts KMS requests (and their cost) by orders of magnitude for multipart uploads.
          bucketKeyEnabled: booleanExpression(`${usesKmsKey} ? ${String(withKey.bucketKeyEnabled)} : null`),
        },
      ],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'destination_public_access_block', {
      ...provider,
      count: oneIfCreated,
      bucket: thisBucket,
      ...SETTINGS.publicAccessBlock,
    });
    const ownershipControls = new S3BucketOwnershipControls(this, 'destination_ownership_controls', {
      ...provider,
      count: oneIfCreated,
      bucket: thisBucket,
      rule: { objectOwnership: SETTINGS.objectOwnership },
    });
    // S3 refuses concurrent configuration changes to one bucket (OperationAborted); the policy goes last.
    new S3BucketPolicy(this, 'destination_tls_only', {
      ...provider,
      count: oneIfCreated,
      bucket: thisBucket,
      policy: expression(bucketPolicy),
      dependsOn: [publicAccessBlock, ownershipControls],
    });
    new S3BucketLifecycleConfiguration(this, 'destination_lifecycle', {
      ...provider,
      count: oneIfCreated,
      bucket: thisBucket,
      rule: [
        {
          id: SETTINGS.lifecycle.ruleId,
          status: 'Enabled',
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: SETTINGS.lifecycle.abortIncompleteMultipartUploadDays }],
        },
      ],
    });
    new S3BucketNotification(this, 'destination_event_bridge', {
      ...provider,
      count: numberExpression(`${createBucket} && ${input(VARIABLE.eventBridgeNotifications)} ? 1 : 0`),
      bucket: thisBucket,
      eventbridge: true,
    });
    new S3BucketLoggingA(this, 'destination_access_logs', {
      ...provider,
      count: numberExpression(`${createBucket} && ${input(VARIABLE.accessLogBucket)} != "" ? 1 : 0`),
      bucket: thisBucket,
      targetBucket: token(VARIABLE.accessLogBucket),
      targetPrefix: expression(`format("%s${SETTINGS.accessLogPrefixSeparator}", ${created}[count.index].bucket)`),
    });

    const roleNameInput = input(VARIABLE.roleName);
    this.role = new IamRole(this, 'delivery', {
      ...provider,
      name: expression(`${roleNameInput} != "" ? ${roleNameInput} : null`),
      namePrefix: expression(`${roleNameInput} == "" ? ${stringLiteral(GENERATED_ROLE_PREFIX)} : null`),
      description: DELIVERY_ROLE_DESCRIPTION,
      assumeRolePolicy: expression(trustPolicy),
    });
    new IamRolePolicy(this, 'delivery_permissions', {
      ...provider,
      name: DELIVERY_POLICY_NAME,
      role: this.role.id,
      policy: expression(permissionPolicy),
    });

    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.bucketName = expression(bucketName);
    // `region` is the bucket's region with the AWS provider 5.x. With 6.x it is the region the
    // provider manages the resource in (Enhanced Region Support; `bucket_region` is new there),
    // which for an existing bucket is the provider's region: call the module in the bucket's region.
    this.bucketRegion = expression(
      `${input(VARIABLE.useExistingBucket)} ? one(data.${addressOf(existing)}[*].region) : one(${created}[*].region)`,
    );
  }
}
