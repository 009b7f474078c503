import { IonDestError } from '../errors/index.js';

/** Control characters (C0, DEL, C1) never go into an archive name: they garble listings and terminals. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * A table name becomes the entry `<name>.csv.gz` at the top of the tables archive: one
 * path segment, no control character, not `.` or `..`.
 */
export function assertSafeTableName(name: string, where: string): void {
  const rule =
    name === '' || name === '.' || name === '..'
      ? 'a table name is not empty, "." or ".."'
      : name.includes('/') || name.includes('\\')
        ? 'a table name has no "/" or "\\"'
        : CONTROL_CHARACTER.test(name)
          ? 'a table name has no control characters'
          : undefined;
  if (rule) throw unsafeName('table', name, where, rule);
}

/**
 * An attachment path becomes an entry of the attachments archive and, on extraction, a
 * file under the customer's target folder: relative, POSIX separators, no empty, `.` or
 * `..` segment, no backslash or control character.
 */
export function assertSafeAttachmentPath(path: string, where: string): void {
  const segments = path.split('/');
  const rule = path.startsWith('/')
    ? 'an attachment path is relative (no leading "/")'
    : segments.some((s) => s === '' || s === '.' || s === '..')
      ? 'an attachment path has no empty, "." or ".." segment'
      : path.includes('\\')
        ? 'an attachment path has no "\\"'
        : CONTROL_CHARACTER.test(path)
          ? 'an attachment path has no control characters'
          : undefined;
  if (rule) throw unsafeName('attachment', path, where, rule);
}

function unsafeName(kind: string, name: string, where: string, rule: string): IonDestError {
  return new IonDestError('SNAPSHOT_SOURCE_INVALID', `Invalid ${kind} name ${JSON.stringify(name)} (${where}): ${rule}.`, {
    source: 'user',
  });
}

/** Throw when two entries would get the same name in one archive. */
export function assertUniqueNames(kind: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new IonDestError('SNAPSHOT_SOURCE_INVALID', `Two ${kind} entries have the same name ${JSON.stringify(name)}.`, {
        source: 'user',
      });
    }
    seen.add(name);
  }
}
