import type { ArchiveKind } from './object-keys.js';

/**
 * What a delivery reports while it runs. The CLI draws progress bars from these on a
 * terminal and prints them as JSON lines with `--json`; library callers get them through
 * `onProgress`.
 */
export type DeliveryProgressEvent =
  | { type: 'session'; number: number; expiration: string }
  | { type: 'plan'; kind: ArchiveKind; archives: { key: string; size: number; entries: number }[] }
  | { type: 'table-ready'; table: string; size: number; compressed: boolean; ready: number; total: number }
  /** `exact: false`: a streamed archive whose `size` is an upper bound until it is done. */
  | { type: 'archive-start'; key: string; kind: ArchiveKind | 'manifest'; size: number; exact: boolean; partSize: number }
  | { type: 'archive-progress'; key: string; uploaded: number; size: number }
  | { type: 'archive-done'; key: string; size: number; checksum: string; seconds: number }
  | { type: 'warning'; message: string };

export type ProgressListener = (event: DeliveryProgressEvent) => void;
