import { describeAwsError, isAccessDenied, isKmsDenied, mapCommonAwsError, type AwsErrorFacts } from '../aws/aws-errors.js';
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
  message?: string;
  $metadata?: { attempts?: number };
}

/** The error code AWS (or Node) gave, or the error's name. */
export function awsErrorCode(error: unknown): string {
  return describeAwsError(error).name;
}

/**
 * The delivery's code for a failed call: the shared classification of credentials,
 * network and throttling (aws/aws-errors.ts) first, then what the operation's failure
 * means for a delivery.
 */
function pickCode(facts: AwsErrorFacts, context: CallContext): ErrorCode {
  const op = context.operation;
  const common = mapCommonAwsError(facts, op === 'AssumeRole' ? 'source' : 'session');
  if (common) return common;
  if (op === 'AssumeRole') {
    if (isAccessDenied(facts)) return 'ASSUME_ROLE_DENIED';
    if (/DurationSeconds/i.test(facts.message)) return 'SESSION_DURATION_EXCEEDED';
  }
  if (facts.name === 'NoSuchBucket') return 'BUCKET_NOT_FOUND';
  if (isKmsDenied(facts)) return 'KMS_KEY_DENIED';
  if (isAccessDenied(facts)) {
    if (op === 'ListMultipartUploads' || op === 'AbortMultipartUpload') return 'MULTIPART_DENIED';
    if (op === 'HeadObject') return 'READ_DENIED';
    if (op === 'ListObjectsV2') return 'LIST_DENIED';
    return 'WRITE_DENIED';
  }
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
  const facts = describeAwsError(error);
  const awsCode = facts.name;
  const status = facts.httpStatus;
  let code = pickCode(facts, context);
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
  const requestId = facts.requestId;
  return new IonDestError(code, message, {
    source: code.startsWith('SOURCE_') ? 'user' : code === 'AWS_REQUEST_FAILED' || code === 'THROTTLED' ? 'aws' : 'destination',
    cause: error,
    ...(requestId ? { requestId } : {}),
  });
}
