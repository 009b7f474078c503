import type { S3Client } from '@aws-sdk/client-s3';
import { startDigestThreads } from '../upload/part-digests.js';
import { deliverySessionName, openDestinationClient } from '../../destination/delivery-credentials.js';
import type { DeliveryPlan } from './delivery-plan.js';

/** The customer's bucket as the delivery reaches it: an S3 client signing with the role's sessions. */
export interface DestinationSession {
  readonly client: S3Client;
  /** Role sessions issued so far (renewals included). */
  sessions(): number;
}

/**
 * Assume the customer's delivery role (renewed as the delivery outlives a session, each
 * session reported as a progress event) and build the S3 client that writes with it. The
 * role is assumed here, before any source is read, so a wrong role or external ID fails
 * first. The parts' digesting threads start meanwhile.
 */
export async function connectDestination(plan: DeliveryPlan): Promise<DestinationSession> {
  const { options, emit } = plan;
  let sessions = 0;
  options.signal?.throwIfAborted();
  // The parts' digesting threads start while the role is assumed and the sources are read
  // (a thread that cannot start fails the first part that needs it, with its error).
  startDigestThreads().catch(() => {});
  const client = await openDestinationClient({
    roleArn: options.roleArn,
    externalId: options.externalId,
    sessionName: deliverySessionName(options.tenant, options.jobId),
    region: options.region,
    expectedBucketOwner: plan.expectedBucketOwner,
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.sourceCredentials ? { sourceCredentials: options.sourceCredentials } : {}),
    ...(options.sessionDurationSeconds ? { durationSeconds: options.sessionDurationSeconds } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    onSession: ({ number, expiration }) => {
      sessions = number;
      emit({ type: 'session', number, expiration: expiration.toISOString() });
    },
  });
  return { client, sessions: () => sessions };
}
