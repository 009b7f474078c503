/**
 * Snapshot delivery: pack a snapshot's tables and attachments into tar archives and
 * stream them into the customer's bucket under `<tenant>/<job-id>/`.
 */
export { deliverSnapshot } from './orchestration/deliver-snapshot.js';
export { validateDeliveryOptions, type DeliverSnapshotOptions } from './orchestration/deliver-options.js';
export { cleanupUploads, DEFAULT_CLEANUP_AGE_MS, type CleanupReport, type CleanupUploadsOptions, type StaleUpload } from './orchestration/cleanup-uploads.js';
export { directoryTableSource } from './sources/directory-tables.js';
export { directoryAttachmentSource } from './sources/directory-attachments.js';
export type { AttachmentRef, AttachmentSource, TableRef, TableSnapshot, TableSource } from './sources/types.js';
export type { DeliveredObject, DeliveryReport } from './orchestration/report.js';
export { formatDeliveryReport } from './orchestration/report.js';
export type { DeliveryProgressEvent, ProgressListener } from './orchestration/progress.js';
export { MANIFEST_FORMAT, type DeliveryManifest } from './orchestration/manifest.js';
export { archiveKey, deliveryPrefix, manifestKey, type ArchiveKind } from './orchestration/object-keys.js';
export { DEFAULT_MAX_ARCHIVE_SIZE, planArchives } from './archive/plan-archives.js';
export { DEFAULT_GZIP_LEVEL } from './archive/compress-table.js';
export { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, choosePartSize, uploadArchive } from './upload/upload-archive.js';
export { createDeliveryCredentials, refreshMarginMs } from '../destination/delivery-credentials.js';
export { parseDuration, parseSize, formatBytes } from './orchestration/parse-size.js';
export { createPostgresTableSource, type PostgresTableSource, type PostgresTableSourceOptions } from './sources/postgres-tables.js';
export { createS3AttachmentSource, parseS3Url, type S3AttachmentSourceOptions } from './sources/s3-attachments.js';
