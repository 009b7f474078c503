import { randomBytes } from 'node:crypto';
import type { STSClient } from '@aws-sdk/client-sts';
import { IonDestError } from '../errors/index.js';
import { MIN_SESSION_DURATION_SECONDS, VERIFY_SESSION_PREFIX, assumeDeliveryRole } from './check-assume-role.js';
import { flag, pass, type Verdict } from './check-result.js';

/** A fresh external ID that cannot equal the real one by chance. */
export function randomExternalId(avoid: string): string {
  for (;;) {
    const candidate = `ion-dest-probe-${randomBytes(12).toString('hex')}`;
    if (candidate !== avoid) return candidate;
  }
}

/**
 * A probe AssumeRole that the trust policy must refuse. A refusal is the pass; a
 * session is the failure (and is simply dropped: it created nothing).
 */
async function probeAssumeRole(
  sts: STSClient,
  roleArn: string,
  externalId: string | undefined,
  sessionSuffix: string,
  onAllowed: (requestId: string | undefined) => Verdict,
  deniedMessage: string,
): Promise<Verdict> {
  try {
    const session = await assumeDeliveryRole(sts, {
      roleArn,
      externalId,
      // The shortest session: the probe is about the trust condition, not the duration.
      durationSeconds: MIN_SESSION_DURATION_SECONDS,
      sessionName: `${VERIFY_SESSION_PREFIX}-${sessionSuffix}`,
    });
    return onAllowed(session.requestId);
  } catch (error) {
    if (error instanceof IonDestError && error.code === 'ASSUME_ROLE_DENIED') return pass(deniedMessage);
    throw error;
  }
}

/**
 * `external-id-required`: AssumeRole without an external ID must be denied.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function checkExternalIdRequired(sts: STSClient, roleArn: string): Promise<Verdict> {
  return probeAssumeRole(
    sts,
    roleArn,
    undefined,
    'probe-no-external-id',
    (requestId) =>
      flag('fail', 'EXTERNAL_ID_NOT_REQUIRED', `AssumeRole on ${roleArn} with no external ID succeeded; it must be denied`, {
        requestId,
      }),
    'AssumeRole with no external ID was denied',
  );
}

/** `external-id-exact`: AssumeRole with a different, random external ID must be denied. */
export function checkExternalIdExact(sts: STSClient, roleArn: string, externalId: string): Promise<Verdict> {
  const other = randomExternalId(externalId);
  return probeAssumeRole(
    sts,
    roleArn,
    other,
    'probe-wrong-external-id',
    (requestId) =>
      flag('fail', 'EXTERNAL_ID_NOT_EXACT', `AssumeRole on ${roleArn} with the random external ID ${other} succeeded; it must be denied`, {
        requestId,
      }),
    'AssumeRole with a different external ID was denied',
  );
}
