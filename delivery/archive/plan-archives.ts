import { archiveKey, type ArchiveKind } from '../orchestration/object-keys.js';
import { TAR_END_SIZE, tarEntrySize } from './tar-entry.js';

/**
 * The largest archive the delivery writes unless told otherwise. 5 GiB keeps every
 * archive a size the customer's tools download and extract comfortably, and a single
 * PutObject could still carry it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html
 */
export const DEFAULT_MAX_ARCHIVE_SIZE = 5 * 2 ** 30;

/** One entry, as the plan sees it: its name in the archive and its exact byte size. */
export interface PlannedEntry {
  readonly name: string;
  readonly size: number;
}

/** One archive object to upload: a complete tar of whole entries. */
export interface ArchivePlan<E extends PlannedEntry = PlannedEntry> {
  readonly kind: ArchiveKind;
  readonly key: string;
  /** 1-based part number when the kind is split; undefined for the plain name. */
  readonly part: number | undefined;
  /** Total parts of this kind (1 when not split). */
  readonly partCount: number;
  readonly entries: readonly E[];
  /** Exact size of the tar in bytes. */
  readonly size: number;
}

export interface ArchivePlanResult<E extends PlannedEntry> {
  readonly archives: ArchivePlan<E>[];
  /** Entries too large for any archive: each got a part of its own. */
  readonly oversized: readonly E[];
}

/** Byte order of UTF-8 names: the same on every machine and locale. */
export function compareEntryNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Split one kind's entries into archives no larger than `maxArchiveSize`.
 *
 * Rule: entries in byte order of their names fill the current archive until the next one
 * would push it over the limit; then a new archive starts. An entry never spans two
 * archives; one that alone exceeds the limit gets an archive of its own (reported in
 * `oversized`). A single archive keeps the plain key; more than one are numbered from 1.
 * No entries still give one (empty) archive, so both promised keys always exist.
 */
export function planArchives<E extends PlannedEntry>(
  kind: ArchiveKind,
  entries: readonly E[],
  options: { tenant: string; jobId: string; maxArchiveSize: number },
): ArchivePlanResult<E> {
  const sorted = [...entries].sort((a, b) => compareEntryNames(a.name, b.name));
  const groups: { entries: E[]; size: number }[] = [];
  const oversized: E[] = [];
  let current: { entries: E[]; size: number } = { entries: [], size: TAR_END_SIZE };
  for (const entry of sorted) {
    const entrySize = tarEntrySize(entry.name, entry.size);
    if (TAR_END_SIZE + entrySize > options.maxArchiveSize) oversized.push(entry);
    if (current.entries.length > 0 && current.size + entrySize > options.maxArchiveSize) {
      groups.push(current);
      current = { entries: [], size: TAR_END_SIZE };
    }
    current.entries.push(entry);
    current.size += entrySize;
  }
  groups.push(current);
  const split = groups.length > 1;
  const archives = groups.map((g, i) => ({
    kind,
    key: archiveKey(options.tenant, options.jobId, kind, split ? i + 1 : undefined),
    part: split ? i + 1 : undefined,
    partCount: groups.length,
    entries: g.entries,
    size: g.size,
  }));
  return { archives, oversized };
}
