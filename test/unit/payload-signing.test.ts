import { PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as digests from '../../delivery/upload/part-digests.js';
import { rememberPayloadHash, signsPayloadHashes, signUploadPayloads } from '../../delivery/upload/payload-signing.js';

vi.mock('../../delivery/upload/part-digests.js', async (importOriginal) => {
  const original = await importOriginal<typeof digests>();
  return { ...original, digestPart: vi.fn(original.digestPart) };
});

/** What reaches the HTTP handler: the request as signed. */
interface HttpRequest {
  headers: Record<string, string>;
}

/** An S3 client whose requests stop at a handler that records them, as signed, and answers 200. */
function recordingClient(endpoint: string): { client: S3Client; sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    requestHandler: {
      handle: async (request: HttpRequest) => {
        sent.push(request);
        return { response: { statusCode: 200, headers: { etag: '"e"' }, body: Readable.from([]) } };
      },
    },
  });
  signUploadPayloads(client);
  return { client, sent };
}

function partBuffer(length: number, fill: number): Buffer {
  const buffer = digests.takePartBuffer(length + 16);
  buffer.fill(fill);
  return buffer.subarray(16, 16 + length);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const signedHeaders = (request: HttpRequest) => /SignedHeaders=([^,]+)/.exec(request.headers.authorization ?? '')?.[1]?.split(';') ?? [];

describe('signUploadPayloads: how request bodies are bound to their signatures', () => {
  beforeEach(() => {
    vi.mocked(digests.digestPart).mockClear();
  });

  it('over plain HTTP, signs a part buffer with its SHA-256 computed on a digesting thread', async () => {
    const { client, sent } = recordingClient('http://127.0.0.1:9');
    const body = partBuffer(1 << 20, 7);
    await client.send(new UploadPartCommand({ Bucket: 'b', Key: 'k', UploadId: 'u', PartNumber: 1, Body: body, ChecksumAlgorithm: 'CRC32', ChecksumCRC32: 'AAAAAA==' }));
    const [request] = sent;
    expect(request?.headers['x-amz-content-sha256']).toBe(sha256(body));
    expect(signedHeaders(request as HttpRequest)).toContain('x-amz-content-sha256');
    expect(vi.mocked(digests.digestPart)).toHaveBeenCalledWith(body, { sha256: true });
  });

  it('over plain HTTP, signs with a SHA-256 remembered for that body without computing it again', async () => {
    const { client, sent } = recordingClient('http://127.0.0.1:9');
    const body = partBuffer(1 << 20, 8);
    rememberPayloadHash(body, sha256(body));
    await client.send(new UploadPartCommand({ Bucket: 'b', Key: 'k', UploadId: 'u', PartNumber: 1, Body: body, ChecksumAlgorithm: 'CRC32', ChecksumCRC32: 'AAAAAA==' }));
    expect(sent[0]?.headers['x-amz-content-sha256']).toBe(sha256(body));
    expect(vi.mocked(digests.digestPart)).not.toHaveBeenCalled();
  });

  it('tells a plain-HTTP endpoint (payload hashes signed) from HTTPS and from AWS\'s own endpoints', async () => {
    expect(await signsPayloadHashes(recordingClient('http://127.0.0.1:9').client)).toBe(true);
    expect(await signsPayloadHashes(recordingClient('https://s3.example.test').client)).toBe(false);
    expect(await signsPayloadHashes(new S3Client({ region: 'us-east-1' }))).toBe(false);
  });

  it('over plain HTTP, leaves a body outside shared memory to the SDK, which signs its SHA-256 itself', async () => {
    const { client, sent } = recordingClient('http://127.0.0.1:9');
    const body = Buffer.from('{"manifest":true}');
    await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'm.json', Body: body, ChecksumAlgorithm: 'CRC32', ChecksumCRC32: 'AAAAAA==' }));
    expect(sent[0]?.headers['x-amz-content-sha256']).toBe(sha256(body));
    expect(vi.mocked(digests.digestPart)).not.toHaveBeenCalled();
  });

  it('over TLS, signs a body that carries a checksum header with UNSIGNED-PAYLOAD and hashes nothing', async () => {
    const { client, sent } = recordingClient('https://s3.example.test');
    const body = partBuffer(1 << 20, 9);
    await client.send(new UploadPartCommand({ Bucket: 'b', Key: 'k', UploadId: 'u', PartNumber: 1, Body: body, ChecksumAlgorithm: 'CRC32', ChecksumCRC32: 'AAAAAA==' }));
    expect(sent[0]?.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(sent[0]?.headers['x-amz-checksum-crc32']).toBe('AAAAAA==');
    expect(vi.mocked(digests.digestPart)).not.toHaveBeenCalled();
  });

  it('over TLS, a body without a checksum header keeps its SHA-256 in the signature', async () => {
    const { client, sent } = recordingClient('https://s3.example.test');
    const body = Buffer.from('no checksum');
    await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: body }));
    expect(sent[0]?.headers['x-amz-content-sha256']).toBe(sha256(body));
  });
});

describe('digestPart', () => {
  it.each([
    ['a large view over shared memory (digesting thread)', () => partBuffer(3 << 20, 3)],
    ['a small view over shared memory (inline)', () => partBuffer(1000, 4)],
    ['ordinary memory (inline)', () => Buffer.alloc(2 << 20, 5)],
  ])('gives the CRC32 and SHA-256 of %s', async (_name, make) => {
    const { crc32 } = await import('node:zlib');
    const bytes = make();
    expect(await digests.digestPart(bytes, { crc32: true, sha256: true })).toEqual({ crc32: crc32(bytes), sha256Hex: sha256(bytes) });
    expect(await digests.digestPart(bytes, { crc32: true })).toEqual({ crc32: crc32(bytes), sha256Hex: undefined });
  });
});
