import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadBucketCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { readCallerAccount } from '../../aws/caller-account.js';
import { createS3Client } from '../../aws/clients.js';
import { IonDestError, isIonDestError, type InputProblem } from '../../errors/index.js';
import { assertNoProblems, bucketNameRuleBroken, validateAccountId, validateRegion } from '../../policy/index.js';
import { describeAwsError, s3Call, toIonDestError } from '../../aws/aws-errors.js';
import { assertSafeAttachmentPath } from '../archive/entry-names.js';
import type { AttachmentRef, AttachmentSource } from './types.js';

/**
 * First Resonance's attachments bucket as an attachment source: every object under
 * `s3://bucket/prefix/`, by its key relative to the prefix. Sizes come from the
 * listing (ListObjectsV2), so nothing is spooled; each object is streamed with
 * GetObject when the packer reaches it, pinned to the ETag it was listed with.
 *
 * It reads with First Resonance's own credentials (the standard chain or a profile),
 * never the customer's role, and sends `ExpectedBucketOwner` on every call: the
 * account given, or by default the account those credentials belong to, so a bucket
 * of any other account is never read.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
 */

export interface S3AttachmentSourceOptions {
  /** `s3://bucket/prefix/` (the prefix is a folder: `s3://b/x` means `x/`; none means the whole bucket). */
  url: string;
  /** The account that must own the bucket (`--attachments-bucket-owner`); default: the credentials' own account. */
  expectedBucketOwner?: string;
  /** Region to start from; the bucket's own region (from HeadBucket) is used when it differs. */
  region: string;
  /** Named profile for First Resonance's credentials (default: the standard credential chain). */
  profile?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  endpointUrl?: string;
}

/** The bucket and folder an `s3://` URL names. */
export interface S3Location {
  readonly bucket: string;
  /** Empty, or ends with `/`. */
  readonly prefix: string;
}

/** `s3://` then the bucket up to the first `/`, then the prefix (which may hold any character S3 allows). */
const S3_URL = /^s3:\/\/([^/]*)(?:\/(.*))?$/s;

/** Parse `s3://bucket/prefix/` into bucket and folder prefix; problems name the field. */
export function parseS3Url(url: string, field = '--attachments'): { location?: S3Location; problems: InputProblem[] } {
  const m = S3_URL.exec(url);
  if (!m) return { problems: [{ field, value: url, rule: 'an S3 location has the form s3://bucket/prefix/' }] };
  const bucket = m[1] ?? '';
  const rest = m[2] ?? '';
  const problems: InputProblem[] = [];
  const broken = bucketNameRuleBroken(bucket);
  if (broken) problems.push({ field, value: url, rule: broken });
  if (rest.startsWith('/') || rest.split('/').some((s, i, all) => (s === '' && i < all.length - 1) || s === '.' || s === '..'))
    problems.push({ field, value: url, rule: 'the prefix has no empty, "." or ".." segment' });
  if (/[\u0000-\u001f\u007f]/u.test(rest)) problems.push({ field, value: url, rule: 'the prefix has no control characters' });
  const prefix = rest === '' || rest.endsWith('/') ? rest : `${rest}/`;
  return problems.length ? { problems } : { location: { bucket, prefix }, problems };
}

/** Check the options before any AWS call. */
export function validateS3AttachmentSourceOptions(options: S3AttachmentSourceOptions): InputProblem[] {
  return [
    ...parseS3Url(options.url).problems,
    options.expectedBucketOwner === undefined ? undefined : validateAccountId(options.expectedBucketOwner, '--attachments-bucket-owner'),
    validateRegion(options.region, '--attachments-region'),
  ].filter((p): p is InputProblem => p !== undefined);
}

