import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, TROUBLESHOOTING } from '../../errors/index.js';
import {
  TROUBLESHOOTING_END,
  TROUBLESHOOTING_PAGE,
  TROUBLESHOOTING_START,
  renderTroubleshootingTable,
  replaceTroubleshootingSection,
} from '../../scripts/render-troubleshooting.js';

describe('the troubleshooting page (docs/troubleshooting.md)', () => {
  it('is exactly the table generated from errors/troubleshooting.ts (run `npm run generate`)', () => {
    const page = readFileSync(TROUBLESHOOTING_PAGE, 'utf8');
    const start = page.indexOf(TROUBLESHOOTING_START);
    const end = page.indexOf(TROUBLESHOOTING_END);
    expect(start, 'docs/troubleshooting.md lacks the troubleshooting markers').toBeGreaterThan(-1);
    expect(page.slice(start + TROUBLESHOOTING_START.length, end).trim()).toBe(renderTroubleshootingTable().trim());
  });

  it('has one row per error code, with the cause and fix of the table', () => {
    const rows = renderTroubleshootingTable().split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(ERROR_CODES.length);
    expect(rows[ERROR_CODES.indexOf('ASSUME_ROLE_DENIED')]).toContain(TROUBLESHOOTING.ASSUME_ROLE_DENIED.fix);
  });

  it('replaces only what lies between the markers', () => {
    const text = `intro\n${TROUBLESHOOTING_START}\nold\n${TROUBLESHOOTING_END}\noutro\n`;
    expect(replaceTroubleshootingSection(text, 'new')).toBe(`intro\n${TROUBLESHOOTING_START}\nnew\n${TROUBLESHOOTING_END}\noutro\n`);
    expect(() => replaceTroubleshootingSection('no markers')).toThrow(/lacks the markers/);
  });
});

/** The setup guide's Troubleshooting table: its Issue (or Cause) text and Fix, and the code whose row answers it. */
const GUIDE_ROWS = [
  ['ASSUME_ROLE_DENIED', 'Role assumption fails (AccessDenied)', 'ion-dest audit'],
  ['TRUST_PRINCIPAL_MISMATCH', 'Trust policy does not allow the First Resonance account', 'Verify the `Principal` in the trust policy matches the account ID provided by your account team.'],
  ['TRUST_EXTERNAL_ID_MISMATCH', 'Role assumption fails with correct principal', 'Verify the `sts:ExternalId` condition matches the value provided by First Resonance.'],
  ['BUCKET_ACCESS_DENIED', 'Access denied to bucket', 'Verify the permission policy is attached to the role and the bucket name matches'],
  ['WRITE_DENIED', 'Test write fails (AccessDenied)', 'Check the permission policy includes `s3:PutObject` on the bucket resource'],
  ['BUCKET_NOT_FOUND', 'Bucket does not exist', 'Verify the bucket name'],
] as const;

describe('the setup guide troubleshooting rows', () => {
  it.each(GUIDE_ROWS)('%s answers "%s"', (code, symptom, fix) => {
    expect(TROUBLESHOOTING[code].symptom).toContain(symptom);
    expect(TROUBLESHOOTING[code].fix).toContain(fix);
  });

  it('the vendor-side AccessDenied names both causes, external ID first, and points to audit', () => {
    const row = TROUBLESHOOTING.ASSUME_ROLE_DENIED;
    const externalId = row.cause.indexOf('external ID mismatch');
    const principal = row.cause.indexOf('`Principal`');
    expect(externalId).toBeGreaterThan(-1);
    expect(principal).toBeGreaterThan(externalId);
    expect(row.fix).toContain('ion-dest audit');
  });
});

