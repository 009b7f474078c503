import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { crc32 } from 'node:zlib';
import { Piscina } from 'piscina';

/**
 * The CRC32 and SHA-256 of each uploaded part, computed on worker threads.
 *
 * An upload's main thread reads the source, copies it into part buffers, and sends and
 * receives every request; hashing 8 MiB there (a CRC32 for S3's checksum, and over plain
 * HTTP a SHA-256 for the signature) stalls all of that for several milliseconds per part.
 * Part buffers are allocated over SharedArrayBuffers, so the digesting threads read them in
 * place: no copy per part. Small inputs, and inputs not in shared memory, are digested
 * inline, where a thread hop would cost more than it saves.
 */

/** Below this many bytes a digest is computed inline. */
export const INLINE_DIGEST_BYTES = 256 * 1024;

export interface DigestRequest {
  crc32?: boolean;
  sha256?: boolean;
}

export interface PartDigests {
  /** CRC32 (IEEE, S3's `CRC32` checksum), when asked for. */
  crc32: number | undefined;
  /** Lower-case hex SHA-256, when asked for. */
  sha256Hex: string | undefined;
}

let pool: Piscina | undefined;

function digestPool(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./digest-worker.mjs', import.meta.url).href,
    minThreads: 0,
    // One thread per core, at most four (the default upload concurrency).
    maxThreads: Math.max(1, Math.min(4, availableParallelism())),
    // Idle threads leave after a minute; an idle pool does not keep the process alive.
    idleTimeout: 60_000,
  });
  return pool;
}

/** A part buffer that the digesting threads read in place. */
export function allocatePartBuffer(size: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(size));
}

function digestInline(bytes: Uint8Array, wanted: DigestRequest): PartDigests {
  return {
    crc32: wanted.crc32 ? crc32(bytes) : undefined,
    sha256Hex: wanted.sha256 ? createHash('sha256').update(bytes).digest('hex') : undefined,
  };
}

/**
 * The digests `wanted` of `bytes`: on a digesting thread when `bytes` is a large view over a
 * SharedArrayBuffer (`allocatePartBuffer`), inline otherwise. The bytes must not change until
 * the promise settles.
 */
export async function digestPart(bytes: Uint8Array, wanted: DigestRequest): Promise<PartDigests> {
  if (!(bytes.buffer instanceof SharedArrayBuffer) || bytes.length < INLINE_DIGEST_BYTES) return digestInline(bytes, wanted);
  return (await digestPool().run({
    buffer: bytes.buffer,
    byteOffset: bytes.byteOffset,
    length: bytes.length,
    crc32: wanted.crc32 === true,
    sha256: wanted.sha256 === true,
  })) as PartDigests;
}
