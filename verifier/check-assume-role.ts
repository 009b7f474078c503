import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { IonDestError } from '../errors/index.js';
import { isAccessDenied, toIonDestError, type AwsErrorFacts } from '../aws/aws-errors.js';
import { pass, type Verdict } from './check-result.js';

/** The session the delivery asks for; AWS's default role maximum, so a default role passes. */
export const DEFAULT_SESSION_DURATION_SECONDS = 3600;
/** AssumeRole's bounds on DurationSeconds. @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
export const MIN_SESSION_DURATION_SECONDS = 900;
export const MAX_SESSION_DURATION_SECONDS = 43_200;

/** Session name prefix: what the customer sees in CloudTrail for the verifier's sessions. */
export const VERIFY_SESSION_PREFIX = 'ion-dest-verify';

export interface AssumeRoleRequest {
  roleArn: string;
  /** Omitted only by the deliberate probes. */
  externalId: string | undefined;
  durationSeconds: number;
  sessionName: string;
}

export interface AssumedSession {
  credentials: AwsCredentialIdentity;
  requestId: string | undefined;
}

/** AssumeRole's own failures, before the common ones. */
export function mapAssumeRoleError(facts: AwsErrorFacts): 'ASSUME_ROLE_DENIED' | 'SESSION_DURATION_EXCEEDED' | undefined {
  if (facts.name === 'ValidationError' && /DurationSeconds|MaxSessionDuration/i.test(facts.message)) {
    return 'SESSION_DURATION_EXCEEDED';
  }
  if (isAccessDenied(facts)) return 'ASSUME_ROLE_DENIED';
  return undefined;
}

/**
 * Assume the delivery role and return the session's credentials.
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export async function assumeDeliveryRole(sts: STSClient, request: AssumeRoleRequest): Promise<AssumedSession> {
  let response;
  try {
    response = await sts.send(
      new AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: request.sessionName,
        DurationSeconds: request.durationSeconds,
        ...(request.externalId === undefined ? {} : { ExternalId: request.externalId }),
      }),
    );
  } catch (error) {
    throw toIonDestError(error, `AssumeRole on ${request.roleArn}`, 'source', mapAssumeRoleError);
  }
  const c = response.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) {
    throw new IonDestError('AWS_REQUEST_FAILED', `AssumeRole on ${request.roleArn} returned no credentials`, {
      source: 'aws',
      ...(response.$metadata.requestId ? { requestId: response.$metadata.requestId } : {}),
    });
  }
  return {
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    },
    requestId: response.$metadata.requestId,
  };
}

/** `assume-role`: the role can be assumed with the external ID, for the session length the delivery uses. */
export async function checkAssumeRole(
  sts: STSClient,
  request: AssumeRoleRequest,
): Promise<{ verdict: Verdict; session: AssumedSession }> {
  const session = await assumeDeliveryRole(sts, request);
  return {
    verdict: pass(`assumed ${request.roleArn} with the external ID (session of ${request.durationSeconds} s)`),
    session,
  };
}
