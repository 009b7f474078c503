import type { BigIntStats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { IonDestError } from '../../errors/index.js';

/**
 * What a source file was when the snapshot listed it: the file (device and inode), its
 * size, and its modification time to the nanosecond. A file whose identity differs later
 * was replaced, truncated, appended to or rewritten in place.
 */
export interface FileIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: number;
  readonly mtimeNs: bigint;
}

const READ_CHUNK = 1 << 20;

/** The identity of `path` now (lstat: a symbolic link is itself, never its target). */
export async function fileIdentity(path: string): Promise<FileIdentity> {
  return identityOf(await lstat(path, { bigint: true }));
}

function identityOf(stats: BigIntStats): FileIdentity {
  return { dev: stats.dev, ino: stats.ino, size: Number(stats.size), mtimeNs: stats.mtimeNs };
}

function differences(listed: FileIdentity, now: FileIdentity): string[] {
  return [
    listed.dev !== now.dev || listed.ino !== now.ino ? 'replaced by another file' : undefined,
    listed.size !== now.size ? `size ${listed.size} → ${now.size} bytes` : undefined,
    listed.mtimeNs !== now.mtimeNs ? 'modification time changed' : undefined,
  ].filter((d): d is string => d !== undefined);
}

/**
 * Read a source file as it was listed, or fail with SOURCE_FILE_CHANGED. The file is
 * opened and its identity compared with the listing (a file deleted or replaced since is
 * caught here); after the last byte the open file is checked again (a file truncated,
 * appended to or rewritten while it was read is caught there), and the bytes read must be
 * its listed size. The error is raised before the stream ends, so a consumer never sees a
 * cut-off file as complete.
 *
 * @param what how the message names the file, e.g. `table "orders" (./tables/orders.csv)`
 */
export async function openListedFile(path: string, listed: FileIdentity, what: string): Promise<Readable> {
  const changed = (detail: string) =>
    new IonDestError(
      'SOURCE_FILE_CHANGED',
      `The ${what} changed after the snapshot was listed (${detail}); a delivery packs one consistent snapshot or nothing.`,
      { source: 'user' },
    );
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw changed('it was deleted');
    throw error;
  });
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= handle.close().catch(() => {}));
  try {
    const opened = differences(listed, identityOf(await handle.stat({ bigint: true })));
    if (opened.length > 0) throw changed(opened.join(', '));
  } catch (error) {
    await close();
    throw error;
  }
  async function* read(): AsyncGenerator<Buffer> {
    try {
      let bytes = 0;
      for await (const chunk of handle.createReadStream({ highWaterMark: READ_CHUNK, autoClose: false, start: 0 }) as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        yield chunk;
      }
      const after = differences(listed, identityOf(await handle.stat({ bigint: true })));
      if (bytes !== listed.size && !after.some((d) => d.startsWith('size'))) after.push(`${bytes} bytes read, ${listed.size} listed`);
      if (after.length > 0) throw changed(after.join(', '));
    } finally {
      await close();
    }
  }
  const stream = Readable.from(read(), { objectMode: false, highWaterMark: READ_CHUNK });
  // A stream destroyed before its first read never starts the generator: close the file then too.
  stream.once('close', () => void close());
  return stream;
}
