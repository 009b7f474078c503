import { createHash } from 'node:crypto';
import { once } from 'node:events';
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
const INLINE_DIGEST_BYTES = 256 * 1024;

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

let pool: { threads: Piscina; online: Promise<unknown> } | undefined;

/**
 * Threads of the pool: one per core besides the main thread's, at most two. One thread
 * digests about 1 GB/s (CRC32 and SHA-256) or 6 GB/s (CRC32 alone), well ahead of an upload;
 * each thread costs about 10 MiB of memory.
 */
const DIGEST_THREADS = Math.max(1, Math.min(2, availableParallelism() - 1));

function digestPool(): { threads: Piscina; online: Promise<unknown> } {
  if (!pool) {
    const threads = new Piscina({
      filename: new URL('./digest-worker.mjs', import.meta.url).href,
      // Plain JavaScript: the threads need none of the main thread's loaders or flags (tsx's
      // loader alone would cost each thread more CPU than a large upload's digests).
      execArgv: [],
      // All threads start with the pool (each takes tens of milliseconds of CPU to start) and
      // stay; an idle pool does not keep the process alive.
      minThreads: DIGEST_THREADS,
      maxThreads: DIGEST_THREADS,
    });
    // Listened for in the tick the threads were created in, so no 'online' event is missed.
    const online = Promise.all(threads.threads.map((thread) => once(thread, 'online')));
    online.catch(() => {});
    pool = { threads, online };
  }
  return pool;
}

/**
 * Start the digesting threads now rather than on the first part, and resolve once they run:
 * a delivery calls this while it plans, so that starting them does not delay its first part.
 */
export async function startDigestThreads(): Promise<void> {
  await digestPool().online;
}

/**
 * Part buffers no upload holds, by size, for the next upload to take. A SharedArrayBuffer's
 * memory is freed only once every thread that was handed it has collected its handle, and
 * the digesting threads allocate so little that they rarely collect: without reuse, each
 * archive's buffers would stay in memory while the next archive allocated its own.
 */
const freeBuffers = new Map<number, Buffer[]>();

/** At most this many bytes of free part buffers are kept. */
const FREE_BUFFER_BYTES = 128 * 2 ** 20;

/** A part buffer of `size` bytes that the digesting threads read in place: a free one if there is one. */
export function takePartBuffer(size: number): Buffer {
  return freeBuffers.get(size)?.pop() ?? Buffer.from(new SharedArrayBuffer(size));
}

/** Give back a buffer from `takePartBuffer` that nothing reads or writes any more. */
export function returnPartBuffer(buffer: Buffer): void {
  const size = buffer.buffer.byteLength;
  let kept = 0;
  for (const [bytes, list] of freeBuffers) kept += bytes * list.length;
  if (kept + size > FREE_BUFFER_BYTES) return;
  const list = freeBuffers.get(size) ?? [];
  list.push(Buffer.from(buffer.buffer));
  freeBuffers.set(size, list);
}

function digestInline(bytes: Uint8Array, wanted: DigestRequest): PartDigests {
  return {
    crc32: wanted.crc32 ? crc32(bytes) : undefined,
    sha256Hex: wanted.sha256 ? createHash('sha256').update(bytes).digest('hex') : undefined,
  };
}

/**
 * The digests `wanted` of `bytes`: on a digesting thread when `bytes` is a large view over a
 * SharedArrayBuffer (`takePartBuffer`), inline otherwise. The bytes must not change until
 * the promise settles.
 */
export async function digestPart(bytes: Uint8Array, wanted: DigestRequest): Promise<PartDigests> {
  if (!(bytes.buffer instanceof SharedArrayBuffer) || bytes.length < INLINE_DIGEST_BYTES) return digestInline(bytes, wanted);
  return (await digestPool().threads.run({
    buffer: bytes.buffer,
    byteOffset: bytes.byteOffset,
    length: bytes.length,
    crc32: wanted.crc32 === true,
    sha256: wanted.sha256 === true,
  })) as PartDigests;
}
