import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { combineCrc32 } from './crc32-combine.js';
import { digestPart, returnPartBuffer, takePartBuffer } from './part-digests.js';
import { rememberPayloadHash, signsPayloadHashes, signUploadPayloads } from './payload-signing.js';

export interface StreamUploadOptions {
  client: S3Client;
  bucket: string;
  key: string;
  /** The object's bytes, in chunks of any size. Each chunk is copied into a part buffer before the next is read. */
  body: AsyncIterable<Uint8Array>;
  /** Bytes per part (every part but the last). */
  partSize: number;
  /** Parts in flight at once. */
  concurrency: number;
  /** More parts than this fail the upload (S3 allows 10,000). */
  maxParts: number;
  contentType: string;
  /** Stops the upload: requests in flight are cancelled and the upload rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * The caller knows the stream holds more than one part (its exact size is over `partSize`):
   * the multipart upload is created while the first part is read, instead of after.
   */
  multipart?: boolean;
  /** Called as soon as a multipart upload exists, so a failed one can be aborted. */
  onUploadCreated?: (uploadId: string) => void;
  /** Bytes S3 has acknowledged so far, after each part. */
  onProgress?: (uploaded: number) => void;
}

export interface StreamUploadResult {
  size: number;
  /** CRC32 of the whole object, from its parts' CRC32s. */
  crc32: number;
  /** 1 for a single PutObject. */
  partCount: number;
  etag: string | undefined;
}

/** A CRC32 as S3 writes it: the four bytes, big-endian, in base64. */
export function crc32ToBase64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

