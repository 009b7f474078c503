import { assertNoProblems } from '../../policy/index.js';

/** Binary (IEC) and decimal (SI) units a size may carry; a bare number is bytes. */
const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

export const SIZE_RULE = 'a size is a whole number of bytes or a number with a unit: B, KB, MB, GB, TB, KiB, MiB, GiB or TiB (e.g. 512MiB, 5GiB)';

/** Units of a duration (`--older-than 24h`). */
const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

export const DURATION_RULE = 'a duration is a number with a unit s, m, h or d (e.g. 90m, 24h, 7d)';

/** The values a flag accepts, and the rule that says so (for the message). */
export interface AcceptedRange {
  min: number;
  max: number;
  rule: string;
}

/**
 * Parse a size such as `5368709120`, `512MiB`, `5GiB` or `1.5GB` into bytes, within `range`
 * when one is given. Throws INVALID_INPUT naming the field, the value as typed and the rule.
 */
export function parseSize(text: string | number, field = 'size', range?: AcceptedRange): number {
  const value = String(text).trim();
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(value);
  const unit = m ? SIZE_UNITS[(m[2] ?? '').toLowerCase() || 'b'] : undefined;
  const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    assertNoProblems([{ field, value, rule: /^-\s*\d/.test(value) ? `a size is greater than zero; ${SIZE_RULE}` : SIZE_RULE }]);
  }
  if (range && (bytes < range.min || bytes > range.max)) assertNoProblems([{ field, value, rule: range.rule }]);
  return bytes;
}

/**
 * Parse a whole number typed on the command line (`--concurrency 4`) within `range`.
 * The message shows the value as typed (`"abc"`, not `NaN`).
 */
export function parseWholeNumber(text: string | number, field: string, range: AcceptedRange): number {
  const value = String(text).trim();
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) assertNoProblems([{ field, value, rule: range.rule }]);
  return n;
}

/** Parse a duration such as `24h` or `90m` into milliseconds. */
export function parseDuration(text: string, field = 'duration'): number {
  const value = text.trim();
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(value);
  const unit = m ? DURATION_UNITS_MS[(m[2] ?? '').toLowerCase()] : undefined;
  const ms = m && unit !== undefined ? Math.round(Number(m[1]) * unit) : NaN;
  if (!Number.isFinite(ms) || ms < 0) {
    assertNoProblems([{ field, value, rule: DURATION_RULE }]);
  }
  return ms;
}

/** `1536` → `1.5 KiB`: for messages and progress. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return i === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[i]}`;
}
