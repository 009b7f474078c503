import { HeadBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { describeAwsError, isAccessDenied, mapCommonAwsError, toIonDestError } from '../aws/aws-errors.js';
import { failFrom, flag, pass, skip, type Verdict } from './check-result.js';

export interface BucketCheckOutcome {
  exists: Verdict;
  region: Verdict;
  /** False when the bucket is missing or elsewhere: the object checks would only repeat that. */
  usable: boolean;
}

function regionVerdict(bucket: string, expected: string, actual: string | undefined, requestId?: string): Verdict {
  if (actual === undefined) return skip('S3 did not name the bucket region');
  if (actual === expected) return pass(`bucket ${bucket} is in ${expected}`);
  return flag('fail', 'BUCKET_WRONG_REGION', `bucket ${bucket} is in ${actual}, not ${expected}`, { requestId });
}

/**
 * A role narrowed to the tenant prefix (`TenantPrefix`) may list only with `s3:prefix`
 * under `<tenant>/`, so HeadBucket (which carries no prefix) is refused by design: a
 * listing under the tenant's prefix then proves the bucket exists and is reachable.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
 */
async function listsUnderTenant(s3: S3Client, bucket: string, tenant: string): Promise<boolean> {
  try {
    await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${tenant}/`, MaxKeys: 1 }));
    return true;
  } catch {
    return false;
  }
}

/**
 * `bucket-exists` and `bucket-region` from one HeadBucket (authorized by `s3:ListBucket`;
 * when it is refused and a tenant is given, a listing under `<tenant>/` is tried, for a role
 * narrowed to the tenant prefix).
 * S3 names the bucket's region in `x-amz-bucket-region` on success, on the redirect
 * (301, or 400 with the wrong signing region) and on 403, so it is read whatever the status.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 */
export async function checkBucket(s3: S3Client, bucket: string, region: string, tenant?: string): Promise<BucketCheckOutcome> {
  try {
    const response = await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const regionResult = regionVerdict(bucket, region, response.BucketRegion, response.$metadata.requestId);
    return {
      exists: pass(`bucket ${bucket} exists and the role may reach it`),
      region: regionResult,
      usable: regionResult.status !== 'fail',
    };
  } catch (error) {
    const facts = describeAwsError(error);
    const movedElsewhere = facts.bucketRegion !== undefined && facts.bucketRegion !== region;
    if (movedElsewhere && !isAccessDenied(facts)) {
      return {
        exists: pass(`bucket ${bucket} exists`),
        region: regionVerdict(bucket, region, facts.bucketRegion, facts.requestId),
        usable: false,
      };
    }
    if (facts.httpStatus === 404 || facts.name === 'NotFound' || facts.name === 'NoSuchBucket') {
      return {
        exists: flag('fail', 'BUCKET_NOT_FOUND', `bucket ${bucket} does not exist (HeadBucket answered 404)`, {
          requestId: facts.requestId,
        }),
        region: skip('skipped: the bucket does not exist'),
        usable: false,
      };
    }
    if (isAccessDenied(facts) && mapCommonAwsError(facts, 'session') === undefined) {
      if (tenant !== undefined && (await listsUnderTenant(s3, bucket, tenant))) {
        return {
          exists: pass(
            `bucket ${bucket} exists and the role may list under ${tenant}/ (HeadBucket was refused: the grant is narrowed to the tenant prefix, and HeadBucket names no prefix)`,
          ),
          region: regionVerdict(bucket, region, facts.bucketRegion, facts.requestId),
          usable: facts.bucketRegion === undefined || facts.bucketRegion === region,
        };
      }
      return {
        exists: flag(
          'fail',
          'BUCKET_ACCESS_DENIED',
          `HeadBucket on ${bucket} was denied (HTTP 403): the role may not list the bucket, or another account owns it`,
          { requestId: facts.requestId },
        ),
        region: regionVerdict(bucket, region, facts.bucketRegion, facts.requestId),
        // The object checks still run: each tells which of the delivery's permissions is missing.
        usable: facts.bucketRegion === undefined || facts.bucketRegion === region,
      };
    }
    const mapped = toIonDestError(error, `HeadBucket on ${bucket}`, 'session');
    return { exists: failFrom(mapped), region: skip('skipped: HeadBucket failed'), usable: false };
  }
}
