/**
 * Default part size. An upload holds each part in memory while it is in flight, plus the
 * one being filled, so memory grows with part size × (concurrency + 1); 8 MiB parts keep
 * two concurrent archive uploads near 100 MiB, and S3 throughput per request hardly grows
 * beyond that size.
 */
export const DEFAULT_PART_SIZE = 8 * 2 ** 20;
/** Parts uploaded at once. */
export const DEFAULT_CONCURRENCY = 4;
