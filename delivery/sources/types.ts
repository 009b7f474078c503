import type { Readable } from 'node:stream';
import type { InputProblem } from '../../errors/index.js';

/**
 * Snapshot sources. The packing and upload code sees only these interfaces, so a
 * new source (a database, another bucket) plugs in without touching it.
 */

/** One table of a snapshot. It becomes the entry `<name>.csv.gz` in the tables archive. */
export interface TableRef {
  /** Table name as it appears in the archive (without `.csv.gz`). Unique within a snapshot. */
  readonly name: string;
  /** What `openTable` yields: plain CSV (the packer gzips it) or CSV that is already gzipped. */
  readonly format: 'csv' | 'csv.gz';
  /** Byte size of what `openTable` yields, when known up front (a file's size); undefined otherwise. */
  readonly size?: number;
}

/** A consistent view of the tables, open until `close`. */
export interface TableSnapshot {
  readonly tables: readonly TableRef[];
  /** Stream one table's content (CSV with a header row, or its gzip). Called at most once per table. */
  openTable(table: TableRef): Promise<Readable>;
  /** Release what the snapshot holds (transaction, connections, handles). Always called, also on failure. */
  close(): Promise<void>;
}

export interface TableSource {
  /** For reports and logs, with no secret in it (e.g. `directory ./tables`, `postgres schema "tenant_acme"`). */
  readonly description: string;
  /**
   * Optional pre-flight, run before any AWS call: every problem found without reading the
   * data (names, kinds, a file's first bytes), each naming the file. Empty when none.
   */
  check?(): Promise<readonly InputProblem[]>;
  open(): Promise<TableSnapshot>;
}

/** One attachment. It becomes the entry `<path>` in the attachments archive, stored as it is. */
export interface AttachmentRef {
  /** Relative POSIX path inside the archive (`a/b/c.pdf`): no leading `/`, no `..` segment. */
  readonly path: string;
  /** Exact byte size; sources must know it before streaming (a tar header needs it first). */
  readonly size: number;
}

export interface AttachmentSource {
  readonly description: string;
  /** Optional pre-flight, as TableSource.check. */
  check?(): Promise<readonly InputProblem[]>;
  /** Every attachment, in any order (the packer sorts). */
  list(): Promise<readonly AttachmentRef[]>;
  /** Stream one attachment's bytes; must yield exactly `size` bytes. */
  openAttachment(attachment: AttachmentRef): Promise<Readable>;
}
