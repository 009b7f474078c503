import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createCipheriv } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import { crc32ToBase64, uploadStream, type StreamUploadOptions } from '../../delivery/stream-upload.js';
import { EMULATOR_ROOT_CREDENTIALS, startEmulator, type Emulator } from '../emulator/emulator.js';

const BUCKET = 'stream-upload';
const PART = 5 * 2 ** 20;
const CONCURRENCY = 3;

/** Deterministic bytes (AES-CTR over zeros). */
function bytes(length: number, seed: number): Buffer {
  const key = Buffer.alloc(16, seed);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length));
}

/** `data` in chunks of the given sizes, in turn (the way a packer yields headers and file data). */
async function* chunks(data: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length] as number;
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

interface Sent {
  command: string;
  partNumber?: number;
  bodyLength?: number;
  checksum?: string;
}

/**
 * uploadStream against the emulator, whose fidelity layer checks every part's CRC32
 * header against the bytes it receives (BadDigest otherwise), as S3 does.
 */
describe('uploadStream: parts from reused buffers, each with its own CRC32', () => {
  let emulator: Emulator;
  let s3: S3Client;
  let sent: Sent[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  /** Fail UploadPart of this part number for good (set by a test). */
  let failPart: number | undefined;

  beforeAll(async () => {
    emulator = await startEmulator();
    s3 = createS3Client({ region: 'us-east-1', endpointUrl: emulator.url, credentials: EMULATOR_ROOT_CREDENTIALS, expectedBucketOwner: undefined, maxAttempts: 1 });
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { PartNumber?: number; Body?: Uint8Array; ChecksumCRC32?: string };
        sent.push({ command: context.commandName as string, partNumber: input.PartNumber, bodyLength: input.Body?.length, checksum: input.ChecksumCRC32 });
        if (context.commandName !== 'UploadPartCommand') return next(args);
        if (input.PartNumber === failPart) throw Object.assign(new Error(`part ${failPart} refused by the test`), { name: 'TestRefusal' });
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        try {
          return await next(args);
        } finally {
          inFlight -= 1;
        }
      },
      { step: 'initialize', name: 'testRecordRequests' },
    );
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  afterAll(async () => {
    s3?.destroy();
    await emulator?.stop();
  });

  afterEach(() => {
    failPart = undefined;
    vi.restoreAllMocks();
  });

  function upload(key: string, body: AsyncIterable<Uint8Array>, extra: Partial<StreamUploadOptions> = {}) {
    sent = [];
    mostInFlight = 0;
    return uploadStream({ client: s3, bucket: BUCKET, key, body, partSize: PART, concurrency: CONCURRENCY, maxParts: 10_000, contentType: 'application/x-tar', ...extra });
  }

  async function stored(key: string): Promise<Buffer> {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  }

  it.each([
    ['an empty stream', 0, [1], ['PutObjectCommand']],
    ['a stream smaller than a part', 70_000, [4096, 512], ['PutObjectCommand']],
    ['exactly one part', PART, [1 << 20], ['PutObjectCommand']],
    ['one byte more than a part', PART + 1, [1 << 20], ['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']],
  ])('%s: one PutObject up to a full part, a multipart upload beyond; the bytes and CRC32 stored', async (_name, length, sizes, commands) => {
    const data = bytes(length as number, 1);
    const key = `sizes/${length}.tar`;
    const result = await upload(key, chunks(data, sizes as number[]));
    expect(sent.map((s) => s.command)).toEqual(commands);
    expect(result).toMatchObject({ size: length, crc32: crc32(data), partCount: (commands as string[]).length === 1 ? 1 : 2 });
    expect((await stored(key)).equals(data)).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumCRC32).toBe(crc32ToBase64(crc32(data)));
  });

  it('cuts parts at multiples of the part size whatever the chunks, each sent with its own CRC32, at most `concurrency` at once, from concurrency + 1 buffers', async () => {
    const allocate = vi.spyOn(Buffer, 'allocUnsafeSlow');
    const data = bytes(7 * PART + 12_345, 2);
    const key = 'multi/odd-chunks.tar';
    const progress: number[] = [];
    const result = await upload(key, chunks(data, [1, 65_536, 3 * 2 ** 20 + 7, 512]), { onProgress: (n) => progress.push(n) });

    const parts = sent.filter((s) => s.command === 'UploadPartCommand');
    expect(parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parts.map((p) => p.bodyLength)).toEqual([...Array(7).fill(PART), 12_345]);
    parts.forEach((p, i) => expect(p.checksum, `part ${i + 1}`).toBe(crc32ToBase64(crc32(data.subarray(i * PART, (i + 1) * PART)))));
    expect(result).toMatchObject({ size: data.length, crc32: crc32(data), partCount: 8 });
    expect((await stored(key)).equals(data)).toBe(true);

    expect(mostInFlight).toBe(CONCURRENCY);
    const partBuffers = allocate.mock.calls.filter(([size]) => size === PART).length;
    expect(partBuffers).toBeGreaterThan(0);
    expect(partBuffers).toBeLessThanOrEqual(CONCURRENCY + 1);
    expect(progress.at(-1)).toBe(data.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('a part refused for good fails the upload with that error, sends nothing after it, and reports the upload to abort', async () => {
    failPart = 3;
    let created: string | undefined;
    const key = 'failures/part.tar';
    await expect(upload(key, chunks(bytes(8 * PART, 3), [1 << 20]), { onUploadCreated: (id) => (created = id) })).rejects.toThrow('part 3 refused by the test');
    expect(created).toBeDefined();
    const partNumbers = sent.filter((s) => s.command === 'UploadPartCommand').map((s) => s.partNumber as number);
    expect(Math.max(...partNumbers)).toBeLessThanOrEqual(3 + CONCURRENCY);
    expect(sent.some((s) => s.command === 'CompleteMultipartUploadCommand')).toBe(false);
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: key }));
    expect(listed.Uploads?.map((u) => u.UploadId)).toEqual([created]);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: created }));
  });

  it('a stream that fails mid-way fails the upload with the stream\'s error, after the parts in flight settle', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield* chunks(bytes(3 * PART, 4), [1 << 20]);
      throw new Error('source read failed');
    }
    let created: string | undefined;
    await expect(upload('failures/stream.tar', broken(), { onUploadCreated: (id) => (created = id) })).rejects.toThrow('source read failed');
    expect(inFlight).toBe(0);
    expect(sent.some((s) => s.command === 'CompleteMultipartUploadCommand')).toBe(false);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'failures/stream.tar', UploadId: created }));
  });

  it('stops when its signal aborts, with the signal\'s reason', async () => {
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<Buffer> {
      yield* chunks(bytes(2 * PART, 5), [1 << 20]);
      controller.abort(new Error('stopped by the user'));
      yield* chunks(bytes(2 * PART, 6), [1 << 20]);
    }
    let created: string | undefined;
    await expect(upload('failures/aborted.tar', slow(), { signal: controller.signal, onUploadCreated: (id) => (created = id) })).rejects.toThrow('stopped by the user');
    expect(inFlight).toBe(0);
    if (created) await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'failures/aborted.tar', UploadId: created }));
  });

  it('refuses to go past maxParts', async () => {
    let created: string | undefined;
    await expect(upload('failures/too-many.tar', chunks(bytes(3 * PART + 1, 7), [1 << 20]), { maxParts: 2, onUploadCreated: (id) => (created = id) })).rejects.toThrow(
      `s3://${BUCKET}/failures/too-many.tar needs more than 2 parts of ${PART} bytes`,
    );
    expect(sent.filter((s) => s.command === 'UploadPartCommand').map((s) => s.partNumber)).toEqual([1, 2]);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'failures/too-many.tar', UploadId: created }));
  });
});
