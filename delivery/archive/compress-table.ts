import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zlibConstants } from 'node:zlib';
import { IonDestError, isIonDestError } from '../../errors/index.js';
import type { Spool } from './spool.js';
import type { TableRef, TableSnapshot } from '../sources/types.js';

/**
 * gzip level for tables. Level 1 compresses CSV about three times faster than the
 * default 6 (near 190 against 64 MiB/s per core) for output about 17% larger (38.8%
 * against 33.1% of the CSV on the benchmark's tables), and compression is the costliest
 * stage of a delivery: with level 6 a snapshot would be CPU-bound well below what S3
 * accepts. Larger archives cost the customer a little storage; a slow delivery holds the
 * database snapshot open longer and delays every tenant after it.
 */
export const DEFAULT_GZIP_LEVEL = 1;

/**
 * Tables compressed at once unless told otherwise: one more than the cores, at most five. A
 * table's gzip runs on libuv's thread pool but hands every chunk back to the main thread
 * (read, compress, write to the spool), so a stream that waits for a busy main thread or for
 * the disk leaves its core idle for that moment; one stream more than the cores fills those
 * moments. On the 2-core development machine (README, Benchmarks) a 4 GiB delivery kept 1.91
 * cores busy with three streams against 1.79 with two. libuv's pool has four threads unless
 * UV_THREADPOOL_SIZE says otherwise, so on larger machines more streams would only wait there,
 * each holding its read buffer and zlib's state: raise both together to use more cores.
 */
export const DEFAULT_COMPRESS_CONCURRENCY = Math.min(availableParallelism() + 1, 5);

/** zlib output buffer: larger than the 16 KiB default, so fewer hops to and from the thread pool. */
const GZIP_CHUNK_SIZE = 256 * 1024;

/** One entry of the tables archive, ready to pack: its exact size is known. */
export interface PreparedTable {
  /** Entry name: `<table>.csv.gz`. */
  readonly name: string;
  readonly size: number;
  /** Bytes the source yielded (CSV, or its gzip as delivered), for throughput figures. */
  readonly sourceBytes: number;
  /** Whether the delivery compressed it (false: it arrived gzipped). */
  readonly compressed: boolean;
  open(): Promise<Readable>;
  /**
   * The table has been packed and will not be read again: its spooled file is deleted now,
   * so the spool holds only tables not packed yet (and the kernel can reuse the file's
   * memory for the next ones) instead of a whole snapshot's compressed tables.
   */
  release(): Promise<void>;
}

export interface CompressTablesOptions {
  gzipLevel?: number;
  /** Tables compressed at once (default DEFAULT_COMPRESS_CONCURRENCY: one more than the cores, at most five). */
  concurrency?: number;
  onTableReady?: (table: PreparedTable) => void;
  /** Stop early (another stage failed). */
  signal?: AbortSignal;
}

/** Tables being prepared: one promise per table (in the order given) and one for all. */
export interface TablesInPreparation {
  readonly each: readonly Promise<PreparedTable>[];
  readonly all: Promise<PreparedTable[]>;
}

/**
 * Prepare every table for packing: plain CSV is gzipped into the spool (zlib runs on
 * libuv's thread pool, so several tables compress in parallel off the main thread); an
 * already gzipped table of known size is packed straight from its source and never
 * compressed again; one of unknown size is copied to the spool to learn it. Tables are
 * taken in the order given, so a packer waiting for them in that order gets each as early
 * as possible.
 */
export function startPreparingTables(
  snapshot: TableSnapshot,
  tables: readonly TableRef[],
  spool: Spool,
  options: CompressTablesOptions = {},
): TablesInPreparation {
  const level = options.gzipLevel ?? DEFAULT_GZIP_LEVEL;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_COMPRESS_CONCURRENCY);
  const settlers = tables.map(() => {
    let resolve!: (t: PreparedTable) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<PreparedTable>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A consumer may stop listening after a failure; the rejection is reported through `all`.
    promise.catch(() => {});
    return { promise, resolve, reject };
  });
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < tables.length && !failed) {
      const index = next++;
      const settler = settlers[index] as (typeof settlers)[number];
      try {
        options.signal?.throwIfAborted();
        const prepared = await prepareTable(snapshot, tables[index] as TableRef, spool, level, options.signal);
        settler.resolve(prepared);
        options.onTableReady?.(prepared);
      } catch (error) {
        failed = true;
        settler.reject(error);
        for (const s of settlers.slice(index + 1)) s.reject(error);
        throw error;
      }
    }
  };
  const workers = Promise.all(Array.from({ length: Math.min(concurrency, tables.length) }, worker));
  const all = workers.then(() => Promise.all(settlers.map((s) => s.promise)));
  return { each: settlers.map((s) => s.promise), all };
}

/**
 * A safe upper bound of a table's entry size before it is compressed (deflate adds at most
 * a few bytes per 16 KiB stored block, plus the gzip header and trailer), or undefined
 * when the source size is unknown.
 * @see https://www.zlib.net/manual.html (deflateBound)
 */
export function tableEntrySizeBound(table: TableRef): number | undefined {
  if (table.size === undefined) return undefined;
  if (table.format === 'csv.gz') return table.size;
  return table.size + Math.ceil(table.size / 1024) + 1024;
}

async function prepareTable(
  snapshot: TableSnapshot,
  table: TableRef,
  spool: Spool,
  level: number,
  signal: AbortSignal | undefined,
): Promise<PreparedTable> {
  const name = `${table.name}.csv.gz`;
  if (table.format === 'csv.gz' && table.size !== undefined) {
    const size = table.size;
    return { name, size, sourceBytes: size, compressed: false, open: () => snapshot.openTable(table), release: async () => {} };
  }
  const path = spool.nextPath('.csv.gz');
  const counter = countBytes();
  try {
    const source = await snapshot.openTable(table);
    const steps =
      table.format === 'csv'
        ? [source, counter.stream, createGzip({ level, chunkSize: GZIP_CHUNK_SIZE, strategy: zlibConstants.Z_DEFAULT_STRATEGY })]
        : [source, counter.stream];
    await pipeline([...steps, createWriteStream(path)], signal ? { signal } : {});
  } catch (error) {
    if (isIonDestError(error) || (error as Error).name === 'AbortError') throw error;
    throw new IonDestError(
      'SPOOL_FAILED',
      `Preparing table ${JSON.stringify(table.name)} failed: ${(error as Error).message}.`,
      { source: 'toolkit', cause: error },
    );
  }
  const { size } = await stat(path);
  return {
    name,
    size,
    sourceBytes: counter.bytes(),
    compressed: table.format === 'csv',
    open: async () => createReadStream(path, { highWaterMark: 1 << 20 }),
    release: () => rm(path, { force: true }),
  };
}

function countBytes(): { stream: Transform; bytes: () => number } {
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, bytes: () => bytes };
}