/**
 * Stream an object into S3: one PutObject when the whole stream fits in one part, else a
 * multipart upload with the FULL_OBJECT CRC32 checksum type and `concurrency` parts in
 * flight. Parts are assembled in `concurrency + 1` buffers, reused from part to part and
 * taken from (and given back to) the buffers earlier uploads left (part-digests.ts), so
 * memory stays bounded and the stream's bytes are copied once, into warm memory (copying
 * each part into a fresh buffer, as lib-storage's stream chunker does, cost this process
 * about as much CPU as the rest of the upload, mostly in garbage collection). Each part's
 * request carries the part's CRC32, computed once from the assembled buffer on a digesting
 * thread (with the SHA-256 a plain-HTTP signature needs, see payload-signing.ts), which S3
 * checks against the bytes it receives; the whole object's CRC32 is combined from the
 * parts'. Retries are the SDK's, per request. On any failure the requests still in flight
 * are cancelled and the first error is thrown; aborting the multipart upload is the
 * caller's (see `onUploadCreated`).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
export async function uploadStream(options: StreamUploadOptions): Promise<StreamUploadResult> {
  const { client, bucket, key, partSize, concurrency } = options;
  signUploadPayloads(client);
  // Over plain HTTP each part's SHA-256 is computed with its CRC32, in one task.
  const signsPayload = await signsPayloadHashes(client);
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const spare: Buffer[] = [];
  /** Every part buffer this upload took, given back when it ends. */
  const taken: Buffer[] = [];
  const takeBuffer = () => {
    const reused = spare.pop();
    if (reused) return reused;
    const buffer = takePartBuffer(partSize);
    taken.push(buffer);
    return buffer;
  };
  const inFlight = new Set<Promise<void>>();
  const parts: CompletedPart[] = [];
  let failure: { error: unknown } | undefined;
  let uploadId: string | undefined;
  let partCount = 0;
  /** Each part's CRC32 and length, by part number, combined in order at the end. */
  const partCrcs: { crc: number; length: number }[] = [];
  let acknowledged = 0;

  const fail = (error: unknown) => {
    failure ??= { error };
    stop.abort();
  };

  /** Send one part of the multipart upload; resolves once it is in flight, waiting for a free slot first. */
  async function sendPart(buffer: Buffer, length: number): Promise<void> {
    while (inFlight.size >= concurrency && !failure) await Promise.race(inFlight);
    if (failure) {
      spare.push(buffer);
      return;
    }
    const partNumber = ++partCount;
    if (partNumber > options.maxParts) {
      fail(new Error(`s3://${bucket}/${key} needs more than ${options.maxParts} parts of ${partSize} bytes`));
      return;
    }
    const bytes = buffer.subarray(0, length);
    const sending = digestPart(bytes, { crc32: true, sha256: signsPayload })
      .then(async ({ crc32: crc, sha256Hex }) => {
        if (sha256Hex) rememberPayloadHash(bytes, sha256Hex);
        partCrcs[partNumber] = { crc: crc as number, length };
        const checksum = crc32ToBase64(crc as number);
        const answer = await client.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: bytes, ChecksumAlgorithm: 'CRC32', ChecksumCRC32: checksum }),
          { abortSignal: stop.signal },
        );
        if (!answer.ETag) throw new Error(`S3 answered part ${partNumber} of s3://${bucket}/${key} without an ETag`);
        parts.push({ PartNumber: partNumber, ETag: answer.ETag, ChecksumCRC32: answer.ChecksumCRC32 ?? checksum });
        acknowledged += length;
        options.onProgress?.(acknowledged);
      })
      .catch(fail)
      .finally(() => {
        // The SDK has settled every attempt of this request: its bytes are no longer read.
        inFlight.delete(sending);
        spare.push(buffer);
      });
    inFlight.add(sending);
  }

  let creating: Promise<string> | undefined;
  try {
    if (options.multipart) {
      creating = createUpload();
      // Awaited before the first part is sent, or after a failure below.
      creating.catch(() => {});
    }
    let current = takeBuffer();
    let filled = 0;
    let size = 0;
    for await (const chunk of options.body) {
      for (let offset = 0; offset < chunk.length; ) {
        if (filled === partSize) {
          // A full part with more bytes after it: not the last part, so this is a multipart upload.
          uploadId ??= await (creating ??= createUpload());
          await sendPart(current, filled);
          if (failure) throw failure.error;
          current = takeBuffer();
          filled = 0;
        }
        const take = Math.min(chunk.length - offset, partSize - filled);
        // Into shared memory V8 copies with relaxed atomics (Buffer#copy too), at about half a plain memmove's speed
        // (9 to 10 against 19 to 22 GiB/s measured in cache): the price of the digesting thread reading parts in place.
        current.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        size += take;
      }
      if (failure) throw failure.error;
    }

    if (uploadId === undefined && creating === undefined) {
      // The whole stream fits in one part.
      const bytes = current.subarray(0, filled);
      const crc = (await digestPart(bytes, { crc32: true })).crc32 as number;
      const answer = await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: options.contentType, ChecksumAlgorithm: 'CRC32', ChecksumCRC32: crc32ToBase64(crc) }),
        { abortSignal: stop.signal },
      );
      options.onProgress?.(size);
      return { size, crc32: crc, partCount: 1, etag: answer.ETag };
    }

    uploadId ??= await creating;
    await sendPart(current, filled);
    await Promise.all(inFlight);
    if (failure) throw failure.error;
    parts.sort((a, b) => (a.PartNumber as number) - (b.PartNumber as number));
    const done = await client.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, ChecksumType: 'FULL_OBJECT', MultipartUpload: { Parts: parts } }),
      { abortSignal: stop.signal },
    );
    const crc32 = partCrcs.reduce((whole, part) => combineCrc32(whole, part.crc, part.length), 0);
    return { size, crc32, partCount, etag: done.ETag };
  } catch (error) {
    fail(error);
    // A multipart upload being created is reported (onUploadCreated) before this rejects, so the caller can abort it.
    await Promise.allSettled([...inFlight, ...(creating ? [creating] : [])]);
    throw options.signal?.aborted ? options.signal.reason : (failure as { error: unknown }).error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    // Every request has settled (above): no buffer is read any more.
    for (const buffer of taken) returnPartBuffer(buffer);
  }

  async function createUpload(): Promise<string> {
    // Not cancelled by a failure or the caller's signal: once sent, the upload may exist on the
    // server, and only its ID lets the caller abort it.
    const created = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: options.contentType, ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' }),
    );
    if (!created.UploadId) throw new Error(`S3 started no multipart upload for s3://${bucket}/${key}`);
    options.onUploadCreated?.(created.UploadId);
    return created.UploadId;
  }
}