/** An attachment source reading everything under an S3 prefix with First Resonance's own credentials. */
export function createS3AttachmentSource(options: S3AttachmentSourceOptions): AttachmentSource {
  assertNoProblems(validateS3AttachmentSourceOptions(options));
  const { bucket, prefix } = parseS3Url(options.url).location!;
  const objects = new Map<string, { key: string; etag: string | undefined }>();
  let client: S3Client | undefined;

  return {
    description: `s3://${bucket}/${prefix}`,
    async list(): Promise<readonly AttachmentRef[]> {
      const owner = options.expectedBucketOwner ?? (await callerAccount(options));
      client = await bucketClient(options, bucket, owner);
      const found: AttachmentRef[] = [];
      objects.clear();
      try {
        for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
          for (const object of page.Contents ?? []) {
            const key = object.Key ?? '';
            const path = key.slice(prefix.length);
            // A zero-byte key ending in "/" is a console "folder", not a file.
            if (path === '' || (path.endsWith('/') && (object.Size ?? 0) === 0)) continue;
            assertSafeAttachmentPath(path, `s3://${bucket}/${key}`);
            found.push({ path, size: object.Size ?? 0 });
            objects.set(path, { key, etag: object.ETag });
          }
        }
      } catch (error) {
        throw sourceError(error, 'ListObjectsV2', bucket, prefix);
      }
      assertNoFileUnderFile(found, bucket, prefix);
      return found;
    },
    async openAttachment(attachment: AttachmentRef): Promise<Readable> {
      const object = objects.get(attachment.path);
      if (!client || !object) {
        throw new IonDestError('ATTACHMENT_CHANGED', `Attachment ${JSON.stringify(attachment.path)} was not in the listing of s3://${bucket}/${prefix}.`, { source: 'toolkit' });
      }
      let response;
      try {
        response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: object.key, ...(object.etag ? { IfMatch: object.etag } : {}) }));
      } catch (error) {
        throw sourceError(error, 'GetObject', bucket, object.key);
      }
      const body = response.Body as Readable | undefined;
      if (!body || response.ContentLength !== attachment.size) {
        (body as Readable | undefined)?.destroy();
        throw new IonDestError(
          'ATTACHMENT_CHANGED',
          `s3://${bucket}/${object.key} is ${response.ContentLength ?? 'of unknown'} bytes now, ${attachment.size} when listed.`,
          { source: 'aws' },
        );
      }
      return body;
    },
  };
}

/** The account of the credentials in use: the bucket must belong to First Resonance itself. */
async function callerAccount(options: S3AttachmentSourceOptions): Promise<string> {
  try {
    return await readCallerAccount(clientOptions(options, options.region));
  } catch (error) {
    if (isIonDestError(error) && error.code === 'SOURCE_CREDENTIALS_MISSING') {
      throw new IonDestError('SOURCE_CREDENTIALS_MISSING', `No AWS credentials to read the attachments bucket: ${error.message}`, { source: 'user', cause: error });
    }
    throw error;
  }
}

/** A client in the bucket's own region (HeadBucket reports it, also from another region). */
async function bucketClient(options: S3AttachmentSourceOptions, bucket: string, owner: string): Promise<S3Client> {
  const first = createS3Client({ ...clientOptions(options, options.region), expectedBucketOwner: owner });
  let region: string | undefined;
  try {
    region = (await first.send(new HeadBucketCommand({ Bucket: bucket }))).BucketRegion;
  } catch (error) {
    region = (error as { $response?: { headers?: Record<string, string> } }).$response?.headers?.['x-amz-bucket-region'];
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (!region || status !== 301) {
      first.destroy();
      throw sourceError(error, 'HeadBucket', bucket, '', owner);
    }
  }
  if (!region || region === options.region) return first;
  first.destroy();
  return createS3Client({ ...clientOptions(options, region), expectedBucketOwner: owner });
}

function clientOptions(options: S3AttachmentSourceOptions, region: string) {
  return {
    region,
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}

/**
 * Keys `a/b` and `a/b/c` cannot both be extracted: `a/b` would be a file and a
 * folder. S3 allows it; the archive must not.
 */
function assertNoFileUnderFile(found: readonly AttachmentRef[], bucket: string, prefix: string): void {
  const files = new Set(found.map((a) => a.path));
  for (const { path } of found) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const folder = segments.slice(0, i).join('/');
      if (files.has(folder)) {
        throw new IonDestError(
          'SNAPSHOT_SOURCE_INVALID',
          `s3://${bucket}/${prefix}${folder} is an object and also a folder of s3://${bucket}/${prefix}${path}; an archive cannot hold both. Rename one of them.`,
          { source: 'user' },
        );
      }
    }
  }
}

/** Errors reading First Resonance's own bucket name its fix (not the customer destination's). */
function sourceError(error: unknown, operation: string, bucket: string, key: string, owner?: string): IonDestError {
  if (isIonDestError(error)) return error;
  const code = describeAwsError(error).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const where = `s3://${bucket}/${key}`;
  if (code === 'PreconditionFailed' || status === 412 || code === 'NoSuchKey') {
    return new IonDestError('ATTACHMENT_CHANGED', `${operation} ${where} failed: ${code}: the object changed or was deleted after it was listed.`, {
      source: 'aws',
      cause: error,
    });
  }
  if (code === 'NoSuchBucket' || code === 'AccessDenied' || code === 'NotFound' || code === 'Forbidden' || status === 403 || status === 404) {
    return new IonDestError(
      'ATTACHMENTS_BUCKET_UNREADABLE',
      `${operation} ${where} failed: ${code}${status ? ` (HTTP ${status})` : ''}${owner ? ` (expected bucket owner ${owner})` : ''}.`,
      { source: 'user', cause: error },
    );
  }
  // Read with First Resonance's own credentials: an expired or unknown key is theirs to fix.
  return toIonDestError(error, s3Call(operation, bucket, key), 'source');
}
