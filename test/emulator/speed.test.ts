import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type ChecksumType,
  type S3Client,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import { crc32ToBase64 } from '../../delivery/upload/stream-upload.js';
import { EMULATOR_ROOT_CREDENTIALS, startEmulator, type Emulator } from '../../emulator/emulator.js';

/**
 * The speed layer (speed.py) changes how much work moto does, never what it answers:
 * the same multipart uploads against moto with the layer and moto as it ships give the
 * same checksums, ETags and bytes.
 */

const BUCKET = 'ion-dest-speed';
const PARTS = [randomBytes(5 * 2 ** 20), randomBytes(5 * 2 ** 20), randomBytes(3 * 2 ** 20 + 17)];
const WHOLE = Buffer.concat(PARTS);

let withLayer: Emulator;
let asShipped: Emulator;
const clients: S3Client[] = [];

function client(emulator: Emulator): S3Client {
  const c = createS3Client({ region: 'us-east-1', endpointUrl: emulator.url, credentials: EMULATOR_ROOT_CREDENTIALS, expectedBucketOwner: undefined });
  clients.push(c);
  return c;
}

/** A multipart upload of `bodies` with CRC32 of `checksumType`, its parts listed as uploaded. */
async function uploadParts(s3: S3Client, key: string, checksumType: ChecksumType, bodies: readonly Buffer[]) {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: 'CRC32', ChecksumType: checksumType }));
  const parts = [];
  for (const [index, body] of bodies.entries()) {
    const { ETag, ChecksumCRC32 } = await s3.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: index + 1, Body: body, ChecksumAlgorithm: 'CRC32' }),
    );
    parts.push({ PartNumber: index + 1, ETag: ETag as string, ChecksumCRC32 });
  }
  return { UploadId, parts };
}

async function multipartUpload(s3: S3Client, key: string, checksumType: ChecksumType) {
  const { UploadId, parts } = await uploadParts(s3, key, checksumType, PARTS);
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
  const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray());
  return { completeEtag: done.ETag, completeChecksum: done.ChecksumCRC32, etag: head.ETag, checksum: head.ChecksumCRC32, type: head.ChecksumType, body };
}

function base64Crc32(bytes: Buffer): string {
  return crc32ToBase64(crc32(bytes));
}

beforeAll(async () => {
  [withLayer, asShipped] = await Promise.all([startEmulator(), startEmulator({ fidelity: false })]);
  for (const emulator of [withLayer, asShipped]) await client(emulator).send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await Promise.all([withLayer?.stop(), asShipped?.stop()]);
});

