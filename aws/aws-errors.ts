import { IonDestError, type ErrorCode } from '../errors/index.js';

/** What an AWS SDK error says, read defensively (any field may be missing). */
export interface AwsErrorFacts {
  /** AWS error code (`AccessDenied`, `NoSuchBucket`, …) or the Node error code for network failures. */
  name: string;
  message: string;
  httpStatus: number | undefined;
  requestId: string | undefined;
  /** `x-amz-bucket-region` of an S3 error response, when S3 sent one. */
  bucketRegion: string | undefined;
  /** How many times the SDK sent the request (retries included), when it says. */
  attempts: number | undefined;
}

/** Node socket errors that mean the endpoint was never reached. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
]);

/**
 * Error codes AWS uses for throttling; the SDK retried them already.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

/** AWS answers with these when the signing credentials are not (or no longer) valid. */
const EXPIRED_CODES = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);
const INVALID_CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'UnrecognizedClientException',
  'InvalidToken',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string; attempts?: number };
  $response?: { headers?: Record<string, string | undefined> };
  BucketRegion?: unknown;
}

/** Read the facts out of whatever the SDK threw. */
export function describeAwsError(error: unknown): AwsErrorFacts {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const cause = (typeof e.cause === 'object' && e.cause !== null ? e.cause : {}) as SdkErrorShape;
  const nodeCode = typeof e.code === 'string' ? e.code : typeof cause.code === 'string' ? cause.code : undefined;
  const sdkName = typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : undefined;
  const name = nodeCode && NETWORK_ERROR_CODES.has(nodeCode) ? nodeCode : (sdkName ?? nodeCode ?? 'Error');
  const headers = e.$response?.headers ?? {};
  const region = headers['x-amz-bucket-region'] ?? (typeof e.BucketRegion === 'string' ? e.BucketRegion : undefined);
  const rawMessage = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  return {
    name,
    message: rawMessage === 'UnknownError' ? `HTTP ${e.$metadata?.httpStatusCode ?? '?'}` : rawMessage,
    httpStatus: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId ?? headers['x-amz-request-id'],
    bucketRegion: region,
    attempts: e.$metadata?.attempts,
  };
}

/** Which credentials signed the failing call: the source's (STS) or the role session's (S3). */
export type CredentialKind = 'source' | 'session';

/**
 * Codes that mean the same thing whatever the call: credentials, network, throttling.
 * Undefined when the error is specific to the call.
 */
export function mapCommonAwsError(facts: AwsErrorFacts, kind: CredentialKind): ErrorCode | undefined {
  if (facts.name === 'CredentialsProviderError') return 'SOURCE_CREDENTIALS_MISSING';
  if (NETWORK_ERROR_CODES.has(facts.name)) return 'ENDPOINT_UNREACHABLE';
  if (THROTTLING_CODES.has(facts.name) || facts.httpStatus === 429) return 'THROTTLED';
  if (EXPIRED_CODES.has(facts.name)) return kind === 'source' ? 'SOURCE_CREDENTIALS_EXPIRED' : 'SESSION_EXPIRED';
  if (INVALID_CREDENTIAL_CODES.has(facts.name) && kind === 'source') return 'SOURCE_CREDENTIALS_INVALID';
  return undefined;
}

/** True for S3's and STS's access-denied answers. */
export function isAccessDenied(facts: AwsErrorFacts): boolean {
  return facts.name === 'AccessDenied' || facts.name === 'AccessDeniedException' || facts.httpStatus === 403;
}

/**
 * True when S3 refused because of the bucket's KMS key (S3 relays KMS's denial as
 * AccessDenied naming a `kms:` action, or as a `KMS.*` error code).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
 */
export function isKmsDenied(facts: AwsErrorFacts): boolean {
  return facts.name.startsWith('KMS.') || /\bkms:|KMS key|\bKMS\b/i.test(facts.message);
}

/**
 * What a failed S3 call on the customer's bucket means, by operation, for the calls the
 * delivery and cleanup make with the role session: a missing bucket, the bucket's KMS key,
 * and which permission of the setup guide a denial points at.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
 */
export function mapDestinationS3Error(operation: string): (facts: AwsErrorFacts) => ErrorCode | undefined {
  return (facts) => {
    if (facts.name === 'NoSuchBucket') return 'BUCKET_NOT_FOUND';
    if (isKmsDenied(facts)) return 'KMS_KEY_DENIED';
    if (!isAccessDenied(facts)) return undefined;
    if (operation === 'ListMultipartUploads' || operation === 'AbortMultipartUpload') return 'MULTIPART_DENIED';
    if (operation === 'HeadObject') return 'READ_DENIED';
    if (operation === 'ListObjectsV2') return 'LIST_DENIED';
    return 'WRITE_DENIED';
  };
}

/** Codes that say only that AWS (or the endpoint) failed, not what it refused. */
const GENERIC_CODES: ReadonlySet<ErrorCode> = new Set(['AWS_REQUEST_FAILED', 'THROTTLED', 'ENDPOINT_UNREACHABLE']);

/**
 * Map an SDK (or socket) error at its call site, the one reading of AWS errors: the common
 * codes (credentials, network, throttling), then the call's own rule (`specific`), then
 * AWS_REQUEST_FAILED. `fallback` replaces the generic codes (throttling, unreachable,
 * other) for a call whose failure has a more telling name (an upload: UPLOAD_FAILED).
 * Errors already mapped pass through. The message names the call (`call`, e.g.
 * `UploadPart s3://bucket/key`), AWS's error code and HTTP status, the SDK's attempts
 * when it retried, and AWS's message; the request ID is kept.
 *
 * Whose move it is follows what AWS answered, before any fallback: the source credentials'
 * problems are the user's; a generic failure (including an endpoint that could not be
 * reached: AWS's endpoint, or the one `--endpoint-url` named) is AWS's; a refusal or a
 * missing bucket, role or session is the destination's.
 */
export function toIonDestError(
  error: unknown,
  call: string,
  kind: CredentialKind,
  specific: (facts: AwsErrorFacts) => ErrorCode | undefined = () => undefined,
  fallback?: ErrorCode,
): IonDestError {
  if (error instanceof IonDestError) return error;
  const facts = describeAwsError(error);
  // Credentials, network and throttling first: a 403 for a bad key is not the destination's fault.
  const read = mapCommonAwsError(facts, kind) ?? specific(facts) ?? 'AWS_REQUEST_FAILED';
  const code = fallback && GENERIC_CODES.has(read) ? fallback : read;
  const status = facts.httpStatus ? ` (HTTP ${facts.httpStatus})` : '';
  const attempts = facts.attempts && facts.attempts > 1 ? ` after ${facts.attempts} attempts` : '';
  return new IonDestError(code, `${call} failed: ${facts.name}${status}${attempts}: ${facts.message}`, {
    source: read.startsWith('SOURCE_') ? 'user' : GENERIC_CODES.has(read) ? 'aws' : 'destination',
    cause: error,
    ...(facts.requestId ? { requestId: facts.requestId } : {}),
  });
}

/** How a call on an S3 bucket or object reads in a message: `HeadObject s3://bucket/key`. */
export function s3Call(operation: string, bucket: string, key?: string): string {
  return `${operation} s3://${bucket}${key ? `/${key}` : ''}`;
}
