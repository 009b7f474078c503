import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private temporary folder for compressed tables (a tar header needs an entry's size
 * before its bytes, and a table's compressed size is known only after compressing it).
 * `remove()` deletes it; it is also deleted if the process exits before that.
 */
export interface Spool {
  readonly directory: string;
  /** A fresh file path inside the spool, named by sequence (never by a table name). */
  nextPath(suffix: string): string;
  remove(): Promise<void>;
}

/** Create a spool under the system temporary folder (TMPDIR). */
export async function createSpool(parent: string = tmpdir()): Promise<Spool> {
  const directory = await mkdtemp(join(parent, 'ion-dest-spool-'));
  let counter = 0;
  const removeOnExit = () => rmSync(directory, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  return {
    directory,
    nextPath(suffix) {
      counter += 1;
      return join(directory, `${String(counter).padStart(6, '0')}${suffix}`);
    },
    async remove() {
      process.removeListener('exit', removeOnExit);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
