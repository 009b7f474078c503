import { isIonDestError } from '../../errors/index.js';
import { startPreparingTables, tableEntrySizeBound, type PreparedTable } from '../archive/compress-table.js';
import { packArchive, type PackableEntry } from '../archive/pack-archive.js';
import { compareEntryNames, planArchives, type ArchivePlan } from '../archive/plan-archives.js';
import type { Spool } from '../archive/spool.js';
import { TAR_END_SIZE, tarEntrySize } from '../archive/tar-entry.js';
import type { TableRef, TableSnapshot } from '../sources/types.js';
import { uploadArchive } from '../upload/upload-archive.js';
import type { DeliveryPlan } from './delivery-plan.js';
import type { DestinationSession } from './destination-session.js';
import { archiveKey, type ArchiveKind } from './object-keys.js';
import { formatBytes } from './parse-size.js';
import type { DeliveredObject } from './report.js';

/** What the archives' upload delivered: the objects in upload order, and the tables as prepared. */
export interface SentArchives {
  attachmentObjects: DeliveredObject[];
  tableObjects: DeliveredObject[];
  tables: PreparedTable[];
}

/**
 * Pack and upload the archives: the attachments archive(s) first, while the tables compress
 * (in archive order, in parallel, into the spool), then the tables archive(s). One archive
 * uploads at a time: they share the destination's bandwidth anyway, and part buffers
 * (concurrency × part size) stay those of one upload. The first failure (or the caller's
 * signal) stops everything else, compression and the other upload.
 */
export async function sendArchives(
  plan: DeliveryPlan,
  destination: DestinationSession,
  snapshot: TableSnapshot,
  attachmentEntries: PackableEntry[],
  spool: Spool,
): Promise<SentArchives> {
  const { options, emit } = plan;
  const { tenant, jobId } = options;
  options.signal?.throwIfAborted();
  const stop = new AbortController();
  const errors: unknown[] = [];
  const task = (work: () => Promise<void>) =>
    work().catch((error: unknown) => {
      errors.push(error);
      stop.abort(error);
    });
  const interrupt = () => {
    errors.unshift(options.signal?.reason);
    stop.abort(options.signal?.reason);
  };
  options.signal?.addEventListener('abort', interrupt, { once: true });
  const attachmentObjects: DeliveredObject[] = [];
  const tableObjects: DeliveredObject[] = [];
  try {
    const attachmentsPlan = planKind(plan, 'attachments', attachmentEntries);

    const tables = [...snapshot.tables].sort((a, b) => compareEntryNames(tableEntryName(a), tableEntryName(b)));
    let ready = 0;
    const preparing = startPreparingTables(snapshot, tables, spool, {
      gzipLevel: plan.gzipLevel,
      ...(options.compressConcurrency ? { concurrency: options.compressConcurrency } : {}),
      signal: stop.signal,
      onTableReady: (t) => {
        ready += 1;
        emit({ type: 'table-ready', table: t.name, size: t.size, compressed: t.compressed, ready, total: tables.length });
      },
    });
    // When the tables surely fit one archive, it streams as each table is ready instead of
    // waiting for all of them: its size is then bounded, not exact, which is all the part
    // size needs. Otherwise the split plan needs every compressed size first.
    const bound = tablesArchiveBound(tables);
    const streamTables = bound !== undefined && bound <= plan.maxArchiveSize;
    const send = (archive: ArchiveToSend) => sendArchive(plan, destination, archive, stop.signal);

    await Promise.all([
      task(async () => {
        for (const archive of attachmentsPlan) attachmentObjects.push(await send({ ...archive, entryCount: archive.entries.length }));
        if (streamTables) {
          emit({ type: 'plan', kind: 'tables', archives: [{ key: archiveKey(tenant, jobId, 'tables'), size: bound, entries: tables.length }] });
          tableObjects.push(
            await send({
              kind: 'tables',
              key: archiveKey(tenant, jobId, 'tables'),
              part: undefined,
              partCount: 1,
              entries: streamPreparedTables(preparing.each),
              entryCount: tables.length,
              sizeBound: bound,
            }),
          );
        } else {
          const prepared = await preparing.all;
          for (const archive of planKind(plan, 'tables', prepared.map(tableEntry))) {
            tableObjects.push(await send({ ...archive, entryCount: archive.entries.length }));
          }
        }
      }),
      task(async () => {
        await preparing.all;
      }),
    ]);
    if (errors.length > 0) {
      // An upload that could not be aborted matters most: it left parts behind (its message has the cause).
      throw errors.find((e) => isIonDestError(e) && e.code === 'UPLOAD_NOT_ABORTED') ?? errors[0];
    }
    options.signal?.throwIfAborted();
    return { attachmentObjects, tableObjects, tables: await preparing.all };
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
    stop.abort();
  }
}

