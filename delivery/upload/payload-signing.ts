import type { S3Client } from '@aws-sdk/client-s3';
import { digestPart } from './part-digests.js';

const CONFIGURED = new WeakSet<S3Client>();

/** SHA-256s computed with a body's other digests before its request was built (uploadStream). */
const KNOWN_HASHES = new WeakMap<Uint8Array, string>();

/** Remember `body`'s SHA-256 (lower-case hex), so that signing its request does not compute it again. */
export function rememberPayloadHash(body: Uint8Array, sha256Hex: string): void {
  KNOWN_HASHES.set(body, sha256Hex);
}

/**
 * Whether this client's requests go over plain HTTP, so that their bodies' SHA-256 will be
 * signed (an endpoint the user named; AWS's own endpoints are HTTPS).
 */
export async function signsPayloadHashes(client: S3Client): Promise<boolean> {
  const endpoint = client.config.endpoint ? await client.config.endpoint() : undefined;
  return endpoint?.protocol === 'http:';
}

const PAYLOAD_HASH_HEADER = 'x-amz-content-sha256';

/**
 * How this client's request bodies are bound to their signatures (the
 * `x-amz-content-sha256` header, which the SDK's signer uses when it is already set):
 *
 * - Over TLS (the default), a request that carries a flexible checksum header is signed with
 *   `UNSIGNED-PAYLOAD`: S3 verifies the body against that signed CRC32 header, and the
 *   transport protects the body as well, so a SHA-256 of every byte would only cost CPU.
 * - Over plain HTTP (an endpoint the user names, such as a local emulator) the body's
 *   SHA-256 stays in the signature, since a CRC32 alone would not stop a deliberate change;
 *   for a part buffer (a body over shared memory, see part-digests.ts) it is computed on a
 *   digesting thread instead of the main thread, where the signer would compute it, or
 *   taken from `rememberPayloadHash` when it was computed with the part's CRC32.
 *
 * Every other body is hashed by the SDK as usual.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 */
export function signUploadPayloads(client: S3Client): void {
  if (CONFIGURED.has(client)) return;
  CONFIGURED.add(client);
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { protocol?: string; headers?: Record<string, string>; body?: unknown };
      const { headers, body } = request;
      if (headers && body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === PAYLOAD_HASH_HEADER)) {
        const tls = request.protocol === 'https:';
        if (tls && Object.keys(headers).some((h) => h.toLowerCase().startsWith('x-amz-checksum-'))) {
          headers[PAYLOAD_HASH_HEADER] = 'UNSIGNED-PAYLOAD';
        } else if (!tls && body instanceof Uint8Array && body.buffer instanceof SharedArrayBuffer) {
          headers[PAYLOAD_HASH_HEADER] = KNOWN_HASHES.get(body) ?? ((await digestPart(body, { sha256: true })).sha256Hex as string);
        }
      }
      return next(args);
    },
    // After the flexible checksums middleware (build step, normal priority) set its header.
    { step: 'build', priority: 'low', name: 'ionDestUploadPayloadSigning' },
  );
}
