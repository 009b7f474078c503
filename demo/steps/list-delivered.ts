import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@smithy/types';
import { createS3Client } from '../../aws/clients.js';
import type { DeliveryReport } from '../../delivery/index.js';
import { IonDestError } from '../../errors/index.js';
import { isAccessDenied, toIonDestError } from '../../aws/aws-errors.js';

export interface ListedObject {
  key: string;
  size: number;
}

export interface ListDeliveredOptions {
  bucket: string;
  region: string;
  /** The customer's account, which must own the bucket. */
  accountId: string;
  prefix: string;
  endpointUrl?: string;
  credentials?: AwsCredentialIdentity;
  profile?: string;
}

/**
 * What landed in the bucket under the delivery's prefix, listed with the customer's
 * own credentials (ListObjectsV2, every page).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
export async function listDelivered(options: ListDeliveredOptions): Promise<ListedObject[]> {
  const s3 = createS3Client({
    region: options.region,
    expectedBucketOwner: options.accountId,
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  const found: ListedObject[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await s3
        .send(new ListObjectsV2Command({ Bucket: options.bucket, Prefix: options.prefix, ...(token ? { ContinuationToken: token } : {}) }))
        .catch((error: unknown) => {
          throw toIonDestError(error, `ListObjectsV2 s3://${options.bucket}/${options.prefix}`, 'source', (f) =>
            f.name === 'NoSuchBucket' ? 'BUCKET_NOT_FOUND' : isAccessDenied(f) ? 'BUCKET_ACCESS_DENIED' : undefined,
          );
        });
      for (const o of page.Contents ?? []) found.push({ key: o.Key ?? '', size: o.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    s3.destroy();
  }
  return found.sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * The listing must hold exactly what the delivery reported, key for key and byte for
 * byte; anything else is UPLOAD_VERIFY_FAILED naming the difference.
 */
export function assertListingMatchesDelivery(listed: readonly ListedObject[], report: DeliveryReport): void {
  const expected = new Map(report.objects.map((o) => [o.key, o.size]));
  const problems: string[] = [];
  for (const [key, size] of expected) {
    const seen = listed.find((o) => o.key === key);
    if (!seen) problems.push(`${key} is missing`);
    else if (seen.size !== size) problems.push(`${key} is ${seen.size} bytes, delivered ${size}`);
  }
  for (const o of listed) if (!expected.has(o.key)) problems.push(`${o.key} was not delivered by this run`);
  if (problems.length > 0) {
    throw new IonDestError('UPLOAD_VERIFY_FAILED', `The bucket listing under ${report.prefix} differs from the delivery: ${problems.join('; ')}`, {
      source: 'destination',
    });
  }
}
