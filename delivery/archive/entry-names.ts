import { IonDestError } from '../../errors/index.js';

/** Control characters (C0, DEL, C1) never go into an archive name: they garble listings and terminals. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * Characters that make a name display as another: bidirectional marks, embeddings,
 * overrides and isolates (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), which
 * reorder what a listing shows ("Trojan Source"), and the line and paragraph separators
 * (U+2028, U+2029), which break a listing's line.
 * @see https://www.unicode.org/reports/tr9/#Explicit_Directional_Formatting_Characters
 * @see https://www.unicode.org/reports/tr36/#Bidirectional_Text_Spoofing
 */
export const DISPLAY_SPOOFING_CHARACTER = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
const DISPLAY_SPOOFING_RULE = 'no bidirectional-control characters (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) or line or paragraph separators (U+2028, U+2029)';

/**
 * A table name becomes the entry `<name>.csv.gz` at the top of the tables archive: one
 * path segment, no control, bidirectional-control or line-separator character, not `.` or `..`.
 */
export function assertSafeTableName(name: string, where: string): void {
  const rule = tableNameRule(name);
  if (rule) throw unsafeName('table', name, where, rule);
}

/** The rule a table name breaks, or undefined. */
export function tableNameRule(name: string): string | undefined {
  return name === '' || name === '.' || name === '..'
      ? 'a table name is not empty, "." or ".."'
      : name.includes('/') || name.includes('\\')
        ? 'a table name has no "/" or "\\"'
        : CONTROL_CHARACTER.test(name)
          ? 'a table name has no control characters'
          : DISPLAY_SPOOFING_CHARACTER.test(name)
            ? `a table name has ${DISPLAY_SPOOFING_RULE}`
            : undefined;
}

/**
 * An attachment path becomes an entry of the attachments archive and, on extraction, a
 * file under the customer's target folder: relative, POSIX separators, no empty, `.` or
 * `..` segment, no backslash, control, bidirectional-control or line-separator character.
 */
export function assertSafeAttachmentPath(path: string, where: string): void {
  const rule = attachmentPathRule(path);
  if (rule) throw unsafeName('attachment', path, where, rule);
}

/** The rule an attachment path breaks, or undefined. */
export function attachmentPathRule(path: string): string | undefined {
  const segments = path.split('/');
  return path.startsWith('/')
    ? 'an attachment path is relative (no leading "/")'
    : segments.some((s) => s === '' || s === '.' || s === '..')
      ? 'an attachment path has no empty, "." or ".." segment'
      : path.includes('\\')
        ? 'an attachment path has no "\\"'
        : CONTROL_CHARACTER.test(path)
          ? 'an attachment path has no control characters'
          : DISPLAY_SPOOFING_CHARACTER.test(path)
            ? `an attachment path has ${DISPLAY_SPOOFING_RULE}`
            : undefined;
}

function unsafeName(kind: string, name: string, where: string, rule: string): IonDestError {
  return new IonDestError('SNAPSHOT_SOURCE_INVALID', `Invalid ${kind} name ${JSON.stringify(name)} (${where}): ${rule}.`, {
    source: 'user',
  });
}

/**
 * The first two names that would be the same file once extracted: equal, or equal under
 * Unicode normalization form C (`café` composed and decomposed look the same, and macOS
 * file systems treat them as one name), or undefined.
 * @see https://www.unicode.org/reports/tr15/
 */
export function findNameTwins(names: readonly string[]): [string, string] | undefined {
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = name.normalize('NFC');
    const other = seen.get(key);
    if (other !== undefined) return [other, name];
    seen.set(key, name);
  }
  return undefined;
}

/** What findNameTwins found, in words (the two names escaped, so the difference shows). */
export function describeNameTwins([a, b]: [string, string]): string {
  return a === b
    ? `two entries have the same name ${JSON.stringify(a)}`
    : `${escapeNonAscii(a)} and ${escapeNonAscii(b)} are the same name under Unicode normalization (NFC): they look alike and extract onto one file on macOS; rename one`;
}

function escapeNonAscii(name: string): string {
  return JSON.stringify(name).replace(/[^\x20-\x7e]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** Throw when two entries would get the same name in one archive, or names equal under NFC. */
export function assertUniqueNames(kind: string, names: readonly string[]): void {
  const twins = findNameTwins(names);
  if (twins) {
    throw new IonDestError('SNAPSHOT_SOURCE_INVALID', `Two ${kind} entries collide: ${describeNameTwins(twins)}.`, { source: 'user' });
  }
}
