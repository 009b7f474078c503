import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, TROUBLESHOOTING } from '../../errors/index.js';
import {
  README_PATH,
  TROUBLESHOOTING_END,
  TROUBLESHOOTING_START,
  renderTroubleshootingTable,
  replaceTroubleshootingSection,
} from '../../scripts/render-troubleshooting.js';

describe('README troubleshooting section', () => {
  it('is exactly the table generated from errors/troubleshooting.ts (run `npm run generate`)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    const start = readme.indexOf(TROUBLESHOOTING_START);
    const end = readme.indexOf(TROUBLESHOOTING_END);
    expect(start, 'README.md lacks the troubleshooting markers').toBeGreaterThan(-1);
    expect(readme.slice(start + TROUBLESHOOTING_START.length, end).trim()).toBe(renderTroubleshootingTable().trim());
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
