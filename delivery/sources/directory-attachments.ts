import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { IonDestError, type InputProblem } from '../../errors/index.js';
import { attachmentPathRule, describeNameTwins, findNameTwins } from '../archive/entry-names.js';
import { asInputProblems, readEntries, sourceProblemError, type SourceProblem } from './directory-entries.js';
import { fileIdentity, openListedFile, type FileIdentity } from './file-guard.js';
import type { AttachmentRef, AttachmentSource } from './types.js';

/**
 * Attachments from a directory: every regular file under it, at any depth, is one
 * attachment whose archive path is its path relative to the directory. A symbolic link
 * or special file is an error (its target could lie outside the snapshot). `field` names
 * the directory in problems (the CLI passes `--attachments`). Each file is read as it was
 * listed: one deleted, replaced or changed since fails the delivery with
 * SOURCE_FILE_CHANGED (see openListedFile).
 */
export function directoryAttachmentSource(directory: string, field = 'attachments directory'): AttachmentSource {
  const root = resolve(directory);
  const listed = new Map<string, FileIdentity>();
  let checked: Promise<InputProblem[]> | undefined;
  return {
    description: `directory ${directory}`,
    // Once per source: the CLI and deliverSnapshot both ask.
    check(): Promise<InputProblem[]> {
      checked ??= scan(root, directory).then((problems) => asInputProblems(field, problems));
      return checked;
    },
    async list(): Promise<readonly AttachmentRef[]> {
      const found: AttachmentRef[] = [];
      listed.clear();
      const problems = await scan(root, directory, found, listed);
      if (problems[0]) throw sourceProblemError('attachment', problems[0]);
      return found;
    },
    async openAttachment(attachment: AttachmentRef): Promise<Readable> {
      const path = join(root, ...attachment.path.split('/'));
      const what = `attachment ${JSON.stringify(attachment.path)} (${path})`;
      // An attachment this source did not list (a caller's own ref) is held to what it is when opened.
      const identity = listed.get(attachment.path) ?? (await fileIdentity(path).catch(() => undefined));
      if (identity === undefined) throw new IonDestError('SOURCE_FILE_CHANGED', `The ${what} does not exist.`, { source: 'user' });
      return openListedFile(path, identity, what);
    },
  };
}

/** Every attachment under the directory (into `found`) and every problem, each naming the file. */
async function scan(root: string, shown: string, found: AttachmentRef[] = [], listed?: Map<string, FileIdentity>): Promise<SourceProblem[]> {
  const problems: SourceProblem[] = [];
  await walk(root, shown, '', found, problems, listed);
  const twins = findNameTwins(found.map((a) => a.path));
  if (twins) problems.push({ path: join(shown, twins[1]), rule: describeNameTwins(twins) });
  return problems;
}

async function walk(
  root: string,
  shown: string,
  relative: string,
  found: AttachmentRef[],
  problems: SourceProblem[],
  listed: Map<string, FileIdentity> | undefined,
): Promise<void> {
  const dir = relative === '' ? root : join(root, ...relative.split('/'));
  const { entries, problems: unreadable } = await readEntries(dir, relative === '' ? shown : join(shown, relative));
  problems.push(...unreadable);
  for (const { name, dirent: d } of entries) {
    const path = relative === '' ? name : `${relative}/${name}`;
    if (d.isDirectory()) {
      await walk(root, shown, path, found, problems, listed);
    } else if (d.isFile()) {
      const unsafe = attachmentPathRule(path);
      if (unsafe) {
        problems.push({ path: join(shown, path), rule: unsafe });
        continue;
      }
      const identity = await fileIdentity(join(dir, name));
      listed?.set(path, identity);
      found.push({ path, size: identity.size });
    } else {
      problems.push({
        path: join(shown, path),
        rule: 'not a regular file or directory (a symbolic link or special file); attachments are regular files only',
      });
    }
  }
}
