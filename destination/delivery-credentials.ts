import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { assumeDeliveryRole, DEFAULT_SESSION_DURATION_SECONDS } from './assume-role.js';
import { createS3Client, createStsClient, type AwsClientOptions } from '../aws/clients.js';
import { IonDestError } from '../errors/index.js';

/**
 * Session length the delivery asks for. One hour is IAM's default MaxSessionDuration for
 * a role, so the request is valid against any role; longer deliveries refresh.
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (DurationSeconds)
 */
export const DEFAULT_SESSION_SECONDS = DEFAULT_SESSION_DURATION_SECONDS;

/** Refresh at the latest this long before a session expires (room for slow calls and clock skew). */
export const MAX_REFRESH_MARGIN_MS = 5 * 60_000;
/**
 * …or earlier, when a session is short, once this fraction of its lifetime is left, so a
 * short session (as an emulator may issue) is still renewed before it lapses rather than
 * on every call.
 */
export const REFRESH_MARGIN_FRACTION = 0.25;

/** Role session names: 2 to 64 characters of `[\w+=,.@-]`. */
const SESSION_NAME_MAX = 64;

/** How long before expiry to refresh a session of the given lifetime. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(MAX_REFRESH_MARGIN_MS, Math.max(0, lifetimeMs) * REFRESH_MARGIN_FRACTION);
}

/** A role session name that says who and which job, within STS's rules. */
export function deliverySessionName(tenant: string, jobId: string): string {
  return roleSessionName(tenant, jobId);
}

export interface DeliveryCredentialsOptions {
  roleArn: string;
  externalId: string;
  sessionName: string;
  /** Region of the STS endpoint (the bucket's). */
  region: string;
  endpointUrl?: string;
  /** Named profile for the source credentials; the standard chain otherwise. */
  profile?: string;
  /** Source credentials to call STS with, instead of the standard chain or `profile`. */
  sourceCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  durationSeconds?: number;
  /** Observe each session as it is issued (for progress and tests). */
  onSession?: (session: { expiration: Date; number: number }) => void;
  /** An STS client to use instead of one built from the options (tests). */
  stsClient?: STSClient;
  now?: () => number;
}

/**
 * Credentials of the customer's delivery role: AssumeRole with the external ID, renewed
 * automatically before each session expires (see refreshMarginMs), so a delivery that
 * outlives several sessions goes on. Concurrent callers share one renewal. The source
 * credentials for STS come from the standard chain or `profile`.
 *
 * Not `fromTemporaryCredentials` of `@aws-sdk/credential-providers`: it sends the same
 * AssumeRole (external ID, session name, duration) but leaves renewal to the calling
 * client's identity cache, which renews only in the last five minutes of a session
 * (`EXPIRATION_MS` of @smithy/core's memoizeIdentityProvider; no option changes it), so a
 * session shorter than that would be renewed on every request; its STS errors reach the
 * caller through whichever S3 call needed credentials, to be mapped as that call's
 * failure (WRITE_DENIED for an UploadPart) instead of ASSUME_ROLE_DENIED or
 * SESSION_DURATION_EXCEEDED; it builds its own STS client instead of the project's
 * (aws/clients.ts); and it reports neither each new session (`onSession`, the progress
 * events) nor the AssumeRole request ID the verifier's report shows. Wrapping it for all
 * that would leave as much code as this, and a second AssumeRole path beside the
 * verifier's. Both use `assumeDeliveryRole` (destination/assume-role.ts), the one AssumeRole call
 * and its error mapping.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
 */
export function createDeliveryCredentials(options: DeliveryCredentialsOptions): AwsCredentialIdentityProvider {
  const now = options.now ?? Date.now;
  const stsOptions: AwsClientOptions = {
    region: options.region,
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.sourceCredentials ? { credentials: options.sourceCredentials } : {}),
  };
  const sts = options.stsClient ?? createStsClient(stsOptions);
  let current: { identity: AwsCredentialIdentity; refreshAt: number } | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let sessions = 0;

  const assume = async (): Promise<AwsCredentialIdentity> => {
    const requestedAt = now();
    const { credentials: identity, requestId } = await assumeDeliveryRole(sts, {
      roleArn: options.roleArn,
      externalId: options.externalId,
      sessionName: options.sessionName,
      durationSeconds: options.durationSeconds ?? DEFAULT_SESSION_SECONDS,
    });
    const expiration = identity.expiration;
    if (!expiration) {
      throw new IonDestError('AWS_REQUEST_FAILED', `AssumeRole on ${options.roleArn} returned a session with no expiration`, {
        source: 'aws',
        ...(requestId ? { requestId } : {}),
      });
    }
    const expiresAt = expiration.getTime();
    current = { identity, refreshAt: expiresAt - refreshMarginMs(expiresAt - requestedAt) };
    sessions += 1;
    options.onSession?.({ expiration, number: sessions });
    return identity;
  };

  return async () => {
    if (current && now() < current.refreshAt) return current.identity;
    pending ??= assume().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

/** What `openDestinationClient` needs: the role, how to reach STS, and the bucket's owner. */
export interface DestinationClientOptions extends DeliveryCredentialsOptions {
  /** The bucket's owner, sent as ExpectedBucketOwner on every S3 call. */
  expectedBucketOwner: string;
  maxAttempts?: number;
}

/**
 * Assume the customer's role (renewed as above) and build the S3 client that writes with
 * it. The first session is taken here, so a wrong role or external ID fails before any
 * S3 call, as ASSUME_ROLE_DENIED.
 */
export async function openDestinationClient(options: DestinationClientOptions): Promise<S3Client> {
  const { expectedBucketOwner, maxAttempts, ...role } = options;
  const credentials = createDeliveryCredentials(role);
  await credentials();
  return createS3Client({
    region: options.region,
    credentials,
    expectedBucketOwner,
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(maxAttempts ? { maxAttempts } : {}),
  });
}

/** A role session name for a job of `kind` for the tenant, within STS's rules. */
export function roleSessionName(...parts: string[]): string {
  return ['ion-dest', ...parts].join('-').replace(/[^\w+=,.@-]/g, '-').slice(0, SESSION_NAME_MAX);
}
