import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { createIamClient, createS3Client, createStsClient } from '../aws/clients.js';
import {
  DESTINATION_BUCKET_SETTINGS as SETTINGS,
  ASSUME_ROLE_ACTION,
  POLICY_VERSION,
  assertNoProblems,
  bucketArn,
  bucketObjectsArn,
  buildTlsOnlyBucketPolicy,
  partitionOfRegion,
  permissionPolicy,
  roleArn,
  trustPolicy,
  validateAccountId,
  validateBucketName,
  validateExternalId,
  validateKmsKeyArn,
  validateRegion,
  validateRoleName,
  validateTrustedAccountId,
  type Partition,
  type PolicyDocument,
} from '../policy/index.js';
import { EMULATOR_ROOT_CREDENTIALS, type Emulator } from './emulator.js';

/**
 * Test identities and destinations in the emulator's accounts.
 *
 * moto keeps several AWS accounts in one server. While IAM enforcement is off,
 * these helpers create each account's resources by sending moto's
 * `x-moto-account-id` header; afterwards (`emulator.enableAuth()`), requests are
 * signed with the returned keys and moto takes the account from the key's owner.
 * Create every identity and destination first, then enable enforcement.
 */

/** The region test resources live in unless a test names another. */
export const EMULATOR_REGION = 'us-east-1';
/** First Resonance's side in tests: the vendor account that assumes customer roles. */
export const VENDOR_ACCOUNT_ID = '111122223333';
/** A customer who owns a destination. */
export const CUSTOMER_ACCOUNT_ID = '444455556666';
/** An account that is neither: a stranger trying to reach a customer's role. */
export const OTHER_ACCOUNT_ID = '777788889999';
/** The request header moto reads to choose the account a request acts in. */
export const MOTO_ACCOUNT_HEADER = 'x-moto-account-id';
/** Name of the inline policy these helpers attach to users and roles. */
export const TEST_POLICY_NAME = 'ion-dest-test';

/** An IAM user and its access key in one emulator account. */
export interface AccountIdentity {
  accountId: string;
  userName: string;
  /** `arn:aws:iam::<account>:user/<name>` as the emulator reports it. */
  arn: string;
  credentials: AwsCredentialIdentity;
}

/** A customer destination: a bucket and the role First Resonance assumes to write into it. */
export interface CustomerDestination {
  accountId: string;
  bucket: string;
  region: string;
  roleName: string;
  roleArn: string;
  /** The external IDs the trust policy accepts (the first is the current one). */
  externalIds: readonly string[];
  kmsKeyArn?: string;
}

/** Temporary credentials from AssumeRole, with the expiry the server reported. */
export interface SessionCredentials extends AwsCredentialIdentity {
  sessionToken: string;
  expiration: Date;
}

interface MiddlewareClient {
  middlewareStack: IAMClient['middlewareStack'] | S3Client['middlewareStack'] | STSClient['middlewareStack'];
}

/**
 * Make every request of this client act in `accountId` (moto's account header).
 * For setup while enforcement is off; with enforcement on, sign with that
 * account's keys instead.
 */
export function actInAccount<C extends MiddlewareClient>(client: C, accountId: string): C {
  (client.middlewareStack as IAMClient['middlewareStack']).add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[MOTO_ACCOUNT_HEADER] = accountId;
      return next(args);
    },
    { step: 'build', name: 'ionDestMotoAccount' },
  );
  return client;
}

/** Administrator clients for one account, for setup while enforcement is off. */
export function accountAdminClients(emulator: Emulator, accountId: string, region = EMULATOR_REGION) {
  assertNoProblems([validateAccountId(accountId), validateRegion(region)]);
  const base = { region, endpointUrl: emulator.url, credentials: EMULATOR_ROOT_CREDENTIALS, maxAttempts: 1 };
  return {
    iam: actInAccount(createIamClient(base), accountId),
    sts: actInAccount(createStsClient(base), accountId),
    s3: actInAccount(createS3Client({ ...base, expectedBucketOwner: undefined }), accountId),
  };
}

function partitionOf(region: string): Partition {
  return partitionOfRegion(region) ?? 'aws';
}

/**
 * Create an IAM user with an access key in `accountId`, with `policy` as its inline
 * identity policy (none: a user with no permissions). Call while enforcement is off.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_id-based
 */
