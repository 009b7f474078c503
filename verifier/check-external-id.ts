import { randomBytes } from 'node:crypto';
import type { STSClient } from '@aws-sdk/client-sts';
import { IonDestError } from '../errors/index.js';
import { EXTERNAL_ID_MAX_LENGTH, EXTERNAL_ID_MIN_LENGTH } from '../policy/index.js';
import { MIN_SESSION_DURATION_SECONDS, assumeDeliveryRole } from '../destination/index.js';
import { VERIFY_SESSION_PREFIX } from './check-assume-role.js';
import { flag, pass, type Verdict } from './check-result.js';

/** A fresh external ID that cannot equal the real one by chance. */
export function randomExternalId(avoid: string): string {
  for (;;) {
    const candidate = `ion-dest-probe-${randomBytes(12).toString('hex')}`;
    if (candidate !== avoid) return candidate;
  }
}

/** What one probe AssumeRole got: refused, or a session (and its request ID). */
type ProbeAnswer = { accepted: false } | { accepted: true; requestId: string | undefined };

/**
 * A probe AssumeRole that the trust policy must refuse. A refusal is the answer
 * wanted; a session is simply dropped (it created nothing). Any other failure (no
 * credentials, no connection, throttling) is thrown: the probe got no answer.
 */
async function probeAssumeRole(sts: STSClient, roleArn: string, externalId: string | undefined, sessionSuffix: string): Promise<ProbeAnswer> {
  try {
    const session = await assumeDeliveryRole(sts, {
      roleArn,
      externalId,
      // The shortest session: the probe is about the trust condition, not the duration.
      durationSeconds: MIN_SESSION_DURATION_SECONDS,
      sessionName: `${VERIFY_SESSION_PREFIX}-${sessionSuffix}`,
    });
    return { accepted: true, requestId: session.requestId };
  } catch (error) {
    if (error instanceof IonDestError && error.code === 'ASSUME_ROLE_DENIED') return { accepted: false };
    throw error;
  }
}

/**
 * `external-id-required`: AssumeRole without an external ID must be denied.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export async function checkExternalIdRequired(sts: STSClient, roleArn: string): Promise<Verdict> {
  const answer = await probeAssumeRole(sts, roleArn, undefined, 'probe-no-external-id');
  if (!answer.accepted) return pass('AssumeRole with no external ID was denied');
  return flag('fail', 'EXTERNAL_ID_NOT_REQUIRED', `AssumeRole on ${roleArn} with no external ID succeeded; it must be denied`, {
    requestId: answer.requestId,
  });
}

/** One wrong external ID `external-id-exact` sends, and how to name it without the real ID. */
export interface ExternalIdProbe {
  /** Short name, also the end of the probe's session name (CloudTrail). */
  variant: 'unrelated' | 'suffix' | 'leading' | 'prefix' | 'changed' | 'case' | 'retired';
  /** The probe in words; never contains the real external ID. */
  description: string;
  value: string;
}

