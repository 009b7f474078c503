import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { IonDestError } from '../errors/index.js';
import { isAccessDenied, toIonDestError, type AwsErrorFacts } from '../aws/aws-errors.js';

export { DEFAULT_SESSION_DURATION_SECONDS, MAX_SESSION_DURATION_SECONDS, MIN_SESSION_DURATION_SECONDS } from './session-duration.js';

export interface AssumeRoleRequest {
  roleArn: string;
  /** Omitted only by the verifier's deliberate probes. */
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
 * Assume the delivery role and return the session's credentials: the one AssumeRole call of
 * the verifier and the delivery, its failures mapped to IonDestError codes here.
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
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