export async function createAccountIdentity(
  emulator: Emulator,
  options: { accountId: string; userName: string; policy?: PolicyDocument; region?: string },
): Promise<AccountIdentity> {
  assertNoProblems([validateAccountId(options.accountId)]);
  const { iam } = accountAdminClients(emulator, options.accountId, options.region);
  const user = await iam.send(new CreateUserCommand({ UserName: options.userName }));
  if (options.policy) {
    await iam.send(
      new PutUserPolicyCommand({
        UserName: options.userName,
        PolicyName: TEST_POLICY_NAME,
        PolicyDocument: JSON.stringify(options.policy),
      }),
    );
  }
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: options.userName }));
  const accessKeyId = key.AccessKey?.AccessKeyId;
  const secretAccessKey = key.AccessKey?.SecretAccessKey;
  if (!accessKeyId || !secretAccessKey || !user.User?.Arn) {
    throw new Error(`emulator returned no access key or ARN for user ${options.userName} in ${options.accountId}`);
  }
  return {
    accountId: options.accountId,
    userName: options.userName,
    arn: user.User.Arn,
    credentials: { accessKeyId, secretAccessKey },
  };
}

/**
 * The vendor's identity policy: sts:AssumeRole on one role, or on every role in
 * every account (`arn:aws:iam::*:role/*`, as First Resonance's delivery service has).
 * Cross-account AssumeRole needs this as well as the role's trust policy.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
export function vendorAssumeRolePolicy(target: { roleArn: string } | { anyRole: true; partition?: Partition }): PolicyDocument {
  const resource = 'roleArn' in target ? target.roleArn : roleArn(target.partition ?? 'aws', '*', '*');
  return {
    Version: POLICY_VERSION,
    Statement: [{ Effect: 'Allow', Action: ASSUME_ROLE_ACTION, Resource: resource }],
  };
}

/**
 * First Resonance's identity in `accountId` (default VENDOR_ACCOUNT_ID): an IAM user
 * allowed to assume `roleArn`, or any role when none is named. With
 * `allowAssumeRole: false` the user has no permissions at all.
 */
export async function createVendorIdentity(
  emulator: Emulator,
  options: { accountId?: string; userName?: string; roleArn?: string; allowAssumeRole?: boolean } = {},
): Promise<AccountIdentity> {
  const policy =
    options.allowAssumeRole === false
      ? undefined
      : vendorAssumeRolePolicy(options.roleArn ? { roleArn: options.roleArn } : { anyRole: true });
  return createAccountIdentity(emulator, {
    accountId: options.accountId ?? VENDOR_ACCOUNT_ID,
    userName: options.userName ?? 'ion-delivery',
    ...(policy ? { policy } : {}),
  });
}

export interface CustomerDestinationOptions {
  /** The customer's account (default CUSTOMER_ACCOUNT_ID). */
  accountId?: string;
  bucket: string;
  region?: string;
  roleName: string;
  /** The account the trust policy lets in (First Resonance's). */
  trustedAccountId: string;
  externalIds: string | readonly string[];
  /** Turn bucket versioning on, as the setup guide recommends (default true). */
  versioning?: boolean;
  /** Default encryption: SSE-S3 (default), SSE-KMS with this key, or none. */
  encryption?: 'SSE-S3' | { kmsKeyArn: string } | 'none';
  /** Replace the trust policy (build it with policy/): a wrong principal, say. */
  trustPolicy?: PolicyDocument;
  /** Replace the permission policy (build it with policy/), or `null` for a role with none. */
  permissionPolicy?: PolicyDocument | null;
  /** Create the bucket (default true); false leaves only the role, for a missing-bucket scenario. */
  createBucket?: boolean;
}

/**
 * Build a customer destination exactly as the setup guide describes, through the
 * IAM and S3 APIs: the bucket (versioned, encrypted) and the role with the guide's
 * trust and permission policies from policy/. Call while enforcement is off.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
 */
