import { S3ServiceException } from '@aws-sdk/client-s3';
import { STSServiceException } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { TROUBLESHOOTING } from '../../errors/index.js';
import { describeAwsError, toIonDestError } from '../../aws/aws-errors.js';
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

describe('mapping AWS errors at the AssumeRole call site', () => {
  it.each([
    ['AccessDenied', sdkError('sts', 'AccessDenied', 403, 'User: x is not authorized to perform: sts:AssumeRole'), 'ASSUME_ROLE_DENIED'],
    ['DurationSeconds over the role maximum', sdkError('sts', 'ValidationError', 400, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'), 'SESSION_DURATION_EXCEEDED'],
    ['an expired source token', sdkError('sts', 'ExpiredToken', 400, 'The security token included in the request is expired'), 'SOURCE_CREDENTIALS_EXPIRED'],
    ['an unknown access key', sdkError('sts', 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.'), 'SOURCE_CREDENTIALS_INVALID'],
    ['a wrong secret', sdkError('sts', 'SignatureDoesNotMatch', 403), 'SOURCE_CREDENTIALS_INVALID'],
    ['no credentials anywhere', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'SOURCE_CREDENTIALS_MISSING'],
    ['throttling', sdkError('sts', 'Throttling', 400, 'Rate exceeded'), 'THROTTLED'],
    ['a refused connection', networkError('ECONNREFUSED'), 'ENDPOINT_UNREACHABLE'],
    ['a DNS failure', networkError('ENOTFOUND'), 'ENDPOINT_UNREACHABLE'],
    ['a server error', sdkError('sts', 'InternalFailure', 500), 'AWS_REQUEST_FAILED'],
  ])('%s', (_name, error, code) => {
    const mapped = toIonDestError(error, 'AssumeRole on R', 'source', mapAssumeRoleError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(/^AssumeRole on R failed: /);
    expect(TROUBLESHOOTING[mapped.code].fix).toBeTruthy();
  });

  it('keeps the request ID and the source of the fault', () => {
    const mapped = toIonDestError(sdkError('sts', 'AccessDenied', 403), 'AssumeRole on R', 'source', mapAssumeRoleError);
    expect(mapped.requestId).toBe('REQ123');
    expect(mapped.source).toBe('destination');
    expect(toIonDestError(sdkError('sts', 'ExpiredToken', 400), 'x', 'source').source).toBe('user');
  });
});

describe('mapping AWS errors from S3 calls made with the role session', () => {
  it.each([
    ['an expired session', sdkError('s3', 'ExpiredToken', 400), 'SESSION_EXPIRED'],
    ['SlowDown', sdkError('s3', 'SlowDown', 503), 'THROTTLED'],
    ['HTTP 429', sdkError('s3', 'TooManyRequests', 429), 'THROTTLED'],
    ['an invalid key is not blamed on the source credentials', sdkError('s3', 'InvalidAccessKeyId', 403), 'AWS_REQUEST_FAILED'],
  ])('%s', (_name, error, code) => {
    expect(toIonDestError(error, 'PutObject s3://b/k', 'session').code).toBe(code);
  });

  it('reads the bucket region S3 names in a redirect', () => {
    const facts = describeAwsError(sdkError('s3', 'PermanentRedirect', 301, 'moved', { 'x-amz-bucket-region': 'eu-west-1' }));
    expect(facts).toMatchObject({ name: 'PermanentRedirect', httpStatus: 301, bucketRegion: 'eu-west-1', requestId: 'REQ123' });
  });

  it('names the HTTP status when S3 sent no error body (HEAD)', () => {
    const facts = describeAwsError(sdkError('s3', 'NotFound', 404, 'UnknownError'));
    expect(facts.message).toBe('HTTP 404');
  });
});
