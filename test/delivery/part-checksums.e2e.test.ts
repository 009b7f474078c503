import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import { PartChecksums, crc32ToBase64, sendPartChecksums } from '../../delivery/part-checksums.js';
import { EMULATOR_ROOT_CREDENTIALS, startEmulator, type Emulator } from '../emulator/emulator.js';

const BUCKET = 'part-checksums';
const PART = 5 * 2 ** 20;

/**
 * The part checksums uploadArchive registers are the ones on the wire, in place of the
 * SDK's own, and S3 (the emulator with its fidelity layer) checks them against the body.
 */
describe('sendPartChecksums: each request carries the CRC32 computed from the stream', () => {
  let emulator: Emulator;
  let s3: S3Client;

  beforeAll(async () => {
    emulator = await startEmulator();
    s3 = createS3Client({ region: 'us-east-1', endpointUrl: emulator.url, credentials: EMULATOR_ROOT_CREDENTIALS, expectedBucketOwner: undefined, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  afterAll(async () => {
    s3?.destroy();
    await emulator?.stop();
  });

  function checksumsOf(bytes: Buffer, partSize = PART): PartChecksums {
    const sums = new PartChecksums(partSize);
    sums.update(bytes);
    sums.end();
    return sums;
  }

  it('sends the registered value, not one the SDK computes: a value from other bytes is refused with BadDigest', async () => {
    const body = Buffer.from('the bytes on the wire\n'.repeat(100));
    const stop = sendPartChecksums(s3, BUCKET, 'single.bin', checksumsOf(Buffer.from('other bytes')));
    try {
      await expect(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'single.bin', Body: body, ChecksumAlgorithm: 'CRC32' }))).rejects.toMatchObject({ name: 'BadDigest' });
    } finally {
      stop();
    }
    // Unregistered, the SDK computes the checksum again and the same request is stored.
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'single.bin', Body: body, ChecksumAlgorithm: 'CRC32' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'single.bin', ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumCRC32).toBe(crc32ToBase64(crc32(body)));
  });

  it('gives each UploadPart its own part\'s CRC32, which S3 accepts and echoes', async () => {
    const body = Buffer.alloc(PART + 1000, 7);
    body.write('first part starts here');
    const sums = checksumsOf(body);
    const key = 'multi.bin';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' }));
    const stop = sendPartChecksums(s3, BUCKET, key, sums);
    try {
      const parts = [body.subarray(0, PART), body.subarray(PART)];
      for (const [i, bytes] of parts.entries()) {
        const answer = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: bytes, ChecksumAlgorithm: 'CRC32' }));
        expect(answer.ChecksumCRC32).toBe(crc32ToBase64(crc32(bytes)));
      }
      // Part 2's bytes sent as part 1: the registered value is part 1's, so S3 refuses them.
      await expect(
        s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: parts[1], ChecksumAlgorithm: 'CRC32' })),
      ).rejects.toMatchObject({ name: 'BadDigest' });
      // A part whose bytes have not all gone by yet fails before anything is sent.
      await expect(
        s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 3, Body: parts[1], ChecksumAlgorithm: 'CRC32' })),
      ).rejects.toThrow('the CRC32 of part 3 of multi.bin was asked for before all its bytes were read');
      expect(() => sendPartChecksums(s3, BUCKET, key, sums)).toThrow(`s3://${BUCKET}/${key} is already being uploaded with this client`);
    } finally {
      stop();
      await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId }));
    }
  });
});
