/**
 * S3 allows at most 10,000 parts per multipart upload.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
 */
export const MAX_PARTS = 10_000;
/** S3's smallest part (all but the last). */
export const MIN_PART_SIZE = 5 * 2 ** 20;
/** S3's largest part. */
export const MAX_PART_SIZE = 5 * 2 ** 30;
/**
 * The largest part the delivery takes. Each part is assembled in memory (concurrency + 1
 * buffers per archive upload, two uploads at once) and a Node.js buffer holds at most
 * 4 GiB, so S3's 5 GiB would fail; 1 GiB parts already carry S3's largest object (5 TiB
 * in 10,000 parts needs 525 MiB parts).
 * @see https://nodejs.org/docs/latest-v20.x/api/buffer.html#bufferconstantsmax_length
 */
export const MAX_BUFFERED_PART_SIZE = 2 ** 30;
/**
 * Default part size. An upload holds each part in memory while it is in flight, plus the
 * one being filled, so memory grows with part size × (concurrency + 1); 8 MiB parts keep
 * two concurrent archive uploads near 100 MiB, and S3 throughput per request hardly grows
 * beyond that size.
 */
export const DEFAULT_PART_SIZE = 8 * 2 ** 20;
/** Parts uploaded at once. */
export const DEFAULT_CONCURRENCY = 4;
