import type { STSClient } from '@aws-sdk/client-sts';
import { assumeDeliveryRole, type AssumeRoleRequest, type AssumedSession } from '../destination/index.js';
import { pass, type Verdict } from './check-result.js';

/** Session name prefix: what the customer sees in CloudTrail for the verifier's sessions. */
export const VERIFY_SESSION_PREFIX = 'ion-dest-verify';

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
