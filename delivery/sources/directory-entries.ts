import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { IonDestError, type InputProblem } from '../../errors/index.js';

/**
 * What the directory sources share: reading a directory's names as the bytes the file
 * system holds (so a name that is not UTF-8 is named as such, not mistaken for a missing
 * file), and problems that name the file and the rule.
 */

/** One problem with a source directory or a file in it. `path` is shown as the value. */
export interface SourceProblem {
  path: string;
  rule: string;
}

/** A directory entry whose name is valid UTF-8. */
export interface NamedEntry {
  name: string;
  dirent: Dirent<Buffer>;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The name as text, or undefined when its bytes are not valid UTF-8. */
export function decodeFileName(raw: Buffer): string | undefined {
  try {
    return UTF8.decode(raw);
  } catch {
    return undefined;
  }
}

/** A file name's bytes with every byte outside printable ASCII as `\xNN` (`caf\xe9.pdf`). */
export function escapeFileName(raw: Buffer): string {
  return [...raw].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}

/** Why a directory cannot be read, in words. */
function unreadableRule(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'the directory does not exist';
    case 'ENOTDIR':
      return 'this is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'the directory cannot be read (permission denied)';
    default:
      return `the directory cannot be read (${error.code ?? error.message})`;
  }
}

/**
 * The entries of a directory. Names that are not valid UTF-8 become problems naming their
 * bytes; a directory that cannot be read is one problem.
 */
export async function readEntries(dir: string, shownDir: string): Promise<{ entries: NamedEntry[]; problems: SourceProblem[] }> {
  let dirents: Dirent<Buffer>[];
  try {
    dirents = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    return { entries: [], problems: [{ path: shownDir, rule: unreadableRule(error as NodeJS.ErrnoException) }] };
  }
  const entries: NamedEntry[] = [];
  const problems: SourceProblem[] = [];
  for (const dirent of dirents) {
    const raw = dirent.name as unknown as Buffer;
    const name = decodeFileName(raw);
    if (name === undefined) {
      problems.push({
        path: `${shownDir}/${raw.toString('utf8')}`,
        rule: `a file name is valid UTF-8, and this one's bytes are ${escapeFileName(raw)} (\\xNN: a byte that is not UTF-8 text); rename the file`,
      });
    } else {
      entries.push({ name, dirent });
    }
  }
  return { entries, problems };
}

/** Source problems as input problems of one flag or field (`--tables`). */
export function asInputProblems(field: string, problems: readonly SourceProblem[]): InputProblem[] {
  return problems.map((p) => ({ field, value: p.path, rule: p.rule }));
}

/** The first source problem as the error a delivery fails with. */
export function sourceProblemError(kind: string, problem: SourceProblem): IonDestError {
  return new IonDestError('SNAPSHOT_SOURCE_INVALID', `Invalid ${kind} ${JSON.stringify(problem.path)}: ${problem.rule}.`, { source: 'user' });
}
