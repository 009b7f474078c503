import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { IonDestError } from '../../errors/index.js';
import { accountAdminClients, createAccountIdentity, vendorAssumeRolePolicy, type AccountIdentity } from '../../emulator/accounts.js';
import { pythonExecutable, startEmulator, type Emulator } from '../../emulator/emulator.js';
import { POLICY_VERSION, bucketArn, bucketObjectsArn, type PolicyDocument } from '../../policy/index.js';
import { DOCS_WORLD } from '../docs-world.js';
import { customerDemoPolicy } from '../permissions.js';

/**
 * Start the local emulator: moto's server with the fidelity layer, on a free loopback
 * port. A missing or broken moto becomes EMULATOR_START_FAILED with what moto said.
 */
export async function startDemoEmulator(): Promise<Emulator> {
  try {
    return await startEmulator();
  } catch (error) {
    const detail = (error as Error).message.trim().split('\n').slice(-3).join(' | ');
    throw new IonDestError('EMULATOR_START_FAILED', `Could not start moto with ${pythonExecutable()}: ${detail}`, { source: 'user', cause: error });
  }
}

export interface DemoIdentities {
  vendor: AccountIdentity;
  customer: AccountIdentity;
}

/**
 * First Resonance's identity policy in the docs' world: sts:AssumeRole on any role (as
 * its delivery service has), and its own two buckets: list both, publish and read
 * templates, read attachments.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
export function vendorDemoPolicy(): PolicyDocument {
  const { templatesBucket, attachmentsBucket } = DOCS_WORLD;
  return {
    Version: POLICY_VERSION,
    Statement: [
      ...vendorAssumeRolePolicy({ anyRole: true }).Statement,
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucketArn('aws', templatesBucket), bucketArn('aws', attachmentsBucket)] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: bucketObjectsArn('aws', templatesBucket) },
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: bucketObjectsArn('aws', attachmentsBucket) },
    ],
  };
}

/**
 * Two accounts in one emulator, named as the docs name them: First Resonance's user
 * `ion-delivery` ({@link vendorDemoPolicy}) and the customer's administrator `acme-admin`
 * (customerDemoPolicy: the actions the docs list for the customer, and reading what was
 * delivered). Call while enforcement is off.
 */
export async function createDemoIdentities(emulator: Emulator): Promise<DemoIdentities> {
  const { vendor, customer } = DOCS_WORLD;
  return {
    vendor: await createAccountIdentity(emulator, { accountId: vendor.accountId, userName: vendor.userName, policy: vendorDemoPolicy() }),
    customer: await createAccountIdentity(emulator, { accountId: customer.accountId, userName: customer.userName, policy: customerDemoPolicy() }),
  };
}

/**
 * First Resonance's own buckets in its account: `fr-cfn-templates` (empty, for
 * `publish-template`) and `fr-ion-attachments` with the sample attachments under
 * `tenants/tenant_acme/`. Call while enforcement is off.
 */
export async function createVendorBuckets(emulator: Emulator): Promise<void> {
  const { s3 } = accountAdminClients(emulator, DOCS_WORLD.vendor.accountId, DOCS_WORLD.region);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: DOCS_WORLD.templatesBucket }));
    await s3.send(new CreateBucketCommand({ Bucket: DOCS_WORLD.attachmentsBucket }));
    for (const [key, body] of Object.entries(DOCS_WORLD.attachments)) {
      await s3.send(new PutObjectCommand({ Bucket: DOCS_WORLD.attachmentsBucket, Key: `${DOCS_WORLD.attachmentsPrefix}${key}`, Body: body }));
    }
  } finally {
    s3.destroy();
  }
}
