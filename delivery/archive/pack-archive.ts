import { once } from 'node:events';
import type { Readable } from 'node:stream';
import tar, { type Pack } from 'tar-stream';
import { IonDestError } from '../../errors/index.js';
import type { PlannedEntry } from './plan-archives.js';
import { buildEntryHeader } from './tar-entry.js';

/** An entry the packer can stream: planned name and size, and how to read it. */
export interface PackableEntry extends PlannedEntry {
  open(): Promise<Readable>;
  /** Called once the entry's bytes are all in the archive, and not if packing it failed: its source may be discarded. */
  release?(): Promise<void>;
}

/**
 * Stream one archive: a ustar tar of `entries` in the order given, with deterministic
 * headers (see buildEntryHeader). Entries are read one at a time and never held whole in
 * memory; they may arrive asynchronously (a table as soon as it is compressed). A source that yields more or fewer bytes than its planned size fails the
 * archive with SOURCE_FILE_CHANGED instead of producing a corrupt tar.
 */
export async function* packArchive(entries: Iterable<PackableEntry> | AsyncIterable<PackableEntry>, mtime: Date): AsyncGenerator<Buffer> {
  const pack = tar.pack();
  // Errors reach the consumer through the iterator below; without a listener, one emitted
  // after the consumer stopped (an aborted upload) would crash the process.
  pack.on('error', () => {});
  const feeding = feedEntries(pack, entries, mtime).then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(error as Error),
  );
  try {
    for await (const chunk of pack as AsyncIterable<Buffer>) yield chunk;
  } finally {
    if (!pack.destroyed) pack.destroy(null);
    await feeding;
  }
}

async function feedEntries(pack: Pack, entries: Iterable<PackableEntry> | AsyncIterable<PackableEntry>, mtime: Date): Promise<void> {
  for await (const entry of entries) {
    let finish!: (error?: Error | null) => void;
    const done = new Promise<void>((resolve, reject) => {
      finish = (error) => (error ? reject(error) : resolve());
    });
    // Awaited below; it may fail first while the entry is still being written (the archive was torn down).
    done.catch(() => {});
    const sink = pack.entry(buildEntryHeader(entry.name, entry.size, mtime), (error) => finish(error));
    // The entry callback above reports the entry's failure; this keeps its 'error' event from being unhandled.
    sink.on('error', () => {});
    const source = await entry.open();
    let written = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        written += chunk.length;
        if (written > entry.size) throw sizeChanged(entry, `more than ${entry.size}`);
        if (!sink.write(chunk)) await waitForDrain(sink as unknown as NodeJS.EventEmitter);
      }
      if (written !== entry.size) throw sizeChanged(entry, String(written));
    } catch (error) {
      source.destroy();
      sink.destroy(error as Error);
      throw error;
    }
    sink.end(undefined);
    await done;
    await entry.release?.();
  }
}

/** Resolve on 'drain'; reject when the entry is torn down first (the archive's consumer stopped). */
async function waitForDrain(sink: NodeJS.EventEmitter): Promise<void> {
  const controller = new AbortController();
  try {
    await Promise.race([
      once(sink, 'drain', { signal: controller.signal }),
      once(sink, 'close', { signal: controller.signal }).then(() => {
        throw new Error('archive stream closed');
      }),
    ]);
  } finally {
    controller.abort();
  }
}

function sizeChanged(entry: PackableEntry, actual: string): IonDestError {
  return new IonDestError(
    'SOURCE_FILE_CHANGED',
    `Entry ${JSON.stringify(entry.name)} yielded ${actual} bytes, but it was planned at ${entry.size} bytes (its size went into the tar header).`,
    { source: 'user' },
  );
}
