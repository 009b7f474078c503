import type { DeliveryPlan } from './delivery-plan.js';
import { deliveryPrefix, type ArchiveKind } from './object-keys.js';
import { formatBytes } from './parse-size.js';

/** One object the delivery wrote. */
export interface DeliveredObject {
  key: string;
  kind: ArchiveKind | 'manifest';
  /** 1-based part number of a split kind; absent when the kind is one archive. */
  part?: number;
  /** Archives of this kind in the delivery. */
  partCount: number;
  size: number;
  checksumAlgorithm: 'CRC32';
  checksumType: 'FULL_OBJECT';
  /** Base64, as S3's `x-amz-checksum-crc32` and GetObjectAttributes report it. */
  checksum: string;
  /** Entries in the archive (0 for the manifest). */
  entries: number;
  /** Parts of the S3 multipart upload, and their size. */
  uploadParts: number;
  uploadPartSize: number;
}

/** What `deliverSnapshot` returns (and `ion-dest deliver --json` prints). */
export interface DeliveryReport {
  bucket: string;
  region: string;
  tenant: string;
  jobId: string;
  prefix: string;
  /** The snapshot time: every tar entry's mtime. */
  snapshotTime: string;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  tables: number;
  attachments: number;
  /** Bytes read from the sources (CSV before compression, attachments as they are). */
  sourceBytes: number;
  /** Bytes written to S3 (archives and manifest). */
  deliveredBytes: number;
  /** Archives, then the manifest when one was written, in upload order. */
  objects: DeliveredObject[];
  /**
   * Keys of an earlier delivery of the same job this one removed (the re-run rule, see
   * previous-delivery.ts): its manifest, removed before the first upload (and written anew
   * when this delivery writes one), and its archives this delivery did not overwrite. In a
   * versioned bucket each removal is a delete marker; the objects stay recoverable.
   */
  removed: string[];
  /** Role sessions used (more than one when the delivery outlived a session). */
  sessions: number;
  warnings: string[];
}

/** What a delivery did, counted as it ran, for its report. */
export interface DeliveryOutcome {
  tables: number;
  attachments: number;
  sourceBytes: number;
  objects: DeliveredObject[];
  removed: string[];
  sessions: number;
}

/** The report of a delivery that finished now. */
export function buildDeliveryReport(plan: DeliveryPlan, outcome: DeliveryOutcome): DeliveryReport {
  const { bucket, region, tenant, jobId } = plan.options;
  const finishedAt = new Date();
  return {
    bucket,
    region,
    tenant,
    jobId,
    prefix: deliveryPrefix(tenant, jobId),
    snapshotTime: plan.snapshotTime.toISOString(),
    startedAt: plan.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: (finishedAt.getTime() - plan.startedAt.getTime()) / 1000,
    tables: outcome.tables,
    attachments: outcome.attachments,
    sourceBytes: outcome.sourceBytes,
    deliveredBytes: outcome.objects.reduce((sum, o) => sum + o.size, 0),
    objects: outcome.objects,
    removed: outcome.removed,
    sessions: outcome.sessions,
    warnings: [...plan.warnings],
  };
}

/** The report as text, for a terminal. */
export function formatDeliveryReport(report: DeliveryReport): string {
  const lines = [
    `Delivered ${report.tables} tables and ${report.attachments} attachments to s3://${report.bucket}/${report.prefix}`,
    `  snapshot time ${report.snapshotTime}; ${formatBytes(report.sourceBytes)} read, ${formatBytes(report.deliveredBytes)} written in ${report.durationSeconds.toFixed(1)} s; ${report.sessions} role session(s)`,
    ...report.objects.map((o) => `  ${o.key}  ${formatBytes(o.size)}  crc32 ${o.checksum}${o.entries ? `  (${o.entries} entries)` : ''}`),
    ...(report.removed.length > 0
      ? [`  removed ${report.removed.length} object(s) of the previous delivery of this job:`, ...report.removed.map((k) => `    ${k}`)]
      : []),
    ...report.warnings.map((w) => `warning: ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}
