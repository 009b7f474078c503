import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../aws/clients.js';
import { IonDestError, isIonDestError, type InputProblem } from '../errors/index.js';
import { findDestinationProblems } from '../destination/index.js';
import { assertNoProblems, parseRoleArn, validateJobId } from '../policy/index.js';
import { DEFAULT_GZIP_LEVEL, startPreparingTables, tableEntrySizeBound, type PreparedTable } from './compress-table.js';
import { createDeliveryCredentials, deliverySessionName } from '../destination/delivery-credentials.js';
import { assertSafeAttachmentPath, assertSafeTableName, assertUniqueNames } from './entry-names.js';
import { buildManifest } from './manifest.js';
import { archiveKey, deliveryPrefix, manifestKey, type ArchiveKind } from './object-keys.js';
import { packArchive, type PackableEntry } from './pack-archive.js';
import { formatBytes } from './parse-size.js';
import { DEFAULT_MAX_ARCHIVE_SIZE, compareEntryNames, planArchives, type ArchivePlan } from './plan-archives.js';
import { TAR_END_SIZE, tarEntrySize } from './tar-entry.js';
import type { ProgressListener } from './progress.js';
import type { DeliveredObject, DeliveryReport } from './report.js';
import type { AttachmentSource, TableRef, TableSnapshot, TableSource } from './sources/types.js';
import { startDigestThreads } from './part-digests.js';
import { findPreviousDelivery, removePreviousManifest, removeSupersededObjects } from './previous-delivery.js';
import { createSpool, removeDeadSpools } from './spool.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, uploadArchive } from './upload-archive.js';
import {
  CONCURRENCY_RANGE,
  GZIP_LEVEL_RANGE,
  MAX_ARCHIVE_SIZE_RANGE,
  MAX_ATTEMPTS_RANGE,
  PART_SIZE_RANGE,
  partMemoryProblem,
  snapshotTimeProblem,
} from './delivery-limits.js';
import type { AcceptedRange } from './parse-size.js';

export { MIN_MAX_ARCHIVE_SIZE } from './delivery-limits.js';

