import { describe, expect, it } from 'vitest';
import { IonDestError } from '../../errors/index.js';
import { newExternalId as newExternalIdFromPackage } from '../../index.js';
import { EXTERNAL_ID_MAX_LENGTH, newExternalId, validateExternalId, type IssuedExternalId } from '../../policy/index.js';

/** Every character AWS allows in an external ID, and its length bounds (API_AssumeRole, ExternalId). */
const AWS_EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SAMPLES = 10_000;

/** The random part: what follows the readable `ion-[<tenant>-]` prefix. */
function randomPart(issued: IssuedExternalId): string {
  const prefix = issued.tenant === null ? 'ion-' : `ion-${issued.tenant}-`;
  expect(issued.externalId.startsWith(prefix), issued.externalId).toBe(true);
  return issued.externalId.slice(prefix.length);
}

/** Bits an attacker must guess, from the shape of the random parts alone: length × log2(alphabet seen). */
function entropyFromShape(randomParts: readonly string[]): { bits: number; alphabet: Set<string>; length: number } {
  const lengths = new Set(randomParts.map((r) => r.length));
  expect(lengths.size, 'every random part has the same length').toBe(1);
  const [length] = [...lengths] as [number];
  const alphabet = new Set(randomParts.join(''));
  // A character position that never varies carries no entropy: each one must take every value of the alphabet.
  for (let i = 0; i < length; i++) {
    expect(new Set(randomParts.map((r) => r[i])).size, `position ${i} of the random part`).toBe(alphabet.size);
  }
  return { bits: length * Math.log2(alphabet.size), alphabet, length };
}

const TENANTS: [label: string, tenant: string | undefined][] = [
  ['no tenant', undefined],
  ['a plain tenant', 'acme'],
  ['a tenant with _ . and -', 'tenant_acme.eu-1'],
  ['the longest tenant (128 characters)', `a${'b'.repeat(127)}`],
];

describe('newExternalId', () => {
  describe.each(TENANTS)('with %s', (_label, tenant) => {
    const issued = Array.from({ length: SAMPLES }, () => newExternalId(tenant === undefined ? {} : { tenant }));

    it('gives only characters AWS allows, at least 32 and at most 1224 of them', () => {
      for (const { externalId } of issued) {
        expect(externalId).toMatch(AWS_EXTERNAL_ID);
        expect(externalId.length).toBeGreaterThanOrEqual(32);
        expect(externalId.length).toBeLessThanOrEqual(EXTERNAL_ID_MAX_LENGTH);
      }
    });

    it('gives IDs that validateExternalId accepts', () => {
      expect(issued.map((i) => validateExternalId(i.externalId)).filter((p) => p !== undefined)).toEqual([]);
    });

    it(`gives ${SAMPLES} different IDs`, () => {
      expect(new Set(issued.map((i) => i.externalId)).size).toBe(SAMPLES);
    });

    it('names the tenant readably and records it; the random part alone is at least 32 characters', () => {
      for (const i of issued) {
        expect(i.tenant).toBe(tenant ?? null);
        expect(randomPart(i).length).toBeGreaterThanOrEqual(32);
      }
      if (tenant !== undefined) expect(issued[0]!.externalId).toMatch(new RegExp(`^ion-${tenant.replaceAll('.', '\\.')}-[^-]+$`));
    });

    it('has at least 128 bits in the random part alone, as many as it reports', () => {
      const { bits, alphabet } = entropyFromShape(issued.map(randomPart));
      expect(bits).toBeGreaterThanOrEqual(128);
      for (const c of alphabet) expect(c).toMatch(/^[\w+=,.@:/-]$/);
      for (const i of issued) expect(i.entropyBits).toBe(bits);
    });

    it('records when it was issued', () => {
      const before = Date.now();
      const { createdAt } = newExternalId(tenant === undefined ? {} : { tenant });
      expect(createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(createdAt)).toBeLessThanOrEqual(Date.now());
    });
  });

  const BAD_TENANTS: [label: string, tenant: string][] = [
    ['empty', ''],
    ['a space', 'ac me'],
    ['a slash', 'acme/other'],
    ['".."', 'acme..x'],
    ['a leading hyphen', '-acme'],
    ['129 characters', 'a'.repeat(129)],
    ['a character AWS refuses in an external ID', 'acme;x'],
  ];

  it.each(BAD_TENANTS)('rejects a tenant with %s, naming the field, the value and the rule', (_label, tenant) => {
    let error: unknown;
    try {
      newExternalId({ tenant });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('INVALID_INPUT');
    expect((error as IonDestError).problems).toEqual([{ field: 'tenant', value: tenant, rule: expect.stringContaining('a tenant is 1 to 128 characters') }]);
    expect(() => newExternalId({ tenant, tenantField: '--tenant' })).toThrow(`Invalid --tenant ${JSON.stringify(tenant)}`);
  });

  it('is part of the library API', () => {
    expect(newExternalIdFromPackage).toBe(newExternalId);
  });
});
