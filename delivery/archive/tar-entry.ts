import type { Header } from 'tar-stream';

/**
 * Tar geometry, so archive sizes are known before packing (a multipart upload sizes its
 * parts from it, and the split rule needs it). Mirrors what tar-stream writes: a 512-byte
 * ustar header, the data padded to 512, and for a long or non-ASCII name a pax extended
 * header (its own 512-byte header plus the padded `path=` record) first.
 *
 * @see https://pubs.opengroup.org/onlinepubs/9799919799/utilities/pax.html (ustar and pax formats)
 */

export type EntryHeader = Partial<Header> & Pick<Header, 'name'>;

/** Tar works in 512-byte blocks. */
export const TAR_BLOCK_SIZE = 512;
/** Two zero blocks end an archive. */
export const TAR_END_SIZE = 2 * TAR_BLOCK_SIZE;
/** The ustar name field holds 100 bytes; longer names go into a pax `path` record. */
const USTAR_NAME_MAX_BYTES = 100;
/** Regular files: rw-r--r--, the same for every entry so headers do not depend on the source machine. */
export const ENTRY_MODE = 0o644;

function padToBlock(size: number): number {
  return Math.ceil(size / TAR_BLOCK_SIZE) * TAR_BLOCK_SIZE;
}

/** True when the name needs a pax `path` record (over 100 bytes, or not plain ASCII). */
export function needsPaxHeader(name: string): boolean {
  return Buffer.byteLength(name) > USTAR_NAME_MAX_BYTES || !/^[\x20-\x7e]*$/.test(name);
}

/** Length of one pax record `"<len> <key>=<value>\n"`, where `<len>` counts itself. */
export function paxRecordLength(key: string, value: string): number {
  const body = Buffer.byteLength(` ${key}=${value}\n`);
  let length = body + String(body).length;
  if (String(length).length !== String(body).length) length = body + String(length).length;
  return length;
}

/** Bytes one file entry takes in the archive: headers plus padded data. */
export function tarEntrySize(name: string, size: number): number {
  const pax = needsPaxHeader(name) ? TAR_BLOCK_SIZE + padToBlock(paxRecordLength('path', name)) : 0;
  return pax + TAR_BLOCK_SIZE + padToBlock(size);
}

/** Bytes of a whole archive of these entries. */
export function tarArchiveSize(entries: readonly { name: string; size: number }[]): number {
  return entries.reduce((sum, e) => sum + tarEntrySize(e.name, e.size), TAR_END_SIZE);
}

/**
 * The header of one entry. Everything but name and size is fixed (mode, uid/gid 0, no
 * user or group names, mtime = the snapshot time), so the same snapshot packs to the
 * same bytes on any machine.
 */
export function buildEntryHeader(name: string, size: number, mtime: Date): EntryHeader {
  return {
    name,
    size,
    type: 'file',
    mode: ENTRY_MODE,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    mtime,
    // An empty pax object makes tar-stream write the name as a pax `path` record
    // instead of splitting it into the ustar prefix field.
    ...(needsPaxHeader(name) ? { pax: {} } : {}),
  };
}
