import { describe, expect, it } from 'vitest';
import { validateExternalId } from '../../policy/index.js';
import { rotationProbes } from '../../verifier/check-external-id.js';
import { findDestinationProblems } from '../../destination/index.js';
import type { VerifyOptions } from '../../verifier/types.js';

const OLD = 'ion-acme-7f3a9c';
const NEW = 'ion-acme-0b1d2e';

describe('rotationProbes: the wrong IDs during and after a rotation', () => {
  it.each([
    ['one ID', {}, 6, 0],
    ['two IDs: derived probes of each, one random', { additionalExternalId: NEW }, 11, 0],
    ['the new ID with the old one retired', { retiredExternalIds: [OLD] }, 7, 1],
    ['two IDs whose derived probes meet (one is the other with a character appended)', { additionalExternalId: `${OLD}0` }, 9, 0],
  ] as const)('%s', (_name, options, count, retired) => {
    const first = options === undefined || !('retiredExternalIds' in options) ? OLD : NEW;
    const probes = rotationProbes(first, options);
    expect(probes).toHaveLength(count);
    const accepted = [first, ...('additionalExternalId' in options ? [options.additionalExternalId] : [])];
    for (const probe of probes) {
      expect(accepted).not.toContain(probe.value);
      expect(validateExternalId(probe.value)).toBeUndefined();
    }
    expect(new Set(probes.map((p) => p.value)).size).toBe(probes.length);
    const retiredProbes = probes.filter((p) => p.variant === 'retired');
    expect(retiredProbes).toHaveLength(retired);
    for (const p of retiredProbes) expect(p.description).toBe('retired external ID 1 (--retired-external-id)');
  });
});

describe('rotation options are checked before any AWS call', () => {
  const base: VerifyOptions = { roleArn: 'arn:aws:iam::444455556666:role/ion-delivery', externalId: OLD, bucket: 'acme-ion-snapshots', region: 'us-east-1', tenant: 'acme' };
  it.each([
    ['a second ID equal to the first', { additionalExternalId: OLD }, 'additionalExternalId', 'must differ from the first'],
    ['a second ID with a space', { additionalExternalId: 'ion acme' }, 'additionalExternalId', ''],
    ['a retired ID that is the current one', { retiredExternalIds: [OLD] }, 'retiredExternalIds', 'cannot also be one the role must accept'],
    ['a retired ID that is the second one', { additionalExternalId: NEW, retiredExternalIds: [NEW] }, 'retiredExternalIds', 'cannot also be one the role must accept'],
    ['a retired ID too short', { retiredExternalIds: ['x'] }, 'retiredExternalIds', ''],
  ])('%s', (_name, extra, field, rule) => {
    const problems = findDestinationProblems({ ...base, ...extra });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.field).toBe(field);
    expect(problems[0]!.rule).toContain(rule);
  });

  it('a rotation with distinct IDs has no problem', () => {
    expect(findDestinationProblems({ ...base, additionalExternalId: NEW, retiredExternalIds: ['ion-acme-000000'] })).toEqual([]);
  });
});
