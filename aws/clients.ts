import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { resolveEndpointUrl } from './endpoint.js';

/** Retries for throttling, 5xx and connection resets, with the SDK's jittered backoff. */
export const DEFAULT_MAX_ATTEMPTS = 8;

export interface AwsClientOptions {
  region: string;
  /** `--endpoint-url`; AWS_ENDPOINT_URL is read when absent. */
  endpointUrl?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Named profile for the source credentials (standard credential chain otherwise). */
  profile?: string;
  maxAttempts?: number;
}

function baseConfig(options: AwsClientOptions) {
  const endpoint = resolveEndpointUrl(options.endpointUrl);
  return {
    region: options.region,
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'adaptive' as const,
  };
}

export interface S3ClientOptions extends AwsClientOptions {
  /**
   * The account that must own the bucket. Sent as `ExpectedBucketOwner` on every
   * S3 call this client makes, so a bucket someone else owns is never touched.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
   */
  expectedBucketOwner: string | undefined;
}

/**
 * An S3 client that adds `ExpectedBucketOwner` to every command's input (commands
 * without the member ignore it). Path-style addressing is used with an endpoint
 * override (local emulators have no per-bucket host names).
 */
export function createS3Client(options: S3ClientOptions): S3Client {
  const config = baseConfig(options);
  const client = new S3Client({
    ...config,
    ...(config.endpoint ? { forcePathStyle: true } : {}),
    // Checksums: only when we ask (ChecksumAlgorithm), never a surprise trailer on other calls.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // No `Expect: 100-continue` (the SDK adds it to bodies of 2 MiB and more): its Node
    // handler gives each such request a connection of its own, without keep-alive, so every
    // multipart part would open a new TCP and TLS connection and wait a round trip before
    // sending. Parts go over the pooled keep-alive connections instead; a refused request
    // costs the bytes of one part sent in vain.
    expectContinueHeader: false,
  });
  const owner = options.expectedBucketOwner;
  if (owner !== undefined) {
    client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { ExpectedBucketOwner?: string };
        if (input.ExpectedBucketOwner === undefined) input.ExpectedBucketOwner = owner;
        return next(args);
      },
      { step: 'initialize', name: 'ionDestExpectedBucketOwner', priority: 'high' },
    );
  }
  return client;
}

export function createStsClient(options: AwsClientOptions): STSClient {
  return new STSClient(baseConfig(options));
}

export function createIamClient(options: AwsClientOptions): IAMClient {
  return new IAMClient(baseConfig(options));
}

export function createCloudFormationClient(options: AwsClientOptions): CloudFormationClient {
  return new CloudFormationClient(baseConfig(options));
}
