import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describeAwsError, isAccessDenied, isKmsDenied, toIonDestError, type AwsErrorFacts } from '../aws/aws-errors.js';
import { flag, pass, runCheck, skip, type Verdict } from './check-result.js';
import type { CreatedResources } from './cleanup.js';
import { testObjectKey } from './test-keys.js';
import type { CheckResult } from './types.js';

/** S3's value for "no version" on an unversioned bucket. */
const NULL_VERSION_ID = 'null';

function mapDenied(denied: 'WRITE_DENIED' | 'READ_DENIED' | 'DELETE_DENIED') {
  return (facts: AwsErrorFacts) => (isKmsDenied(facts) ? 'KMS_KEY_DENIED' : isAccessDenied(facts) ? denied : undefined);
}

function testBody(key: string): Buffer {
  return Buffer.from(`ion-dest verify test object ${key}\nSafe to delete; the verifier removes it at once.\n`);
}

/** `encryption`: read from PutObject's server-side-encryption headers; needs no extra permission. */
export function encryptionVerdict(put: PutObjectCommandOutput): Verdict {
  const sse = put.ServerSideEncryption;
  if (sse === 'aws:kms' || sse === 'aws:kms:dsse') {
    return pass(`objects are encrypted with SSE-KMS${sse === 'aws:kms:dsse' ? ' (dual-layer)' : ''}, key ${put.SSEKMSKeyId ?? '(AWS managed)'}`);
  }
  if (sse === 'AES256') return pass('objects are encrypted with SSE-S3 (AES256)');
  return flag('warn', 'NOT_ENCRYPTED', 'PutObject reported no server-side encryption', {
    requestId: put.$metadata.requestId,
  });
}

/**
 * `versioning`: from PutObject's VersionId. Not versioned is a warning, since the guide only recommends it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html
 */
export function versioningVerdict(put: PutObjectCommandOutput): Verdict {
  const version = put.VersionId;
  if (version && version !== NULL_VERSION_ID) {
    return pass(
      `bucket is versioned (test object version ${version}); the deleted test object remains as a noncurrent version behind a delete marker, because the role has no s3:DeleteObjectVersion by design`,
    );
  }
  return flag('warn', 'VERSIONING_DISABLED', 'PutObject returned no version ID: the bucket is not versioned', {
    requestId: put.$metadata.requestId,
  });
}

/**
 * `write`, `read`, `delete`, `encryption` and `versioning`: put a small object under
 * `<tenant>/` with a SHA-256 checksum, read it back and compare bytes, delete it and
 * confirm it is gone. `created` tracks the object until it is confirmed deleted.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
export async function checkObjectRoundTrip(
  s3: S3Client,
  bucket: string,
  tenant: string,
  created: CreatedResources,
): Promise<CheckResult[]> {
  const key = testObjectKey(tenant, 'object');
  const url = `s3://${bucket}/${key}`;
  const body = testBody(key);
  const sha256 = createHash('sha256').update(body).digest('base64');
  let put: PutObjectCommandOutput | undefined;

  const write = await runCheck('write', async () => {
    try {
      put = await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ChecksumAlgorithm: 'SHA256', ContentType: 'text/plain' }),
      );
    } catch (error) {
      throw toIonDestError(error, `PutObject ${url}`, 'session', mapDenied('WRITE_DENIED'));
    }
    created.objectKey = key;
    if (put.ChecksumSHA256 !== undefined && put.ChecksumSHA256 !== sha256) {
      return flag('fail', 'READ_MISMATCH', `S3 recorded SHA-256 ${put.ChecksumSHA256} for ${url}; sent ${sha256}`, {
        requestId: put.$metadata.requestId,
      });
    }
    return pass(`wrote ${url} (${body.length} bytes, SHA-256 checksum accepted)`);
  });
  if (put === undefined) {
    const why = 'skipped: the test write failed';
    return [write, ...(['read', 'delete', 'encryption', 'versioning'] as const).map((id) => ({ id, ...skip(why), durationMs: 0 }))];
  }
  const written = put;

  const read = await runCheck('read', async () => {
    let bytes: Uint8Array;
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      bytes = (await got.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      throw toIonDestError(error, `GetObject ${url}`, 'session', mapDenied('READ_DENIED'));
    }
    if (!Buffer.from(bytes).equals(body)) {
      return flag('fail', 'READ_MISMATCH', `read back ${bytes.length} bytes from ${url} that differ from the ${body.length} written`);
    }
    return pass(`read ${url} back, bytes identical`);
  });

  const del = await runCheck('delete', () => deleteAndConfirm(s3, bucket, key, created));
  return [
    write,
    read,
    del,
    { id: 'encryption', ...encryptionVerdict(written), durationMs: 0 },
    { id: 'versioning', ...versioningVerdict(written), durationMs: 0 },
  ];
}

/** Delete the test object and confirm HeadObject no longer finds it. */
export async function deleteAndConfirm(s3: S3Client, bucket: string, key: string, created: CreatedResources): Promise<Verdict> {
  const url = `s3://${bucket}/${key}`;
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    throw toIonDestError(error, `DeleteObject ${url}`, 'session', mapDenied('DELETE_DENIED'));
  }
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return flag('fail', 'DELETE_NOT_EFFECTIVE', `${url} is still there after DeleteObject`, {
      requestId: head.$metadata.requestId,
    });
  } catch (error) {
    const facts = describeAwsError(error);
    if (facts.httpStatus === 404 || facts.name === 'NotFound' || facts.name === 'NoSuchKey') {
      delete created.objectKey;
      return pass(`deleted ${url} and confirmed it is gone`);
    }
    if (isAccessDenied(facts)) {
      // Without s3:ListBucket S3 answers 403, not 404, for a missing key.
      delete created.objectKey;
      return flag('warn', 'LIST_DENIED', `deleted ${url}, but HeadObject answered 403 instead of 404, so its absence is unconfirmed`, {
        requestId: facts.requestId,
      });
    }
    throw toIonDestError(error, `HeadObject ${url}`, 'session');
  }
}
