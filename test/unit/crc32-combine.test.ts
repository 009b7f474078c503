import { createCipheriv, createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { combineCrc32 } from '../../delivery/upload/crc32-combine.js';
import { crc32ToBase64 } from '../../delivery/upload/stream-upload.js';

/** Deterministic bytes of any length: AES-CTR over zeros, keyed by `seed`. */
function bytes(length: number, seed: string): Buffer {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length));
}

describe('combineCrc32', () => {
  it('gives the CRC32 of the joined bytes, for every split of a buffer and for empty sides', () => {
    const data = bytes(777, 'split');
    for (let cut = 0; cut <= data.length; cut++) {
      const a = data.subarray(0, cut);
      const b = data.subarray(cut);
      expect(combineCrc32(crc32(a), crc32(b), b.length)).toBe(crc32(data));
    }
  });

  it('agrees with zlib for random lengths, including parts of several MiB', () => {
    for (const [la, lb] of [[1, 1], [3, 5 * 2 ** 20 + 7], [8 * 2 ** 20, 8 * 2 ** 20], [123_457, 1]]) {
      const a = bytes(la as number, `a${la}`);
      const b = bytes(lb as number, `b${lb}`);
      expect(combineCrc32(crc32(a), crc32(b), b.length)).toBe(crc32(Buffer.concat([a, b])));
    }
  });

  it('holds past 4 GiB (lengths beyond 32 bits), as zlib computes it', { timeout: 30_000 }, () => {
    const head = Buffer.from('head');
    const block = Buffer.alloc(64 * 2 ** 20);
    const blocks = 68; // 4.25 GiB
    let streamed = crc32(head);
    for (let i = 0; i < blocks; i++) streamed = crc32(block, streamed);
    // The zeros' CRC32 from one block's, combined with itself block by block...
    const blockCrc = crc32(block);
    let zeros = 0;
    for (let i = 0; i < blocks; i++) zeros = combineCrc32(zeros, blockCrc, block.length);
    // ...then joined to the head in one step, with a length over 2^32.
    expect(combineCrc32(crc32(head), zeros, blocks * block.length)).toBe(streamed);
  });

  it('refuses a length that is not a whole number of bytes', () => {
    expect(() => combineCrc32(0, 0, -1)).toThrow(RangeError);
    expect(() => combineCrc32(0, 0, 1.5)).toThrow('lengthB must be a whole number of bytes, got 1.5');
  });
});

describe('crc32ToBase64', () => {
  it('writes a CRC32 as S3 does: four bytes, big-endian, base64', () => {
    expect(crc32ToBase64(crc32(Buffer.from('hello world')))).toBe('DUoRhQ==');
    expect(crc32ToBase64(0)).toBe('AAAAAA==');
  });
});
