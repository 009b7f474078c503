import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeAwsError, isAccessDenied } from '../aws/aws-errors.js';
import { flag, pass, type Verdict } from './check-result.js';
import { TEST_KEY_MARKER } from './test-keys.js';

/** A key outside `<tenant>/`, recognisable as the verifier's: `.ion-dest-verify-outside-prefix/<tenant>-<random>.txt`. */
export function outsidePrefixKey(tenant: string): string {
  return `${TEST_KEY_MARKER}-outside-prefix/${tenant}-${randomBytes(4).toString('hex')}.txt`;
}

/**
 * `prefix-only` (`verify --tenant-prefix`): a role narrowed to the tenant's prefix must be
 * refused a write outside `<tenant>/` (its object actions are granted on
 * `<bucket>/<tenant>/*` only). A write that succeeds fails the check and is deleted at once.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
export async function checkPrefixOnly(s3: S3Client, bucket: string, tenant: string): Promise<Verdict> {
  const key = outsidePrefixKey(tenant);
  try {
    const response = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'ion-dest verify: a write outside the tenant prefix must be refused' }));
    let cleanup = 'deleted it again';
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      cleanup = `could not delete it (${describeAwsError(error).name}): remove s3://${bucket}/${key}`;
    }
    return flag(
      'fail',
      'ROLE_WIDER_THAN_CONTRACT',
      `the role may write s3://${bucket}/${key}, outside ${tenant}/: its grant is not narrowed to the tenant prefix (${cleanup})`,
      { requestId: response.$metadata.requestId },
    );
  } catch (error) {
    const facts = describeAwsError(error);
    if (isAccessDenied(facts)) return pass(`a write outside ${tenant}/ (s3://${bucket}/${key}) was refused`);
    return flag('warn', 'AWS_REQUEST_FAILED', `could not tell: PutObject outside ${tenant}/ answered ${facts.name}: ${facts.message}`, {
      requestId: facts.requestId,
    });
  }
}