/** The error a CompleteMultipartUpload ends with, after parts of `sizes` bytes, listed with `etags` (default: their own). */
async function completeFailure(s3: S3Client, key: string, sizes: number[], etags: (real: string) => string = (etag) => etag): Promise<string> {
  const { UploadId, parts } = await uploadParts(s3, key, 'FULL_OBJECT', sizes.map((size) => WHOLE.subarray(0, size)));
  try {
    await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.PartNumber, ETag: etags(p.ETag) })) } }),
    );
    return 'completed';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('speed layer (speed.py)', () => {
  it('refuses the same completions as moto as it ships: a wrong ETag, a small part before the last', async () => {
    const wrongEtag = (etag: string) => etag.replace(/[0-9a-f]/, (c) => (c === '0' ? '1' : '0'));
    const cases = [
      ['wrong-etag.tar', [5 * 2 ** 20, 1024], wrongEtag, 'InvalidPart'],
      ['small-first-part.tar', [1024, 5 * 2 ** 20], undefined, 'EntityTooSmall'],
    ] as const;
    for (const [key, sizes, etags, expected] of cases) {
      expect(await completeFailure(client(withLayer), key, [...sizes], etags), key).toBe(expected);
      expect(await completeFailure(client(asShipped), key, [...sizes], etags), key).toBe(expected);
    }
  });

  it('a FULL_OBJECT CRC32 upload: the CRC32 of the whole object, and the same answers as moto as it ships', async () => {
    const fast = await multipartUpload(client(withLayer), 'full-object.tar', 'FULL_OBJECT');
    const shipped = await multipartUpload(client(asShipped), 'full-object.tar', 'FULL_OBJECT');
    expect(fast.checksum).toBe(base64Crc32(WHOLE));
    expect(fast.type).toBe('FULL_OBJECT');
    expect(fast.body.equals(WHOLE)).toBe(true);
    expect({ ...fast, body: undefined }).toEqual({ ...shipped, body: undefined });
    expect(shipped.body.equals(WHOLE)).toBe(true);
  });

  it('a completed object, kept as its parts until read: ranges across part boundaries, a copy, an overwrite, the same as moto as it ships', async () => {
    const answers = [];
    for (const emulator of [withLayer, asShipped]) {
      const s3 = client(emulator);
      const key = 'kept-as-parts.tar';
      const read = async (k: string, range?: string) =>
        Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: k, ...(range ? { Range: range } : {}) }))).Body!.transformToByteArray());
      const { UploadId, parts } = await uploadParts(s3, key, 'FULL_OBJECT', PARTS);
      await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
      // The first read is a range across the first part boundary; the whole object after it.
      const boundary = (PARTS[0] as Buffer).length;
      const range = await read(key, `bytes=${boundary - 10}-${boundary + 9}`);
      const tail = await read(key, `bytes=-17`);
      const whole = await read(key);
      await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copied.tar', CopySource: `${BUCKET}/${key}` }));
      const copied = await read('copied.tar');
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'replaced' }));
      const replaced = await read(key);
      answers.push({ range, tail, whole, copied, replaced: replaced.toString() });
    }
    const [fast, shipped] = answers;
    expect(fast?.range.equals(WHOLE.subarray((PARTS[0] as Buffer).length - 10, (PARTS[0] as Buffer).length + 10))).toBe(true);
    expect(fast?.tail.equals(WHOLE.subarray(WHOLE.length - 17))).toBe(true);
    expect(fast?.whole.equals(WHOLE)).toBe(true);
    expect(fast?.copied.equals(WHOLE)).toBe(true);
    expect(fast?.replaced).toBe('replaced');
    for (const name of ['range', 'tail', 'whole', 'copied'] as const) expect(fast?.[name].equals(shipped?.[name] as Buffer), name).toBe(true);
    expect(shipped?.replaced).toBe('replaced');
  });

  it('a part uploaded again replaces the first in the whole object\'s CRC32, as with moto as it ships', async () => {
    const results = [];
    for (const emulator of [withLayer, asShipped]) {
      const s3 = client(emulator);
      const key = 'part-again.tar';
      const { UploadId, parts } = await uploadParts(s3, key, 'FULL_OBJECT', [randomBytes(5 * 2 ** 20), PARTS[1] as Buffer, PARTS[2] as Buffer]);
      const again = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: PARTS[0], ChecksumAlgorithm: 'CRC32' }));
      parts[0] = { PartNumber: 1, ETag: again.ETag as string, ChecksumCRC32: again.ChecksumCRC32 };
      await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
      results.push((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }))).ChecksumCRC32);
    }
    expect(results).toEqual([base64Crc32(WHOLE), base64Crc32(WHOLE)]);
  });

  it('a body cut short (the client closes before Content-Length bytes) stores nothing, as with moto as it ships', async () => {
    for (const emulator of [withLayer, asShipped]) {
      const { hostname, port } = new URL(emulator.url);
      const socket = connect(Number(port), hostname);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`PUT /${BUCKET}/cut-short.bin HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: 1000000\r\n\r\n`);
      socket.end(Buffer.alloc(1000, 1));
      let answer = '';
      socket.on('data', (data: Buffer) => (answer += data.toString()));
      await new Promise((resolve) => socket.once('close', resolve));
      expect(answer, emulator.url).toMatch(/^HTTP\/1\.1 400 /);
      const missing = await client(emulator)
        .send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cut-short.bin' }))
        .then(() => 'stored', (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode);
      expect(missing, emulator.url).toBe(404);
    }
  });

  it('keeps what an emptied server frees: an upload after reset() is stored in memory the server already has', async () => {
    // Minor page faults of the server process (field 10 of /proc/<pid>/stat): memory it touched for the first time.
    const emulator = await startEmulator();
    const faults = () => Number(readFileSync(`/proc/${emulator.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[7]);
    try {
      const s3 = client(emulator);
      const part = randomBytes(8 * 2 ** 20);
      const stored = 6 * part.length;
      const perRound: number[] = [];
      for (let round = 0; round < 3; round += 1) {
        await emulator.reset();
        await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
        const before = faults();
        await uploadParts(s3, 'reused', 'FULL_OBJECT', Array.from({ length: 6 }, () => part));
        perRound.push(faults() - before);
      }
      // The first upload faults in about what it stores (4 KiB pages); each later one almost
      // nothing (without either of the layer's two changes, the upload right after a reset faulted in most of it again).
      expect(perRound[0]).toBeGreaterThan((0.8 * stored) / 4096);
      expect(Math.max(...perRound.slice(1))).toBeLessThan(perRound[0]! / 10);
    } finally {
      await emulator.stop();
    }
  });

  it('a COMPOSITE CRC32 upload is left to moto: the same answers with and without the layer', async () => {
    const fast = await multipartUpload(client(withLayer), 'composite.tar', 'COMPOSITE');
    const shipped = await multipartUpload(client(asShipped), 'composite.tar', 'COMPOSITE');
    // A checksum of the part checksums, not of the object.
    expect(fast.type).toBe('COMPOSITE');
    expect(fast.checksum).not.toBe(base64Crc32(WHOLE));
    expect({ ...fast, body: undefined }).toEqual({ ...shipped, body: undefined });
    expect(fast.body.equals(WHOLE)).toBe(true);
  });
});
