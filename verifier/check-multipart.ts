import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isAccessDenied, isKmsDenied, toIonDestError, type AwsErrorFacts } from '../aws/aws-errors.js';
import { flag, pass, type Verdict } from './check-result.js';
import type { CreatedResources } from './cleanup.js';
import { testObjectKey } from './test-keys.js';

function mapMultipartError(facts: AwsErrorFacts) {
  return isKmsDenied(facts) ? 'KMS_KEY_DENIED' : isAccessDenied(facts) ? 'MULTIPART_DENIED' : undefined;
}

async function step<T>(call: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toIonDestError(error, call, 'session', mapMultipartError);
  }
}

/** Is the upload still listed under its key? */
async function isUploadListed(s3: S3Client, bucket: string, key: string, uploadId: string): Promise<boolean> {
  const listed = await step(`ListMultipartUploads on s3://${bucket}/${key}`, () =>
    s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key })),
  );
  return (listed.Uploads ?? []).some((u) => u.UploadId === uploadId);
}

/** Abort a multipart upload; the caller decides what a failure means. */
export async function abortUpload(s3: S3Client, bucket: string, key: string, uploadId: string): Promise<void> {
  await step(`AbortMultipartUpload ${uploadId} on s3://${bucket}/${key}`, () =>
    s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })),
  );
}

/**
 * `multipart`: rehearse every permission a large delivery needs: create an upload,
 * upload a part, find it with ListMultipartUploads and ListParts, abort it, and confirm
 * it is gone. The part is never completed, so its size below S3's 5 MiB minimum is fine.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
export async function checkMultipart(s3: S3Client, bucket: string, tenant: string, created: CreatedResources): Promise<Verdict> {
  const key = testObjectKey(tenant, 'multipart');
  const url = `s3://${bucket}/${key}`;
  const upload = await step(`CreateMultipartUpload ${url}`, () =>
    s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'text/plain' })),
  );
  const uploadId = upload.UploadId;
  if (!uploadId) return flag('fail', 'AWS_REQUEST_FAILED', `CreateMultipartUpload ${url} returned no upload ID`);
  created.multipart = { key, uploadId };

  const part = await step(`UploadPart 1 of ${url}`, () =>
    s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, Body: Buffer.from('ion-dest multipart rehearsal\n') }),
    ),
  );
  if (!(await isUploadListed(s3, bucket, key, uploadId))) {
    return flag('fail', 'AWS_REQUEST_FAILED', `ListMultipartUploads does not list the upload ${uploadId} just created on ${url}`);
  }
  const parts = await step(`ListParts of ${url}`, () =>
    s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId })),
  );
  const listedPart = (parts.Parts ?? []).find((p) => p.PartNumber === 1);
  if (!listedPart || (part.ETag && listedPart.ETag !== part.ETag)) {
    return flag('fail', 'AWS_REQUEST_FAILED', `ListParts does not show part 1 of ${url} as uploaded`);
  }
  await abortUpload(s3, bucket, key, uploadId);
  if (await isUploadListed(s3, bucket, key, uploadId)) {
    return flag('fail', 'MULTIPART_NOT_CLEANED', `upload ${uploadId} on ${url} is still listed after AbortMultipartUpload`);
  }
  delete created.multipart;
  return pass('multipart upload created, part uploaded, listed (uploads and parts), aborted and confirmed gone');
}
