import { describe, expect, it } from 'vitest';
import { EXTERNAL_ID_MAX_LENGTH, roleArn, trustPolicy, validateExternalId } from '../../policy/index.js';
import { vendorAssumeRolePolicy } from '../../emulator/accounts.js';
import { flag, pass, skip } from '../../verifier/check-result.js';
import { externalIdProbes } from '../../verifier/check-external-id.js';
import { judgeProbe } from '../../verifier/run-checks.js';
import type { CheckResult } from '../../verifier/types.js';
import type { ErrorCode } from '../../errors/index.js';
import { simulateAssumeRole } from '../verifier/iam-oracle.js';

const VENDOR = '111122223333';
const CUSTOMER = '444455556666';
const EXTERNAL_ID = 'ion-acme-7f3a9c';
const ROLE = roleArn('aws', CUSTOMER, 'ion-delivery');
const CALLER = roleArn('aws', VENDOR, 'ion-delivery-service');
const callerPolicy = vendorAssumeRolePolicy({ anyRole: true });

describe('externalIdProbes: valid, distinct wrong IDs derived from the real one', () => {
  it.each([
    ['a typical ID', EXTERNAL_ID, ['unrelated', 'suffix', 'leading', 'prefix', 'changed', 'case']],
    ['the shortest ID (cannot shrink)', 'ab', ['unrelated', 'suffix', 'leading', 'changed', 'case']],
    ['two zeros (grown at either end it is the same value, sent once)', '00', ['unrelated', 'suffix', 'changed']],
    ['digits only (no case to flip)', '1234567890', ['unrelated', 'suffix', 'leading', 'prefix', 'changed']],
    ['every allowed punctuation', 'a_b+c=d,e.f@g:h/i-j', ['unrelated', 'suffix', 'leading', 'prefix', 'changed', 'case']],
    ['an ID at the length limit (cannot grow)', 'x'.repeat(EXTERNAL_ID_MAX_LENGTH), ['unrelated', 'prefix', 'changed', 'case']],
  ])('%s', (_name, id, variants) => {
    const probes = externalIdProbes(id);
    expect(probes.map((p) => p.variant)).toEqual(variants);
    for (const probe of probes) {
      expect(validateExternalId(probe.value), probe.variant).toBeUndefined();
      expect(probe.value).not.toBe(id);
      // The report names a probe in words only: the real ID never appears in it (the
      // random one is named with its value, which may contain a short ID by chance).
      if (probe.variant === 'unrelated') expect(probe.description).toBe(`an unrelated random external ID (${probe.value})`);
      else expect(probe.description).toMatch(/^the external ID with(out)? [a-z' ]+$/);
    }
    expect(new Set(probes.map((p) => p.value)).size).toBe(probes.length);
  });

  it('the unrelated probe is fresh on every call', () => {
    expect(externalIdProbes(EXTERNAL_ID)[0]!.value).not.toBe(externalIdProbes(EXTERNAL_ID)[0]!.value);
  });
});

/** The contract's trust policy with another condition block. */
function trustWith(condition: Record<string, Record<string, string | string[]>>) {
  const doc = trustPolicy({ trustedAccountId: VENDOR, externalIds: EXTERNAL_ID });
  doc.Statement[0]!.Condition = condition as never;
  return doc;
}

/**
 * Trust conditions that accept the real external ID, and which probes an independent
 * IAM engine says each lets through: the exact ones none, the loose ones at least one
 * (but for a wildcard inside the value, which `externalIdProbes` says it leaves to audit).
 */
const CONDITIONS: [string, Record<string, Record<string, string | string[]>>, string[]][] = [
  ['StringEquals the ID (the contract)', { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } }, []],
  ['StringEquals a rotation pair', { StringEquals: { 'sts:ExternalId': [EXTERNAL_ID, 'ion-acme-next-4d2e81'] } }, []],
  ['StringLike the ID itself (no wildcard)', { StringLike: { 'sts:ExternalId': EXTERNAL_ID } }, []],
  ['StringLike "ion-acme-*"', { StringLike: { 'sts:ExternalId': 'ion-acme-*' } }, ['suffix', 'prefix', 'changed']],
  ['StringLike "ion-acme-7f3a9c*"', { StringLike: { 'sts:ExternalId': `${EXTERNAL_ID}*` } }, ['suffix']],
  ['StringLike "ion-acme-7f3a9?"', { StringLike: { 'sts:ExternalId': 'ion-acme-7f3a9?' } }, ['changed']],
  ['StringLike "*7f3a9c"', { StringLike: { 'sts:ExternalId': '*7f3a9c' } }, ['leading']],
  ['StringLike "*"', { StringLike: { 'sts:ExternalId': '*' } }, ['unrelated', 'suffix', 'leading', 'prefix', 'changed', 'case']],
  ['StringLike "ion-*-7f3a9c" (a wildcard inside the value: beyond the probes, audit reads it)', { StringLike: { 'sts:ExternalId': 'ion-*-7f3a9c' } }, []],
  ['StringEqualsIgnoreCase the ID', { StringEqualsIgnoreCase: { 'sts:ExternalId': EXTERNAL_ID } }, ['case']],
  ['StringEqualsIgnoreCase the ID in capitals', { StringEqualsIgnoreCase: { 'sts:ExternalId': EXTERNAL_ID.toUpperCase() } }, ['case']],
  ['StringNotEquals another ID', { StringNotEquals: { 'sts:ExternalId': 'ion-globex-1' } }, ['unrelated', 'suffix', 'leading', 'prefix', 'changed', 'case']],
];

describe('which probes each trust condition lets through (judged by an independent IAM engine)', () => {
  it.each(CONDITIONS)('%s', async (_name, condition, expectedThrough) => {
    const trust = trustWith(condition);
    const decide = (externalId: string) => simulateAssumeRole({ trust, roleArn: ROLE, callerArn: CALLER, callerPolicy, externalId });
    expect(await decide(EXTERNAL_ID)).toBe('Allowed');
    const through: string[] = [];
    for (const probe of externalIdProbes(EXTERNAL_ID)) if ((await decide(probe.value)) === 'Allowed') through.push(probe.variant);
    expect(through).toEqual(expectedThrough);
  });
});

function result(id: CheckResult['id'], verdict: Omit<CheckResult, 'id' | 'durationMs'>): CheckResult {
  return { id, ...verdict, durationMs: 5 } as CheckResult;
}
const assumeFailed = (code: ErrorCode) => result('assume-role', flag('fail', code, `AssumeRole failed: ${code}`));
const probeFailed = (code: ErrorCode) => result('external-id-exact', flag('fail', code, `probe failed: ${code}`));
const probeDenied = result('external-id-exact', pass('AssumeRole was denied with each of 6 wrong external IDs'));

describe('judgeProbe: a probe in the light of assume-role', () => {
  it.each([
    ['assume-role passed: a denied probe passes', result('assume-role', pass('assumed')), probeDenied, ['pass', undefined]],
    ['assume-role passed: an accepted probe fails', result('assume-role', pass('assumed')), probeFailed('EXTERNAL_ID_NOT_EXACT'), ['fail', 'EXTERNAL_ID_NOT_EXACT']],
    ['assume-role passed: a throttled probe fails', result('assume-role', pass('assumed')), probeFailed('THROTTLED'), ['fail', 'THROTTLED']],
    ['no credentials', assumeFailed('SOURCE_CREDENTIALS_MISSING'), probeFailed('SOURCE_CREDENTIALS_MISSING'), ['skip', 'skipped: no credentials to call STS, see assume-role']],
    ['credentials rejected', assumeFailed('SOURCE_CREDENTIALS_INVALID'), probeFailed('SOURCE_CREDENTIALS_INVALID'), ['skip', 'skipped: STS rejected the source credentials, see assume-role']],
    ['credentials expired', assumeFailed('SOURCE_CREDENTIALS_EXPIRED'), probeFailed('SOURCE_CREDENTIALS_EXPIRED'), ['skip', 'skipped: the source credentials have expired, see assume-role']],
    ['endpoint unreachable', assumeFailed('ENDPOINT_UNREACHABLE'), probeFailed('ENDPOINT_UNREACHABLE'), ['skip', 'skipped: the STS endpoint could not be reached, see assume-role']],
    ['throttled both times', assumeFailed('THROTTLED'), probeFailed('THROTTLED'), ['skip', 'skipped: STS throttled the requests, see assume-role']],
    ['a caller failure on one side only is kept', assumeFailed('THROTTLED'), probeFailed('ENDPOINT_UNREACHABLE'), ['fail', 'ENDPOINT_UNREACHABLE']],
    ['an unexplained failure is kept on both', assumeFailed('AWS_REQUEST_FAILED'), probeFailed('AWS_REQUEST_FAILED'), ['fail', 'AWS_REQUEST_FAILED']],
    ['right ID denied: a denied probe proves nothing', assumeFailed('ASSUME_ROLE_DENIED'), probeDenied, ['skip', 'not proven: AssumeRole with the right external ID was denied too']],
    ['right ID denied: an accepted probe still fails', assumeFailed('ASSUME_ROLE_DENIED'), probeFailed('EXTERNAL_ID_NOT_EXACT'), ['fail', 'EXTERNAL_ID_NOT_EXACT']],
    ['session too long: a denied probe proves nothing', assumeFailed('SESSION_DURATION_EXCEEDED'), probeDenied, ['skip', 'not proven: AssumeRole with the right external ID failed too, see assume-role']],
  ] as const)('%s', (_name, assumed, probe, [status, codeOrMessage]) => {
    const judged = judgeProbe(assumed, probe);
    expect(judged.id).toBe(probe.id);
    expect(judged.status).toBe(status);
    if (status === 'skip') {
      expect(judged).toEqual({ id: probe.id, ...skip(codeOrMessage!), durationMs: probe.durationMs });
    } else {
      expect(judged.code).toBe(codeOrMessage);
    }
  });
});
