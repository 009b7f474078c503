import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  ASSUME_ROLE_ACTION,
  POLICY_VERSION,
  bucketArn,
  bucketObjectsArn,
  roleArn,
  type PolicyDocument,
} from '../../policy/index.js';
import { VENDOR_ACCOUNT_ID, accountAdminClients, createAccountIdentity, type AccountIdentity } from '../../emulator/accounts.js';
import type { Emulator } from '../../emulator/emulator.js';

/** First Resonance's own bucket of attachments, in its own account, in tests. */
export const ATTACHMENTS_BUCKET = 'fr-ion-attachments';

/**
 * First Resonance's delivery identity for tests: reads its own attachments bucket
 * (ListBucket on the bucket, GetObject on its objects) and may assume customer roles.
 */
export function vendorDeliveryPolicy(bucket: string): PolicyDocument {
  return {
    Version: POLICY_VERSION,
    Statement: [
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn('aws', bucket) },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: bucketObjectsArn('aws', bucket) },
      { Effect: 'Allow', Action: ASSUME_ROLE_ACTION, Resource: roleArn('aws', '*', '*') },
    ],
  };
}

/**
 * Create First Resonance's attachments bucket holding `objects` (key → bytes) and
 * the identity that reads it. Call while IAM enforcement is off.
 */
export async function createAttachmentsBucket(
  emulator: Emulator,
  objects: Readonly<Record<string, Buffer>>,
  bucket = ATTACHMENTS_BUCKET,
): Promise<{ bucket: string; reader: AccountIdentity }> {
  const { s3 } = accountAdminClients(emulator, VENDOR_ACCOUNT_ID);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const [key, body] of Object.entries(objects)) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }
  s3.destroy();
  const reader = await createAccountIdentity(emulator, {
    accountId: VENDOR_ACCOUNT_ID,
    userName: 'ion-delivery',
    policy: vendorDeliveryPolicy(bucket),
  });
  return { bucket, reader };
}