export interface DeliverSnapshotOptions {
  /** The customer's delivery role (its account owns the bucket unless `expectedBucketOwner` says otherwise). */
  roleArn: string;
  externalId: string;
  bucket: string;
  region: string;
  /** Tenant (schema) prefix; with the job ID, the only prefix written under. */
  tenant: string;
  jobId: string;
  tables: TableSource;
  attachments: AttachmentSource;
  /** mtime of every tar entry (default: now, to the second). The same snapshot and time give the same bytes. */
  snapshotTime?: Date;
  /** Split an archive kind into parts above this many bytes (default 5 GiB). */
  maxArchiveSize?: number;
  /** Multipart part size (default 16 MiB; grown to stay within 10,000 parts). */
  partSize?: number;
  /** Parts uploaded at once (default 4). */
  concurrency?: number;
  /** gzip level for plain CSV tables (default 1; see compress-table.ts). */
  gzipLevel?: number;
  /** Tables compressed at once (default: one more than the cores, at most five; see compress-table.ts). */
  compressConcurrency?: number;
  /** Write `manifest_<job-id>.json` after the archives. */
  manifest?: boolean;
  endpointUrl?: string;
  /** Profile for the source credentials (AssumeRole caller); the standard chain otherwise. */
  profile?: string;
  /** Source credentials for AssumeRole, instead of the standard chain or `profile`. */
  sourceCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Account that must own the bucket (default: the role ARN's account). */
  expectedBucketOwner?: string;
  sessionDurationSeconds?: number;
  /** SDK attempts per request (default 8). */
  maxAttempts?: number;
  onProgress?: ProgressListener;
  /** Stop the delivery (Ctrl-C): the upload in progress is aborted and the spool removed; the delivery fails with the signal's reason. */
  signal?: AbortSignal;
}

/** Check every option before any AWS call; throws one INVALID_INPUT listing every problem, each naming its option. */
export function validateDeliveryOptions(o: Omit<DeliverSnapshotOptions, 'tables' | 'attachments'>): void {
  const problems: (InputProblem | undefined)[] = [
    // The destination's own rules (role, external ID, bucket, region, tenant, owner, endpoint, session length).
    ...findDestinationProblems(o),
    validateJobId(o.jobId, 'jobId'),
    integerIn('maxArchiveSize', o.maxArchiveSize, MAX_ARCHIVE_SIZE_RANGE),
    integerIn('partSize', o.partSize, PART_SIZE_RANGE),
    integerIn('concurrency', o.concurrency, CONCURRENCY_RANGE),
    integerIn('gzipLevel', o.gzipLevel, GZIP_LEVEL_RANGE),
    integerIn('compressConcurrency', o.compressConcurrency, CONCURRENCY_RANGE),
    integerIn('maxAttempts', o.maxAttempts, MAX_ATTEMPTS_RANGE),
    partMemoryProblem(o.partSize, o.concurrency ?? DEFAULT_CONCURRENCY, 'partSize'),
    snapshotTimeProblem(o.snapshotTime, 'snapshotTime'),
  ];
  assertNoProblems(problems);
}

function integerIn(field: string, value: number | undefined, range: AcceptedRange): InputProblem | undefined {
  if (value === undefined) return undefined;
  return Number.isInteger(value) && value >= range.min && value <= range.max ? undefined : { field, value: String(value), rule: range.rule };
}

/**
 * Deliver one snapshot into the customer's bucket: the attachments archive(s), the tables
 * archive(s) and, when asked, the manifest, all under `<tenant>/<job-id>/` in the layout
 * of the setup guide. Tables are compressed (in parallel, into a temporary spool) while the
 * attachments upload; every archive streams from its sources into a multipart upload.
 * A re-run of a job replaces the previous delivery as a whole (see previous-delivery.ts).
 * The spool is removed and the table snapshot closed whatever happens.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
export async function deliverSnapshot(options: DeliverSnapshotOptions): Promise<DeliveryReport> {
  validateDeliveryOptions(options);
  // The sources' pre-flight (directories, names, gzip headers), before any AWS call.
  const [tableProblems, attachmentProblems] = await Promise.all([options.tables.check?.(), options.attachments.check?.()]);
  assertNoProblems([...(tableProblems ?? []), ...(attachmentProblems ?? [])]);
  const startedAt = new Date();
  const emit: ProgressListener = options.onProgress ?? (() => {});
  const snapshotTime = new Date(Math.floor((options.snapshotTime ?? startedAt).getTime() / 1000) * 1000);
  const maxArchiveSize = options.maxArchiveSize ?? DEFAULT_MAX_ARCHIVE_SIZE;
  const { tenant, jobId, bucket } = options;
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    emit({ type: 'warning', message });
  };

  let sessions = 0;
  const credentials = createDeliveryCredentials({
    roleArn: options.roleArn,
    externalId: options.externalId,
    sessionName: deliverySessionName(tenant, jobId),
    region: options.region,
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.sourceCredentials ? { sourceCredentials: options.sourceCredentials } : {}),
    ...(options.sessionDurationSeconds ? { durationSeconds: options.sessionDurationSeconds } : {}),
    onSession: ({ number, expiration }) => {
      sessions = number;
      emit({ type: 'session', number, expiration: expiration.toISOString() });
    },
  });
  options.signal?.throwIfAborted();
  // The parts' digesting threads start while the role is assumed and the sources are read
  // (a thread that cannot start fails the first part that needs it, with its error).
  startDigestThreads().catch(() => {});
  // Assume the role first: a wrong role or external ID fails before any source is read.
  await credentials();
  const client = createS3Client({
    region: options.region,
    credentials,
    expectedBucketOwner: options.expectedBucketOwner ?? parseRoleArn(options.roleArn)?.accountId,
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });

  const snapshot = await openTables(options.tables);
  // Spools of deliveries killed outright on this machine hold tenants' tables: reclaim them.
  await removeDeadSpools().catch(() => []);
  const spool = await createSpool();
  // The first failure stops everything else (compression and the other upload).
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
    const attachmentRefs = await listAttachments(options.attachments);
    const attachmentEntries: PackableEntry[] = attachmentRefs.map((a) => {
      assertSafeAttachmentPath(a.path, options.attachments.description);
      return { name: a.path, size: a.size, open: () => options.attachments.openAttachment(a) };
    });
    assertUniqueNames('attachment', attachmentEntries.map((e) => e.name));
    for (const t of snapshot.tables) assertSafeTableName(t.name, options.tables.description);
    assertUniqueNames('table', snapshot.tables.map((t) => t.name));
    // The re-run rule (previous-delivery.ts): the previous manifest goes before anything is
    // uploaded, the previous delivery's other objects only once this one's archives are complete.
    const previous = await findPreviousDelivery(client, bucket, tenant, jobId);
    const removed = await removePreviousManifest(client, bucket, tenant, jobId, previous);
    const attachmentsPlan = plan('attachments', attachmentEntries, { tenant, jobId, maxArchiveSize }, emit, warn);

    // Tables compress in archive order, in parallel, while the attachments upload.
    const tables = [...snapshot.tables].sort((a, b) => compareEntryNames(tableEntryName(a), tableEntryName(b)));
    let ready = 0;
    const preparing = startPreparingTables(snapshot, tables, spool, {
      gzipLevel: options.gzipLevel ?? DEFAULT_GZIP_LEVEL,
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
    const streamTables = bound !== undefined && bound <= maxArchiveSize;
    const send = (archive: ArchiveToSend) => deliverArchive(client, bucket, archive, snapshotTime, options, emit, stop.signal);

    // One archive uploads at a time: they share the destination's bandwidth anyway, and part
    // buffers (concurrency × part size) stay those of one upload. Tables keep compressing meanwhile.
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
          for (const archive of plan('tables', prepared.map(tableEntry), { tenant, jobId, maxArchiveSize }, emit, warn)) {
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
    const prepared = await preparing.all;

    const objects = [...attachmentObjects, ...tableObjects];
    removed.push(...(await removeSupersededObjects(client, bucket, tenant, jobId, previous, objects.map((o) => o.key))));
    const sourceBytes =
      attachmentEntries.reduce((sum, e) => sum + e.size, 0) + prepared.reduce((sum, t) => sum + t.sourceBytes, 0);
    if (options.manifest) {
      objects.push(await deliverManifest(client, options, snapshotTime, objects, emit));
    }
    const finishedAt = new Date();
    return {
      bucket,
      region: options.region,
      tenant,
      jobId,
      prefix: deliveryPrefix(tenant, jobId),
      snapshotTime: snapshotTime.toISOString(),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      tables: prepared.length,
      attachments: attachmentEntries.length,
      sourceBytes,
      deliveredBytes: objects.reduce((sum, o) => sum + o.size, 0),
      objects,
      removed,
      sessions,
      warnings,
    };
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
    stop.abort();
    await spool.remove();
    await snapshot.close();
    client.destroy();
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

function plan(
  kind: ArchiveKind,
  entries: PackableEntry[],
  options: { tenant: string; jobId: string; maxArchiveSize: number },
  emit: ProgressListener,
  warn: (message: string) => void,
): ArchivePlan<PackableEntry>[] {
  const { archives, oversized } = planArchives(kind, entries, options);
  for (const e of oversized) {
    warn(
      `${kind} entry ${JSON.stringify(e.name)} (${formatBytes(e.size)}) is larger than the archive limit of ${formatBytes(options.maxArchiveSize)}; it gets an archive of its own.`,
    );
  }
  emit({ type: 'plan', kind, archives: archives.map((a) => ({ key: a.key, size: a.size, entries: a.entries.length })) });
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

async function deliverArchive(
  client: S3Client,
  bucket: string,
  archive: ArchiveToSend,
  snapshotTime: Date,
  options: DeliverSnapshotOptions,
  emit: ProgressListener,
  signal: AbortSignal,
): Promise<DeliveredObject> {
  const started = Date.now();
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  const expected = (archive.size ?? archive.sizeBound) as number;
  emit({ type: 'archive-start', key: archive.key, kind: archive.kind, size: expected, exact: archive.size !== undefined, partSize });
  const uploaded = await uploadArchive({
    client,
    bucket,
    key: archive.key,
    body: packArchive(archive.entries, snapshotTime),
    ...(archive.size !== undefined ? { size: archive.size } : { sizeBound: archive.sizeBound as number }),
    partSize,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
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

async function deliverManifest(
  client: S3Client,
  options: DeliverSnapshotOptions,
  snapshotTime: Date,
  objects: readonly DeliveredObject[],
  emit: ProgressListener,
): Promise<DeliveredObject> {
  const key = manifestKey(options.tenant, options.jobId);
  const body = Buffer.from(
    `${JSON.stringify(buildManifest({ tenant: options.tenant, jobId: options.jobId, snapshotTime, deliveredAt: new Date(), objects }), null, 2)}\n`,
  );
  const started = Date.now();
  emit({ type: 'archive-start', key, kind: 'manifest', size: body.length, exact: true, partSize: body.length });
  const uploaded = await uploadArchive({
    client,
    bucket: options.bucket,
    key,
    body: (async function* () {
      yield body;
    })(),
    size: body.length,
    contentType: 'application/json',
  });
  emit({ type: 'archive-done', key, size: body.length, checksum: uploaded.checksum, seconds: (Date.now() - started) / 1000 });
  return {
    key,
    kind: 'manifest',
    partCount: 1,
    size: body.length,
    checksumAlgorithm: uploaded.checksumAlgorithm,
    checksumType: uploaded.checksumType,
    checksum: uploaded.checksum,
    entries: 0,
    uploadParts: 1,
    uploadPartSize: uploaded.partSize,
  };
}

async function openTables(source: TableSource): Promise<TableSnapshot> {
  try {
    return await source.open();
  } catch (error) {
    throw sourceFailure(error, `Opening the table source (${source.description}) failed`);
  }
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
