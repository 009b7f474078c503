import { IonDestError, isIonDestError, type ErrorCode } from '../errors/index.js';

/** What the failing call was, for the message. */
export interface CallContext {
  /** AWS operation, e.g. `UploadPart`, `AssumeRole`. */
  operation: string;
  bucket?: string;
  key?: string;
  roleArn?: string;
}

interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

/** Node socket errors that mean the endpoint could not be reached or kept dropping us. */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'TimeoutError']);
const THROTTLING_ERRORS = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);

/** The error code AWS (or Node) gave, or the error's name. */
export function awsErrorCode(error: unknown): string {
  const e = error as SdkErrorShape;
  return e?.Code ?? e?.name ?? e?.code ?? 'Error';
}

function pickCode(awsCode: string, status: number | undefined, context: CallContext, error: unknown): ErrorCode {
  const op = context.operation;
  const nodeCode = (error as { code?: string })?.code;
  if (op === 'AssumeRole') {
    if (awsCode === 'CredentialsProviderError') return 'SOURCE_CREDENTIALS_MISSING';
    if (awsCode === 'InvalidClientTokenId' || awsCode === 'SignatureDoesNotMatch') return 'SOURCE_CREDENTIALS_INVALID';
    if (awsCode === 'ExpiredToken' || awsCode === 'ExpiredTokenException') return 'SOURCE_CREDENTIALS_EXPIRED';
    if (awsCode === 'AccessDenied' || status === 403) return 'ASSUME_ROLE_DENIED';
    if (/DurationSeconds/i.test((error as Error)?.message ?? '')) return 'SESSION_DURATION_EXCEEDED';
  }
  if (awsCode === 'ExpiredToken' || awsCode === 'ExpiredTokenException') return 'SESSION_EXPIRED';
  if (awsCode === 'NoSuchBucket') return 'BUCKET_NOT_FOUND';
  if (awsCode.startsWith('KMS.') || /kms/i.test(awsCode)) return 'KMS_KEY_DENIED';
  if (awsCode === 'AccessDenied' || status === 403) {
    if (op === 'ListMultipartUploads' || op === 'AbortMultipartUpload') return 'MULTIPART_DENIED';
    if (op === 'HeadObject') return 'READ_DENIED';
    return 'WRITE_DENIED';
  }
  if (THROTTLING_ERRORS.has(awsCode)) return 'THROTTLED';
  if (NETWORK_ERRORS.has(awsCode) || (nodeCode !== undefined && NETWORK_ERRORS.has(nodeCode))) return 'ENDPOINT_UNREACHABLE';
  return 'AWS_REQUEST_FAILED';
}

/**
 * Map an SDK (or socket) error from one call to an IonDestError with a stable code and a
 * message naming the call, the target, the AWS error code and the request ID. Errors
 * already mapped pass through. `fallback` replaces the generic codes (throttling,
 * unreachable, other) for calls whose failure has a more telling name (an upload).
 */
export function toIonDestError(error: unknown, context: CallContext, fallback?: ErrorCode): IonDestError {
  if (isIonDestError(error)) return error;
  const e = error as SdkErrorShape;
  const awsCode = awsErrorCode(error);
  const status = e?.$metadata?.httpStatusCode;
  let code = pickCode(awsCode, status, context, error);
  if (fallback && (code === 'AWS_REQUEST_FAILED' || code === 'THROTTLED' || code === 'ENDPOINT_UNREACHABLE')) code = fallback;
  const target = context.key ? ` s3://${context.bucket}/${context.key}` : context.bucket ? ` s3://${context.bucket}` : context.roleArn ? ` ${context.roleArn}` : '';
  const attempts = e?.$metadata?.attempts;
  const detail = [
    `${awsCode}${status ? ` (HTTP ${status})` : ''}`,
    attempts && attempts > 1 ? `after ${attempts} attempts` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const message = `${context.operation}${target} failed: ${detail}: ${e?.message ?? String(error)}`;
  const requestId = e?.$metadata?.requestId;
  return new IonDestError(code, message, {
    source: code.startsWith('SOURCE_') ? 'user' : code === 'AWS_REQUEST_FAILED' || code === 'THROTTLED' ? 'aws' : 'destination',
    cause: error,
    ...(requestId ? { requestId } : {}),
  });
}
