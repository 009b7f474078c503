import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, TROUBLESHOOTING } from '../errors/index.js';

/**
 * The troubleshooting table of docs/troubleshooting.md, generated from
 * errors/troubleshooting.ts: one row per error code, in the order of ERROR_CODES.
 * A test fails when the page's copy differs; `npm run generate` rewrites it.
 */
export const TROUBLESHOOTING_START = '<!-- troubleshooting:start -->';
export const TROUBLESHOOTING_END = '<!-- troubleshooting:end -->';

/** The docs page that holds the table. */
export const TROUBLESHOOTING_PAGE = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'troubleshooting.md');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** The markdown between the markers, markers excluded. */
export function renderTroubleshootingTable(): string {
  const rows = ERROR_CODES.map((code) => {
    const row = TROUBLESHOOTING[code];
    return `| \`${code}\` | ${cell(row.symptom)} | ${cell(row.cause)} | ${cell(row.fix)} |`;
  });
  return [
    '<!-- GENERATED FROM errors/troubleshooting.ts by `npm run generate`. Do not edit by hand. -->',
    '',
    '| code | symptom | cause (most likely first) | fix |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The page's text with the generated table between the markers. Throws when the markers are missing. */
export function replaceTroubleshootingSection(page: string, table = renderTroubleshootingTable()): string {
  const start = page.indexOf(TROUBLESHOOTING_START);
  const end = page.indexOf(TROUBLESHOOTING_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`docs/troubleshooting.md lacks the markers ${TROUBLESHOOTING_START} ... ${TROUBLESHOOTING_END}`);
  }
  return `${page.slice(0, start + TROUBLESHOOTING_START.length)}\n${table}\n${page.slice(end)}`;
}

/** Rewrite the page's troubleshooting table in place; returns the path when it changed. */
export async function writeTroubleshootingPage(path = TROUBLESHOOTING_PAGE): Promise<string[]> {
  const before = await readFile(path, 'utf8');
  const after = replaceTroubleshootingSection(before);
  if (after === before) return [];
  await writeFile(path, after);
  return [relative(process.cwd(), path)];
}
