import { randomBytes } from 'node:crypto';

/** Marks the verifier's objects under the tenant prefix, so a leftover is recognisable. */
export const TEST_KEY_MARKER = '.ion-dest-verify';

/** A key under `<tenant>/` unique to this run, e.g. `acme/.ion-dest-verify-20261123T180000Z-3f2a9c1d-object.txt`. */
export function testObjectKey(tenant: string, purpose: 'object' | 'multipart', now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return `${tenant}/${TEST_KEY_MARKER}-${stamp}-${randomBytes(4).toString('hex')}-${purpose}.txt`;
}
