import { parseDestination } from '../../destination/index.js';
import { assertNoProblems } from '../../policy/index.js';
import { DEFAULT_GZIP_LEVEL } from '../archive/compress-table.js';
import { DEFAULT_MAX_ARCHIVE_SIZE } from '../archive/plan-archives.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE } from '../upload/upload-archive.js';
import { validateDeliveryOptions, type DeliverSnapshotOptions } from './deliver-options.js';
import type { ProgressListener } from './progress.js';

/**
 * A delivery's options once checked, with every default resolved: what the steps of
 * `deliverSnapshot` run on. `options` keeps them as given (the destination, the sources,
 * the signal); the rest is what the delivery decided from them.
 */
export interface DeliveryPlan {
  readonly options: DeliverSnapshotOptions;
  readonly startedAt: Date;
  /** Every tar entry's mtime, to the second. */
  readonly snapshotTime: Date;
  readonly maxArchiveSize: number;
  readonly partSize: number;
  readonly concurrency: number;
  readonly gzipLevel: number;
  /** The account that must own the bucket: the one given, or the role's. */
  readonly expectedBucketOwner: string;
  readonly emit: ProgressListener;
  /** Warnings so far (also emitted as progress events), for the report. */
  readonly warnings: readonly string[];
  warn(message: string): void;
}

/**
 * Check the options and the sources' own pre-flight (directories, names, gzip headers)
 * before any AWS call, then resolve the defaults. Throws one INVALID_INPUT listing every
 * problem of the options, then one for the sources'.
 */
export async function parseDeliveryOptions(options: DeliverSnapshotOptions): Promise<DeliveryPlan> {
  validateDeliveryOptions(options);
  const [tableProblems, attachmentProblems] = await Promise.all([options.tables.check?.(), options.attachments.check?.()]);
  assertNoProblems([...(tableProblems ?? []), ...(attachmentProblems ?? [])]);
  const startedAt = new Date();
  const emit: ProgressListener = options.onProgress ?? (() => {});
  const warnings: string[] = [];
  return {
    options,
    startedAt,
    snapshotTime: new Date(Math.floor((options.snapshotTime ?? startedAt).getTime() / 1000) * 1000),
    maxArchiveSize: options.maxArchiveSize ?? DEFAULT_MAX_ARCHIVE_SIZE,
    partSize: options.partSize ?? DEFAULT_PART_SIZE,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    gzipLevel: options.gzipLevel ?? DEFAULT_GZIP_LEVEL,
    expectedBucketOwner: parseDestination(options).expectedBucketOwner,
    emit,
    warnings,
    warn(message) {
      warnings.push(message);
      emit({ type: 'warning', message });
    },
  };
}