export async function createCustomerDestination(
  emulator: Emulator,
  options: CustomerDestinationOptions,
): Promise<CustomerDestination> {
  const accountId = options.accountId ?? CUSTOMER_ACCOUNT_ID;
  const region = options.region ?? EMULATOR_REGION;
  const externalIds = typeof options.externalIds === 'string' ? [options.externalIds] : [...options.externalIds];
  const encryption = options.encryption ?? 'SSE-S3';
  const kmsKeyArn = typeof encryption === 'object' ? encryption.kmsKeyArn : undefined;
  assertNoProblems([
    validateAccountId(accountId),
    validateBucketName(options.bucket),
    validateRegion(region),
    validateRoleName(options.roleName),
    validateTrustedAccountId(options.trustedAccountId),
    ...externalIds.map((id) => validateExternalId(id)),
    kmsKeyArn === undefined ? undefined : validateKmsKeyArn(kmsKeyArn),
  ]);
  const partition = partitionOf(region);
  const { iam, s3 } = accountAdminClients(emulator, accountId, region);

  if (options.createBucket !== false) {
    await s3.send(
      new CreateBucketCommand({
        Bucket: options.bucket,
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
    if (options.versioning !== false) {
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: options.bucket, VersioningConfiguration: { Status: SETTINGS.versioningStatus } }),
      );
    }
    if (encryption !== 'none') {
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket: options.bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: kmsKeyArn
                  ? { SSEAlgorithm: SETTINGS.encryption.withKey.algorithm, KMSMasterKeyID: kmsKeyArn }
                  : { SSEAlgorithm: SETTINGS.encryption.withoutKey.algorithm },
                BucketKeyEnabled: kmsKeyArn !== undefined,
              },
            ],
          },
        }),
      );
    }
  }

  const trust = options.trustPolicy ?? trustPolicy({ trustedAccountId: options.trustedAccountId, externalIds, partition });
  const role = await iam.send(
    new CreateRoleCommand({ RoleName: options.roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
  const permissions =
    options.permissionPolicy === undefined
      ? permissionPolicy({ bucket: options.bucket, partition, ...(kmsKeyArn ? { kmsKeyArn } : {}) })
      : options.permissionPolicy;
  if (permissions !== null) {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: options.roleName,
        PolicyName: TEST_POLICY_NAME,
        PolicyDocument: JSON.stringify(permissions),
      }),
    );
  }
  const arn = role.Role?.Arn;
  if (!arn) throw new Error(`emulator returned no ARN for role ${options.roleName} in ${accountId}`);
  return {
    accountId,
    bucket: options.bucket,
    region,
    roleName: options.roleName,
    roleArn: arn,
    externalIds,
    ...(kmsKeyArn ? { kmsKeyArn } : {}),
  };
}

/**
 * AssumeRole against the emulator with `credentials` (a vendor identity's keys).
 * Rejects with the SDK's error (`AccessDenied`, `ExpiredToken`, …) as AWS would.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export async function assumeRoleAs(
  emulator: Emulator,
  credentials: AwsCredentialIdentity,
  options: { roleArn: string; externalId?: string; sessionName?: string; durationSeconds?: number; region?: string },
): Promise<SessionCredentials> {
  const sts = createStsClient({
    region: options.region ?? EMULATOR_REGION,
    endpointUrl: emulator.url,
    credentials,
    maxAttempts: 1,
  });
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: options.roleArn,
      RoleSessionName: options.sessionName ?? 'ion-dest-test',
      ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
      ...(options.durationSeconds === undefined ? {} : { DurationSeconds: options.durationSeconds }),
    }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new Error(`emulator returned incomplete credentials for ${options.roleArn}`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}

/**
 * Give a bucket the settings the customer stack deploys beyond the guide's minimum:
 * all four public-access blocks, BucketOwnerEnforced, the abort-incomplete-multipart
 * lifecycle rule and, when asked, the TLS-only bucket policy. Set through S3 calls, for
 * destinations built without CloudFormation.
 */
export async function applyStackBucketSettings(
  emulator: Emulator,
  accountId: string,
  bucket: string,
  options: { tlsOnlyPolicy?: boolean } = {},
): Promise<void> {
  const { s3 } = accountAdminClients(emulator, accountId);
  try {
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: SETTINGS.publicAccessBlock.blockPublicAcls,
          IgnorePublicAcls: SETTINGS.publicAccessBlock.ignorePublicAcls,
          BlockPublicPolicy: SETTINGS.publicAccessBlock.blockPublicPolicy,
          RestrictPublicBuckets: SETTINGS.publicAccessBlock.restrictPublicBuckets,
        },
      }),
    );
    await s3.send(
      new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: SETTINGS.objectOwnership }] } }),
    );
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: SETTINGS.lifecycle.ruleId,
              Status: 'Enabled',
              Filter: { Prefix: '' },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: SETTINGS.lifecycle.abortIncompleteMultipartUploadDays },
            },
          ],
        },
      }),
    );
    if (options.tlsOnlyPolicy) {
      const policy = buildTlsOnlyBucketPolicy<never>({ bucketArn: bucketArn('aws', bucket), bucketObjectsArn: bucketObjectsArn('aws', bucket) });
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    }
  } finally {
    s3.destroy();
  }
}
