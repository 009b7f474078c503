import type { S3Client } from '@aws-sdk/client-s3';
import { crc32 } from 'node:zlib';
import { combineCrc32 } from './crc32-combine.js';

/**
 * The CRC32 of each part of a streamed multipart upload, computed once as the bytes go
 * by, and of the whole stream from those (crc32 combine, no second pass). Parts are cut
 * the way lib-storage cuts a stream: part k holds bytes [(k−1)·partSize, k·partSize), the
 * last whatever remains (an empty stream is one empty part).
 */
export class PartChecksums {
  readonly #partSize: number;
  readonly #finished: number[] = [];
  #crc = 0;
  #length = 0;
  #whole = 0;
  #ended = false;

  constructor(partSize: number) {
    if (!Number.isSafeInteger(partSize) || partSize <= 0) throw new RangeError(`partSize must be a positive whole number, got ${partSize}`);
    this.#partSize = partSize;
  }

  update(chunk: Uint8Array): void {
    if (this.#ended) throw new Error('PartChecksums.update after end');
    for (let offset = 0; offset < chunk.length; ) {
      const take = Math.min(chunk.length - offset, this.#partSize - this.#length);
      this.#crc = crc32(take === chunk.length ? chunk : chunk.subarray(offset, offset + take), this.#crc);
      this.#length += take;
      offset += take;
      if (this.#length === this.#partSize) this.#finishPart();
    }
  }

  /** The stream ended: the bytes since the last full part are the last part. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#length > 0 || this.#finished.length === 0) this.#finishPart();
  }

  /** CRC32 of part `partNumber` (from 1), or undefined while its bytes have not all gone by. */
  part(partNumber: number): number | undefined {
    return this.#finished[partNumber - 1];
  }

  /** CRC32 of the whole stream; only once it ended. */
  whole(): number {
    if (!this.#ended) throw new Error('PartChecksums.whole before end');
    return this.#whole;
  }

  #finishPart(): void {
    this.#finished.push(this.#crc);
    this.#whole = combineCrc32(this.#whole, this.#crc, this.#length);
    this.#crc = 0;
    this.#length = 0;
  }
}

/** A CRC32 as S3 writes it: the four bytes, big-endian, in base64. */
export function crc32ToBase64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

const REGISTRIES = new WeakMap<S3Client, Map<string, PartChecksums>>();

/**
 * While registered, every UploadPart (and the single PutObject of a stream that fits one
 * part) this client sends for `bucket`/`key` carries the part's CRC32 from `checksums`,
 * so the SDK does not compute it a second time; S3 still checks it against the bytes it
 * receives and refuses a mismatch (BadDigest). Returns the function that unregisters.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
export function sendPartChecksums(client: S3Client, bucket: string, key: string, checksums: PartChecksums): () => void {
  let registry = REGISTRIES.get(client);
  if (!registry) {
    registry = new Map();
    REGISTRIES.set(client, registry);
    const uploads = registry;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Bucket?: string; Key?: string; PartNumber?: number; ChecksumCRC32?: string };
        const sums = uploads.get(objectId(input.Bucket, input.Key));
        const partNumber = context.commandName === 'UploadPartCommand' ? input.PartNumber : context.commandName === 'PutObjectCommand' ? 1 : undefined;
        if (!sums || partNumber === undefined || input.ChecksumCRC32 !== undefined) return next(args);
        const crc = sums.part(partNumber);
        if (crc === undefined) throw new Error(`the CRC32 of part ${partNumber} of ${input.Key} was asked for before all its bytes were read`);
        return next({ ...args, input: { ...args.input, ChecksumCRC32: crc32ToBase64(crc) } as typeof args.input });
      },
      { step: 'initialize', name: 'ionDestPartChecksums' },
    );
  }
  const id = objectId(bucket, key);
  if (registry.has(id)) throw new Error(`s3://${bucket}/${key} is already being uploaded with this client`);
  registry.set(id, checksums);
  return () => registry.delete(id);
}

function objectId(bucket: string | undefined, key: string | undefined): string {
  return `${bucket}\n${key}`;
}