/** Swap the case of every ASCII letter (external IDs hold ASCII only). */
function flipCase(value: string): string {
  return value.replace(/[A-Za-z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
}

/**
 * The wrong external IDs `external-id-exact` presents: an unrelated random one, and
 * five derived from the real one, each aimed at a loose condition that accepts the
 * real ID but no unrelated one. With the real ID `ion-acme-7f3a9c`:
 * `StringLike "ion-acme-*"` accepts it with a character appended, without its last
 * character and with its last character changed; `"ion-acme-7f3a9c*"` with a
 * character appended; `"ion-acme-7f3a9?"` with its last character changed;
 * `"*7f3a9c"` with a character put in front; `StringEqualsIgnoreCase` with its
 * letters' case flipped. A wildcard inside the value (`"ion-?cme-7f3a9c"`) is beyond
 * them: `ion-dest audit` reads the condition itself.
 * Each is itself a valid external ID (2 to 1224 characters of `[\w+=,.@:/-]`), so a
 * denial is the trust policy's answer, not a validation error; a variant that cannot
 * be formed (an ID at the length limit cannot grow, one of two characters cannot
 * shrink, one without letters has no case) is left out. None equals the real ID.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (ExternalId)
 */
export function externalIdProbes(externalId: string): ExternalIdProbe[] {
  const unrelated = randomExternalId(externalId);
  const probes: ExternalIdProbe[] = [{ variant: 'unrelated', description: `an unrelated random external ID (${unrelated})`, value: unrelated }];
  const derived = (variant: ExternalIdProbe['variant'], phrase: string, value: string) => {
    // A short ID can give the same value twice ("00" grown at either end): send it once.
    if (!probes.some((p) => p.value === value)) probes.push({ variant, description: `the external ID ${phrase}`, value });
  };
  if (externalId.length < EXTERNAL_ID_MAX_LENGTH) {
    derived('suffix', 'with a character appended', `${externalId}0`);
    derived('leading', 'with a character put in front', `0${externalId}`);
  }
  if (externalId.length > EXTERNAL_ID_MIN_LENGTH) derived('prefix', 'without its last character', externalId.slice(0, -1));
  derived('changed', 'with its last character changed', `${externalId.slice(0, -1)}${externalId.endsWith('0') ? '1' : '0'}`);
  const flipped = flipCase(externalId);
  if (flipped !== externalId) derived('case', "with its letters' case flipped", flipped);
  return probes;
}

type ProbeOutcome = { probe: ExternalIdProbe; error?: unknown } & ProbeAnswer;

/** What else a rotation asks of `external-id-exact`. */
export interface ExactProbeOptions {
  /** A second ID the trust must accept: its derived IDs are probed too, and neither accepted ID is ever sent as a wrong one. */
  additionalExternalId?: string;
  /** IDs the trust must now refuse (the old one after a rotation), named by position, never by value. */
  retiredExternalIds?: readonly string[];
}

/**
 * The wrong IDs for one or two accepted IDs, plus the retired ones: each accepted ID's
 * derived probes (one unrelated random ID for all), without any value that is one of
 * the accepted IDs.
 */
export function rotationProbes(externalId: string, options: ExactProbeOptions = {}): ExternalIdProbe[] {
  const accepted = [externalId, ...(options.additionalExternalId === undefined ? [] : [options.additionalExternalId])];
  const probes = externalIdProbes(externalId);
  if (options.additionalExternalId !== undefined) {
    for (const p of externalIdProbes(options.additionalExternalId).slice(1)) {
      probes.push({ ...p, description: p.description.replace(/^the external ID/, 'the second external ID') });
    }
  }
  const kept = probes.filter((p, i) => !accepted.includes(p.value) && probes.findIndex((q) => q.value === p.value) === i);
  for (const [i, value] of (options.retiredExternalIds ?? []).entries()) {
    if (!kept.some((p) => p.value === value)) {
      kept.push({ variant: 'retired', description: `retired external ID ${i + 1} (--retired-external-id)`, value });
    }
  }
  return kept;
}

/**
 * `external-id-exact`: AssumeRole with each of `externalIdProbes` must be denied. The
 * probes run at once; the verdict waits for all of them. Any accepted probe fails the
 * check, and the message names which (in words: the real external ID stays out of
 * reports). A probe that got no answer (throttled, network) fails the check with its
 * own error when none was accepted: a denial of the others proves too little.
 * During a rotation (`options`), the wrong IDs come from `rotationProbes`: a retired ID
 * that is accepted fails the check like any other wrong one.
 */
export async function checkExternalIdExact(
  sts: STSClient,
  roleArn: string,
  externalId: string,
  options: ExactProbeOptions = {},
): Promise<Verdict> {
  const probes = rotationProbes(externalId, options);
  const outcomes = await Promise.all(
    probes.map(async (probe): Promise<ProbeOutcome> => {
      try {
        return { probe, ...(await probeAssumeRole(sts, roleArn, probe.value, `probe-external-id-${probe.variant}`)) };
      } catch (error) {
        return { probe, accepted: false, error };
      }
    }),
  );
  const accepted = outcomes.filter((o): o is Extract<ProbeOutcome, { accepted: true }> => o.accepted);
  if (accepted.length > 0) {
    const names = accepted.map((o) => o.probe.description);
    return flag(
      'fail',
      'EXTERNAL_ID_NOT_EXACT',
      `AssumeRole on ${roleArn} succeeded with ${accepted.length} of ${probes.length} wrong external IDs: ${names.join('; ')}; only the exact external ID may be accepted`,
      {
        requestId: accepted[0]!.requestId,
        details: outcomes.map((o) => `${o.accepted ? 'accepted' : o.error === undefined ? 'denied' : 'no answer'}: ${o.probe.description}${o.accepted && o.requestId ? ` (request ID ${o.requestId})` : ''}`),
      },
    );
  }
  const unanswered = outcomes.find((o) => o.error !== undefined);
  if (unanswered) throw unanswered.error;
  if (options.additionalExternalId !== undefined || options.retiredExternalIds?.length) {
    const retired = probes.filter((p) => p.variant === 'retired').length;
    return pass(
      `AssumeRole was denied with each of ${probes.length} wrong external IDs: a random one, IDs derived from ${options.additionalExternalId === undefined ? 'the external ID' : 'each of the 2 external IDs'}${retired ? `, and ${retired} retired external ID${retired === 1 ? '' : 's'}` : ''}`,
    );
  }
  const [, ...derived] = probes.map((p) => p.description.replace(/^the external ID /, ''));
  return pass(
    `AssumeRole was denied with each of ${probes.length} wrong external IDs: a random one${derived.length ? `, and the external ID ${derived.join(', ')}` : ''}`,
  );
}
