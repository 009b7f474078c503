import { IonDestError, isIonDestError } from '../../errors/index.js';
import { assertSafeAttachmentPath, assertSafeTableName, assertUniqueNames } from '../archive/entry-names.js';
import type { PackableEntry } from '../archive/pack-archive.js';
import type { AttachmentSource, TableSnapshot, TableSource } from '../sources/types.js';

/** Open the table source's snapshot; a source's own failure becomes SNAPSHOT_SOURCE_INVALID. */
export async function openTables(source: TableSource): Promise<TableSnapshot> {
  try {
    return await source.open();
  } catch (error) {
    throw sourceFailure(error, `Opening the table source (${source.description}) failed`);
  }
}

/**
 * List the attachments as archive entries and check every entry name (attachment paths
 * and table names): safe to extract, and no two that would extract onto one file (equal,
 * or equal under Unicode normalization).
 */
export async function readEntries(attachments: AttachmentSource, tables: TableSource, snapshot: TableSnapshot): Promise<PackableEntry[]> {
  const attachmentRefs = await listAttachments(attachments);
  const attachmentEntries: PackableEntry[] = attachmentRefs.map((a) => {
    assertSafeAttachmentPath(a.path, attachments.description);
    return { name: a.path, size: a.size, open: () => attachments.openAttachment(a) };
  });
  assertUniqueNames('attachment', attachmentEntries.map((e) => e.name));
  for (const t of snapshot.tables) assertSafeTableName(t.name, tables.description);
  assertUniqueNames('table', snapshot.tables.map((t) => t.name));
  return attachmentEntries;
}

async function listAttachments(source: AttachmentSource) {
  try {
    return await source.list();
  } catch (error) {
    throw sourceFailure(error, `Listing the attachments (${source.description}) failed`);
  }
}

function sourceFailure(error: unknown, what: string): IonDestError {
  if (isIonDestError(error)) return error;
  return new IonDestError('SNAPSHOT_SOURCE_INVALID', `${what}: ${(error as Error).message}`, { source: 'user', cause: error });
}
