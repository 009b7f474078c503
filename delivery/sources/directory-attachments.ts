import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { IonDestError } from '../../errors/index.js';
import { assertSafeAttachmentPath } from '../entry-names.js';
import { fileIdentity, openListedFile, type FileIdentity } from './file-guard.js';
import type { AttachmentRef, AttachmentSource } from './types.js';

/**
 * Attachments from a directory: every regular file under it, at any depth, is one
 * attachment whose archive path is its path relative to the directory. A symbolic link
 * or special file is an error (its target could lie outside the snapshot). Each file is
 * read as it was listed: one deleted, replaced or changed since fails the delivery with
 * SOURCE_FILE_CHANGED (see openListedFile).
 */
export function directoryAttachmentSource(directory: string): AttachmentSource {
  const root = resolve(directory);
  const listed = new Map<string, FileIdentity>();
  return {
    description: `directory ${directory}`,
    async list(): Promise<readonly AttachmentRef[]> {
      const found: AttachmentRef[] = [];
      listed.clear();
      await walk(root, '', found, listed);
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

async function walk(root: string, relative: string, found: AttachmentRef[], listed: Map<string, FileIdentity>): Promise<void> {
  const dir = relative === '' ? root : join(root, ...relative.split('/'));
  const dirents = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new IonDestError('SNAPSHOT_SOURCE_INVALID', `Cannot read the attachments directory ${dir}: ${error.code ?? error.message}.`, {
      source: 'user',
      cause: error,
    });
  });
  for (const d of dirents) {
    const path = relative === '' ? d.name : `${relative}/${d.name}`;
    if (d.isDirectory()) {
      await walk(root, path, found, listed);
    } else if (d.isFile()) {
      assertSafeAttachmentPath(path, join(dir, d.name));
      const identity = await fileIdentity(join(dir, d.name));
      listed.set(path, identity);
      found.push({ path, size: identity.size });
    } else {
      throw new IonDestError(
        'SNAPSHOT_SOURCE_INVALID',
        `${join(dir, d.name)} is not a regular file or directory (a symbolic link or special file); attachments are regular files only.`,
        { source: 'user' },
      );
    }
  }
}
