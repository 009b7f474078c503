import { AbortMultipartUploadCommand, HeadObjectCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { IonDestError, isIonDestError } from '../../errors/index.js';
import { mapDestinationS3Error, s3Call, toIonDestError } from '../../aws/aws-errors.js';
import { crc32ToBase64, uploadStream, type StreamUploadResult } from './stream-upload.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, MAX_BUFFERED_PART_SIZE, MAX_PARTS, MIN_PART_SIZE } from './upload-defaults.js';

// In a module of their own, so that `deliver --help` and the input checks use them without
// loading the AWS SDK.
export { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, MAX_BUFFERED_PART_SIZE, MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE } from './upload-defaults.js';
/**
 * Every object carries a CRC32 checksum that S3 verifies on arrival. Multipart uploads
 * ask for the FULL_OBJECT type, so the stored value is the CRC32 of the whole archive,
 * which anyone can recompute from the downloaded file (a COMPOSITE value would be a
 * checksum of part checksums). Each request carries its own part's CRC32; no precomputed
 * whole-object value is sent.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
export const CHECKSUM_ALGORITHM = 'CRC32' as const;

/**
 * Part size for an object of `size` bytes: `requested` (or the default), grown so the object
 * fits in MAX_PARTS parts, never above the 1 GiB a part buffer may hold (enough for S3's
 * largest object, 5 TiB in 10,000 parts; see delivery-limits.ts).
 */
export function choosePartSize(size: number, requested: number = DEFAULT_PART_SIZE): number {
  const mib = 2 ** 20;
  const needed = Math.ceil(Math.ceil(size / MAX_PARTS) / mib) * mib;
  return Math.min(MAX_BUFFERED_PART_SIZE, Math.max(MIN_PART_SIZE, requested, needed));
}

export interface UploadArchiveOptions {
  client: S3Client;
  bucket: string;
  key: string;
  /** The archive bytes, streamed; never held whole. */
  body: AsyncIterable<Buffer>;
  /** Exact planned size; the stream must yield exactly this many bytes. */
  size?: number;
  /** When the exact size is not known up front (a streamed archive): an upper bound, to size the parts. */
  sizeBound?: number;
  /** Stop the upload (it is aborted like any failed one). */
  signal?: AbortSignal;
  partSize?: number;
  concurrency?: number;
  contentType?: string;
  /** Bytes S3 has acknowledged so far. */
  onProgress?: (uploaded: number) => void;
}

export interface UploadedObject {
  key: string;
  size: number;
  checksumAlgorithm: typeof CHECKSUM_ALGORITHM;
  checksumType: 'FULL_OBJECT';
  /** Base64 CRC32 of the whole object, as S3 reports it (`x-amz-checksum-crc32`). */
  checksum: string;
  /** Parts of the multipart upload (1 when a single PutObject sufficed). */
  partCount: number;
  partSize: number;
  etag: string | undefined;
}

/**
 * Stream one archive into S3 (uploadStream): a single PutObject when it fits one part, else
 * a multipart upload with `concurrency` parts in flight, the part size chosen from the
 * planned size. Each request carries the CRC32 of its part, which S3 checks against the
 * bytes it receives; the whole archive's CRC32, combined from the parts', is compared with
 * what S3 reports for the stored object afterwards (HeadObject), with the size. A failed
 * upload is aborted and checked with ListMultipartUploads, so no stored parts are left
 * behind.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
 */
export async function uploadArchive(options: UploadArchiveOptions): Promise<UploadedObject> {
  const { client, bucket, key, size } = options;
  const planned = size ?? options.sizeBound;
  if (planned === undefined) throw new Error('uploadArchive needs size or sizeBound to choose the part size');
  const partSize = choosePartSize(planned, options.partSize);
  let counted = 0;
  async function* measured(): AsyncGenerator<Buffer> {
    for await (const chunk of abortable(options.body, options.signal)) {
      counted += chunk.length;
      if (counted > (planned as number)) break;
      yield chunk;
    }
    if (size !== undefined ? counted !== size : counted > (planned as number)) {
      const expected = size !== undefined ? `planned ${size}` : `bounded by ${planned}`;
      throw new IonDestError('ARCHIVE_SIZE_MISMATCH', `Archive ${key} came out ${counted}${counted > (planned as number) ? ' or more' : ''} bytes, ${expected}.`, { source: 'toolkit' });
    }
  }
  let uploadId: string | undefined;
  let uploaded: StreamUploadResult;
  try {
    uploaded = await uploadStream({
      client,
      bucket,
      key,
      body: measured(),
      partSize,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      maxParts: MAX_PARTS,
      multipart: size !== undefined && size > partSize,
      contentType: options.contentType ?? 'application/x-tar',
      ...(options.signal ? { signal: options.signal } : {}),
      onUploadCreated: (id) => {
        uploadId = id;
      },
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } catch (error) {
    const failure = isIonDestError(error) ? error : toIonDestError(error, s3Call('Upload', bucket, key), 'session', mapDestinationS3Error('Upload'), 'UPLOAD_FAILED');
    await ensureAborted(client, bucket, key, uploadId, failure);
    throw failure;
  }
  const checksum = crc32ToBase64(uploaded.crc32);
  await verifyStoredObject(client, bucket, key, counted, checksum);
  return {
    key,
    size: counted,
    checksumAlgorithm: CHECKSUM_ALGORITHM,
    checksumType: 'FULL_OBJECT',
    checksum,
    partCount: uploaded.partCount,
    partSize,
    etag: uploaded.etag,
  };
}

/**
 * Iterate `source`, but fail as soon as `signal` aborts, even while waiting for the next
 * chunk (a stopped delivery must not wait for a source that will never produce again).
 */
async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  if (!signal) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      signal.throwIfAborted();
      // A listener per read, removed when the read settles: a long-lived promise raced
      // against every read would keep every chunk reachable.
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        iterator.next().then(
          (result) => {
            signal.removeEventListener('abort', onAbort);
            resolve(result);
          },
          (error: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      });
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Not awaited: a source stuck mid-read would hold the failure up; it is released with the process.
    void iterator.return?.()?.catch(() => {});
  }
}

async function verifyStoredObject(client: S3Client, bucket: string, key: string, size: number, checksum: string): Promise<void> {
  const head = await client
    .send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }))
    .catch((error: unknown) => {
      throw toIonDestError(error, s3Call('HeadObject', bucket, key), 'session', mapDestinationS3Error('HeadObject'));
    });
  const stored = head.ChecksumCRC32;
  const problems = [
    head.ContentLength !== size ? `size ${head.ContentLength} (sent ${size})` : undefined,
    // A composite value ("…-N") is a checksum of part checksums and cannot be compared.
    stored !== undefined && !stored.includes('-') && stored !== checksum ? `CRC32 ${stored} (sent ${checksum})` : undefined,
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new IonDestError('UPLOAD_VERIFY_FAILED', `s3://${bucket}/${key} reports ${problems.join(' and ')}.`, { source: 'aws' });
  }
}

/**
 * Make sure a failed multipart upload leaves nothing behind: abort it and confirm with
 * ListMultipartUploads that it is gone. S3 may still list an upload whose part was in
 * flight during the abort, so the check repeats once.
 */
async function ensureAborted(client: S3Client, bucket: string, key: string, uploadId: string | undefined, failure: IonDestError): Promise<void> {
  if (uploadId === undefined) return;
  try {
    for (let round = 0; round < 2; round += 1) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch((error: unknown) => {
        if ((error as { name?: string }).name !== 'NoSuchUpload') throw error;
      });
      const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
      if (!(listed.Uploads ?? []).some((u) => u.UploadId === uploadId)) return;
    }
    throw new Error('still listed after two aborts');
  } catch (error) {
    throw new IonDestError(
      'UPLOAD_NOT_ABORTED',
      `${failure.message}\nThe multipart upload ${uploadId} of s3://${bucket}/${key} could not be aborted (${(error as Error).message}); run \`ion-dest cleanup\` for the tenant when the endpoint answers again.`,
      { source: 'aws', cause: failure },
    );
  }
}
