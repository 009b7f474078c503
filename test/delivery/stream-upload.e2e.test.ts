import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createCipheriv, createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import { crc32ToBase64, uploadStream, type StreamUploadOptions } from '../../delivery/upload/stream-upload.js';
import { EMULATOR_ROOT_CREDENTIALS, startEmulator, type Emulator } from '../../emulator/emulator.js';

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
  /** The memory the body is a view of. */
  bodyMemory?: ArrayBufferLike;
}

/** What went on the wire for one request, after signing. */
interface Signed {
  command: string;
  payloadHash: string | undefined;
  body: Uint8Array | undefined;
}

/**
 * uploadStream against the emulator, whose fidelity layer checks every part's CRC32
 * header against the bytes it receives (BadDigest otherwise), as S3 does.
 */
describe('uploadStream: parts from reused buffers, each with its own CRC32', () => {
  let emulator: Emulator;
  let s3: S3Client;
  let sent: Sent[] = [];
  let signed: Signed[] = [];
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
        sent.push({ command: context.commandName as string, partNumber: input.PartNumber, bodyLength: input.Body?.length, checksum: input.ChecksumCRC32, bodyMemory: input.Body?.buffer });
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
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const request = args.request as { headers: Record<string, string>; body?: unknown };
        signed.push({ command: context.commandName as string, payloadHash: request.headers['x-amz-content-sha256'], body: request.body instanceof Uint8Array ? request.body : undefined });
        return next(args);
      },
      // After signing: the headers as sent.
      { step: 'finalizeRequest', priority: 'low', name: 'testRecordSignedRequests' },
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
    signed = [];
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
    const data = bytes(7 * PART + 12_345, 2);
    const key = 'multi/odd-chunks.tar';
    const progress: number[] = [];
    const result = await upload(key, chunks(data, [1, 65_536, 3 * 2 ** 20 + 7, 512]), { onProgress: (n) => progress.push(n) });

    // Parts go out as their digests are ready, not necessarily in order.
    const parts = sent.filter((s) => s.command === 'UploadPartCommand').sort((a, b) => (a.partNumber as number) - (b.partNumber as number));
    expect(parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parts.map((p) => p.bodyLength)).toEqual([...Array(7).fill(PART), 12_345]);
    parts.forEach((p, i) => expect(p.checksum, `part ${i + 1}`).toBe(crc32ToBase64(crc32(data.subarray(i * PART, (i + 1) * PART)))));
    expect(result).toMatchObject({ size: data.length, crc32: crc32(data), partCount: 8 });
    expect((await stored(key)).equals(data)).toBe(true);

    expect(mostInFlight).toBe(CONCURRENCY);
    // Every part is a view of one of at most concurrency + 1 buffers, in memory the digesting threads share.
    const buffers = new Set(parts.map((p) => p.bodyMemory));
    expect(buffers.size).toBeGreaterThan(1);
    expect(buffers.size).toBeLessThanOrEqual(CONCURRENCY + 1);
    for (const memory of buffers) expect(memory).toBeInstanceOf(SharedArrayBuffer);
    expect(progress.at(-1)).toBe(data.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('a later upload takes the part buffers an earlier one gave back, instead of allocating its own', async () => {
    const memoryOf = () => new Set(sent.filter((s) => s.command === 'UploadPartCommand').map((s) => s.bodyMemory));
    await upload('multi/first.tar', chunks(bytes(6 * PART, 10), [1 << 20]));
    const first = memoryOf();
    await upload('multi/second.tar', chunks(bytes(6 * PART, 11), [1 << 20]));
    const second = memoryOf();
    expect(second.size).toBeGreaterThan(1);
    for (const memory of second) expect(first.has(memory)).toBe(true);
  });

  it('over plain HTTP every part is signed with the SHA-256 of its bytes', async () => {
    const data = bytes(3 * PART + 99, 8);
    await upload('multi/signed.tar', chunks(data, [1 << 20]));
    const parts = signed.filter((s) => s.command === 'UploadPartCommand');
    expect(parts).toHaveLength(4);
    for (const part of parts) expect(part.payloadHash).toBe(createHash('sha256').update(part.body as Uint8Array).digest('hex'));
  });

  it('with `multipart`, creates the upload before the first part is read, and completes it even with one part', async () => {
    const log: string[] = [];
    async function* logged(data: Buffer): AsyncGenerator<Buffer> {
      for await (const chunk of chunks(data, [1 << 20])) {
        log.push('read');
        yield chunk;
      }
    }
    const data = bytes(PART - 1, 9);
    const key = 'multi/known-size.tar';
    let created: string | undefined;
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'CreateMultipartUploadCommand') log.push('create');
        return next(args);
      },
      { step: 'initialize', name: 'testLogCreate' },
    );
    try {
      const result = await upload(key, logged(data), { multipart: true, onUploadCreated: (id) => (created = id) });
      expect(log[0]).toBe('create');
      expect(result).toMatchObject({ size: data.length, crc32: crc32(data), partCount: 1 });
      expect(sent.map((s) => s.command)).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
      expect(created).toBeDefined();
      expect((await stored(key)).equals(data)).toBe(true);
    } finally {
      s3.middlewareStack.remove('testLogCreate');
    }
  });

  it('with `multipart`, a stream that fails at once still reports the upload it created, so the caller can abort it', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield* [];
      throw new Error('source unreadable');
    }
    let created: string | undefined;
    await expect(upload('failures/early.tar', failing(), { multipart: true, onUploadCreated: (id) => (created = id) })).rejects.toThrow('source unreadable');
    expect(created).toBeDefined();
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'failures/early.tar', UploadId: created }));
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
    expect(sent.filter((s) => s.command === 'UploadPartCommand').map((s) => s.partNumber).sort()).toEqual([1, 2]);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'failures/too-many.tar', UploadId: created }));
  });
});
