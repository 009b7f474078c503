// Runs on the digesting threads of part-digests.ts. Plain JavaScript, so that it loads
// without the TypeScript loader the main thread runs under.
import { createHash } from 'node:crypto';

/**
 * CRC32 (IEEE): @node-rs/crc32's (carry-less multiplication where the CPU has it, about
 * twice zlib's speed here), or zlib's where no build of it exists for this platform.
 * @type {(bytes: Uint8Array) => number}
 */
const crc32 = await import('@node-rs/crc32').then(
  (fast) => (bytes) => fast.crc32(bytes),
  async () => (await import('node:zlib')).crc32,
);

/**
 * Digests of `length` bytes at `byteOffset` of `buffer`, a SharedArrayBuffer read in place.
 * @param {{ buffer: SharedArrayBuffer, byteOffset: number, length: number, crc32: boolean, sha256: boolean }} task
 * @returns {{ crc32: number | undefined, sha256Hex: string | undefined }}
 */
export default function digest(task) {
  const bytes = new Uint8Array(task.buffer, task.byteOffset, task.length);
  return {
    crc32: task.crc32 ? crc32(bytes) : undefined,
    sha256Hex: task.sha256 ? createHash('sha256').update(bytes).digest('hex') : undefined,
  };
}
