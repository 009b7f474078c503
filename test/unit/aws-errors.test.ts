import { S3ServiceException } from '@aws-sdk/client-s3';
import { STSServiceException } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { IonDestError, TROUBLESHOOTING, type ErrorCode } from '../../errors/index.js';
import {
  describeAwsError,
  mapDestinationS3Error,
  s3Call,
  toIonDestError,
  type AwsErrorFacts,
  type CredentialKind,
} from '../../aws/aws-errors.js';
import { mapAssumeRoleError } from '../../destination/index.js';

/** An error shaped as the SDK throws it (the only place the SDK is imitated). */
function sdkError(service: 's3' | 'sts', name: string, status: number, message = name, headers: Record<string, string> = {}) {
  const Exception = service === 's3' ? S3ServiceException : STSServiceException;
  const error = new Exception({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    message,
    $metadata: { httpStatusCode: status, requestId: 'REQ123' },
  });
  // The SDK's error deserializer attaches the raw response after construction.
  return Object.assign(error, { $response: { statusCode: status, headers, body: undefined } });
}

function networkError(code: string) {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
}

/** With the SDK's retry count, as it reports it after retrying. */
function retried<E extends object>(error: E, attempts: number): E {
  const withMetadata = error as E & { $metadata?: Record<string, unknown> };
  withMetadata.$metadata = { ...withMetadata.$metadata, attempts };
  return error;
}

const kmsDenied = () =>
  sdkError('s3', 'AccessDenied', 403, 'User: x is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:us-east-1:1:key/k');

type Side = 'user' | 'destination' | 'aws';
interface Case {
  name: string;
  error: unknown;
  call: string;
  kind: CredentialKind;
  specific?: (facts: AwsErrorFacts) => ErrorCode | undefined;
  fallback?: ErrorCode;
  code: ErrorCode;
  side?: Side;
}

const assumeRole = (name: string, error: unknown, code: ErrorCode, side?: Side): Case => ({
  name: `AssumeRole: ${name}`,
  error,
  call: 'AssumeRole on R',
  kind: 'source',
  specific: mapAssumeRoleError,
  code,
  ...(side ? { side } : {}),
});
/** A call the delivery or cleanup makes on the customer's bucket with the role session. */
const destination = (operation: string, name: string, error: unknown, code: ErrorCode, side?: Side, fallback?: ErrorCode): Case => ({
  name: `${operation} on the destination: ${name}`,
  error,
  call: s3Call(operation, 'b', 'k'),
  kind: 'session',
  specific: mapDestinationS3Error(operation),
  ...(fallback ? { fallback } : {}),
  code,
  ...(side ? { side } : {}),
});
/** A call with First Resonance's own credentials (the attachments bucket). */
const ownBucket = (name: string, error: unknown, code: ErrorCode, side?: Side): Case => ({
  name: `GetObject on the attachments bucket: ${name}`,
  error,
  call: s3Call('GetObject', 'attachments', 'a.pdf'),
  kind: 'source',
  code,
  ...(side ? { side } : {}),
});

