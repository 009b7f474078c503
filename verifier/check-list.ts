import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { isAccessDenied, toIonDestError } from '../aws/aws-errors.js';
import { pass, type Verdict } from './check-result.js';

/**
 * `list`: ListObjectsV2 under the tenant prefix (`s3:ListBucket` on the bucket ARN).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
export async function checkList(s3: S3Client, bucket: string, tenant: string): Promise<Verdict> {
  const prefix = `${tenant}/`;
  try {
    const response = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
    const seen = response.KeyCount ?? 0;
    return pass(`listed s3://${bucket}/${prefix} (${seen === 0 ? 'empty' : 'not empty'})`);
  } catch (error) {
    throw toIonDestError(error, `ListObjectsV2 on s3://${bucket}/${prefix}`, 'session', (f) =>
      isAccessDenied(f) ? 'LIST_DENIED' : undefined,
    );
  }
}