function tableEntryName(table: TableRef): string {
  return `${table.name}.csv.gz`;
}

/** Upper bound of a single tables archive, or undefined when a table's size is unknown. */
function tablesArchiveBound(tables: readonly TableRef[]): number | undefined {
  let total = TAR_END_SIZE;
  for (const t of tables) {
    const bound = tableEntrySizeBound(t);
    if (bound === undefined) return undefined;
    total += tarEntrySize(tableEntryName(t), bound);
  }
  return total;
}

async function* streamPreparedTables(each: readonly Promise<PreparedTable>[]): AsyncGenerator<PackableEntry> {
  for (const table of each) yield tableEntry(await table);
}

function tableEntry(t: PreparedTable): PackableEntry {
  return { name: t.name, size: t.size, open: () => t.open(), release: () => t.release() };
}

/** Split one kind's entries into archives (an entry over the limit gets one of its own, with a warning); announce the plan. */
function planKind(plan: DeliveryPlan, kind: ArchiveKind, entries: PackableEntry[]): ArchivePlan<PackableEntry>[] {
  const { tenant, jobId } = plan.options;
  const { archives, oversized } = planArchives(kind, entries, { tenant, jobId, maxArchiveSize: plan.maxArchiveSize });
  for (const e of oversized) {
    plan.warn(
      `${kind} entry ${JSON.stringify(e.name)} (${formatBytes(e.size)}) is larger than the archive limit of ${formatBytes(plan.maxArchiveSize)}; it gets an archive of its own.`,
    );
  }
  plan.emit({ type: 'plan', kind, archives: archives.map((a) => ({ key: a.key, size: a.size, entries: a.entries.length })) });
  return archives;
}

/** One archive to upload: planned (exact size) or streamed (size bounded). */
interface ArchiveToSend {
  kind: ArchiveKind;
  key: string;
  part: number | undefined;
  partCount: number;
  entries: Iterable<PackableEntry> | AsyncIterable<PackableEntry>;
  entryCount: number;
  size?: number;
  sizeBound?: number;
}

/** Pack one archive from its entries as it streams into a multipart upload; describe what was stored. */
async function sendArchive(plan: DeliveryPlan, destination: DestinationSession, archive: ArchiveToSend, signal: AbortSignal): Promise<DeliveredObject> {
  const { emit, partSize } = plan;
  const started = Date.now();
  const expected = (archive.size ?? archive.sizeBound) as number;
  emit({ type: 'archive-start', key: archive.key, kind: archive.kind, size: expected, exact: archive.size !== undefined, partSize });
  const uploaded = await uploadArchive({
    client: destination.client,
    bucket: plan.options.bucket,
    key: archive.key,
    body: packArchive(archive.entries, plan.snapshotTime),
    ...(archive.size !== undefined ? { size: archive.size } : { sizeBound: archive.sizeBound as number }),
    partSize,
    concurrency: plan.concurrency,
    signal,
    onProgress: (n) => emit({ type: 'archive-progress', key: archive.key, uploaded: n, size: expected }),
  });
  emit({ type: 'archive-done', key: archive.key, size: uploaded.size, checksum: uploaded.checksum, seconds: (Date.now() - started) / 1000 });
  return {
    key: archive.key,
    kind: archive.kind,
    ...(archive.part !== undefined ? { part: archive.part } : {}),
    partCount: archive.partCount,
    size: uploaded.size,
    checksumAlgorithm: uploaded.checksumAlgorithm,
    checksumType: uploaded.checksumType,
    checksum: uploaded.checksum,
    entries: archive.entryCount,
    uploadParts: uploaded.partCount,
    uploadPartSize: uploaded.partSize,
  };
}