describe('reading AWS errors: one function for every call site', () => {
  const cases: Case[] = [
    assumeRole('AccessDenied', sdkError('sts', 'AccessDenied', 403, 'User: x is not authorized to perform: sts:AssumeRole'), 'ASSUME_ROLE_DENIED', 'destination'),
    assumeRole('DurationSeconds over the role maximum', sdkError('sts', 'ValidationError', 400, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'), 'SESSION_DURATION_EXCEEDED', 'destination'),
    assumeRole('DurationSeconds over the role-chaining hour', sdkError('sts', 'ValidationError', 400, 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'), 'SESSION_DURATION_EXCEEDED'),
    assumeRole('another validation error is not about the duration', sdkError('sts', 'ValidationError', 400, '1 validation error detected: Value at roleSessionName failed to satisfy constraint'), 'AWS_REQUEST_FAILED', 'aws'),
    assumeRole('an expired source token', sdkError('sts', 'ExpiredToken', 400, 'The security token included in the request is expired'), 'SOURCE_CREDENTIALS_EXPIRED', 'user'),
    assumeRole('an unknown access key', sdkError('sts', 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.'), 'SOURCE_CREDENTIALS_INVALID', 'user'),
    assumeRole('a wrong secret', sdkError('sts', 'SignatureDoesNotMatch', 403), 'SOURCE_CREDENTIALS_INVALID'),
    assumeRole('no credentials anywhere', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'SOURCE_CREDENTIALS_MISSING', 'user'),
    assumeRole('throttling', sdkError('sts', 'Throttling', 400, 'Rate exceeded'), 'THROTTLED', 'aws'),
    assumeRole('a refused connection', networkError('ECONNREFUSED'), 'ENDPOINT_UNREACHABLE', 'aws'),
    assumeRole('a DNS failure', networkError('ENOTFOUND'), 'ENDPOINT_UNREACHABLE', 'aws'),
    assumeRole('a server error', sdkError('sts', 'InternalFailure', 500), 'AWS_REQUEST_FAILED', 'aws'),

    destination('PutObject', 'an expired session', sdkError('s3', 'ExpiredToken', 400), 'SESSION_EXPIRED', 'destination'),
    destination('PutObject', 'SlowDown', sdkError('s3', 'SlowDown', 503), 'THROTTLED', 'aws'),
    destination('PutObject', 'HTTP 429', sdkError('s3', 'TooManyRequests', 429), 'THROTTLED'),
    // A session's key is not the source credentials: S3's 403 is read as the call's denial.
    destination('PutObject', 'an invalid key is not blamed on the source credentials', sdkError('s3', 'InvalidAccessKeyId', 403), 'WRITE_DENIED', 'destination'),
    destination('HeadObject', 'a missing bucket', sdkError('s3', 'NoSuchBucket', 404), 'BUCKET_NOT_FOUND', 'destination'),
    destination('UploadPart', "the bucket's KMS key refused", kmsDenied(), 'KMS_KEY_DENIED', 'destination'),
    destination('ListMultipartUploads', 'denied', sdkError('s3', 'AccessDenied', 403), 'MULTIPART_DENIED', 'destination'),
    destination('AbortMultipartUpload', 'denied', sdkError('s3', 'AccessDenied', 403), 'MULTIPART_DENIED'),
    destination('HeadObject', 'denied', sdkError('s3', 'AccessDenied', 403), 'READ_DENIED'),
    destination('ListObjectsV2', 'denied', sdkError('s3', 'AccessDenied', 403), 'LIST_DENIED'),
    destination('DeleteObject', 'denied', sdkError('s3', 'AccessDenied', 403), 'WRITE_DENIED'),
    destination('Upload', 'denied', sdkError('s3', 'AccessDenied', 403), 'WRITE_DENIED', 'destination', 'UPLOAD_FAILED'),
    // An endpoint that cannot be reached is AWS's (or the --endpoint-url's), never the customer's setup.
    destination('HeadObject', 'a refused connection', networkError('ECONNREFUSED'), 'ENDPOINT_UNREACHABLE', 'aws'),
    // The fallback renames the generic codes only; whose move it is stays what AWS answered.
    destination('Upload', 'HTTP 500 after every retry', retried(sdkError('s3', 'InternalError', 500), 3), 'UPLOAD_FAILED', 'aws', 'UPLOAD_FAILED'),
    destination('Upload', 'throttled after every retry', sdkError('s3', 'SlowDown', 503), 'UPLOAD_FAILED', 'aws', 'UPLOAD_FAILED'),
    destination('Upload', 'a reset connection', networkError('ECONNRESET'), 'UPLOAD_FAILED', 'aws', 'UPLOAD_FAILED'),
    destination('Upload', 'an expired session is not a generic failure', sdkError('s3', 'ExpiredToken', 400), 'SESSION_EXPIRED', 'destination', 'UPLOAD_FAILED'),

    ownBucket('an expired token is First Resonance\'s to renew', sdkError('s3', 'ExpiredToken', 400), 'SOURCE_CREDENTIALS_EXPIRED', 'user'),
    ownBucket('a server error', sdkError('s3', 'InternalError', 500), 'AWS_REQUEST_FAILED', 'aws'),
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const mapped = toIonDestError(c.error, c.call, c.kind, c.specific, c.fallback);
    expect(mapped.code).toBe(c.code);
    if (c.side) expect(mapped.source).toBe(c.side);
    expect(mapped.message.startsWith(`${c.call} failed: `)).toBe(true);
    expect(TROUBLESHOOTING[mapped.code].fix).toBeTruthy();
  });

  it('names the call, the AWS error, its HTTP status, the retries and AWS\'s message; keeps the request ID', () => {
    const mapped = toIonDestError(retried(sdkError('s3', 'InternalError', 500, 'We encountered an internal error.'), 3), s3Call('Upload', 'b', 'a/x.tar'), 'session', mapDestinationS3Error('Upload'), 'UPLOAD_FAILED');
    expect(mapped.message).toBe('Upload s3://b/a/x.tar failed: InternalError (HTTP 500) after 3 attempts: We encountered an internal error.');
    expect(mapped.requestId).toBe('REQ123');
    expect(toIonDestError(sdkError('sts', 'AccessDenied', 403), 'AssumeRole on R', 'source', mapAssumeRoleError).message).toBe('AssumeRole on R failed: AccessDenied (HTTP 403): AccessDenied');
    expect(s3Call('ListMultipartUploads', 'b')).toBe('ListMultipartUploads s3://b');
  });

  it('passes an error already mapped through unchanged', () => {
    const mapped = new IonDestError('ATTACHMENT_CHANGED', 'changed', { source: 'aws' });
    expect(toIonDestError(mapped, 'x', 'session', mapDestinationS3Error('Upload'), 'UPLOAD_FAILED')).toBe(mapped);
  });
});

describe('reading what an AWS error says', () => {
  it('reads the bucket region S3 names in a redirect', () => {
    const facts = describeAwsError(sdkError('s3', 'PermanentRedirect', 301, 'moved', { 'x-amz-bucket-region': 'eu-west-1' }));
    expect(facts).toMatchObject({ name: 'PermanentRedirect', httpStatus: 301, bucketRegion: 'eu-west-1', requestId: 'REQ123' });
  });

  it('names the HTTP status when S3 sent no error body (HEAD)', () => {
    const facts = describeAwsError(sdkError('s3', 'NotFound', 404, 'UnknownError'));
    expect(facts.message).toBe('HTTP 404');
  });
});
