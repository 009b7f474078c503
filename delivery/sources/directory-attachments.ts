import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { IonDestError } from '../../errors/index.js';
import { assertSafeAttachmentPath } from '../entry-names.js';
import type { AttachmentRef, AttachmentSource } from './types.js';

/**
 * Attachments from a directory: every regular file under it, at any depth, is one
 * attachment whose archive path is its path relative to the directory. A symbolic link
 * or special file is an error (its target could lie outside the snapshot).
 */
export function directoryAttachmentSource(directory: string): AttachmentSource {
  const root = resolve(directory);
  return {
    description: `directory ${directory}`,
    async list(): Promise<readonly AttachmentRef[]> {
      const found: AttachmentRef[] = [];
      await walk(root, '', found);
      return found;
    },
    async openAttachment(attachment: AttachmentRef): Promise<Readable> {
      return createReadStream(join(root, ...attachment.path.split('/')), { highWaterMark: 1 << 20 });
    },
  };
}

async function walk(root: string, relative: string, found: AttachmentRef[]): Promise<void> {
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
      await walk(root, path, found);
    } else if (d.isFile()) {
      assertSafeAttachmentPath(path, join(dir, d.name));
      const { size } = await lstat(join(dir, d.name));
      found.push({ path, size });
    } else {
      throw new IonDestError(
        'SNAPSHOT_SOURCE_INVALID',
        `${join(dir, d.name)} is not a regular file or directory (a symbolic link or special file); attachments are regular files only.`,
        { source: 'user' },
      );
    }
  }
}
