import { totalmem } from 'node:os';
import type { InputProblem } from '../../errors/index.js';
import { formatBytes, type AcceptedRange } from './parse-size.js';
import { MAX_BUFFERED_PART_SIZE, MIN_PART_SIZE } from '../upload/upload-defaults.js';

/**
 * What `deliver` accepts for its numeric settings, each range stated in the rule its
 * message shows, so every accepted value works.
 */

/**
 * S3's largest object: an archive (or one part of a split archive) is one object.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
 */
export const MAX_OBJECT_SIZE = 5 * 2 ** 40;
/** The smallest archive limit accepted: room for a header and a little data. */
export const MIN_MAX_ARCHIVE_SIZE = 4096;
/** More parts in flight than this gain nothing and cost memory (concurrency × part size). */
export const MAX_CONCURRENCY = 64;
/** Archive uploads that run at once (attachments while the tables compress, then tables). */
const UPLOADS_AT_ONCE = 2;

export const MAX_ARCHIVE_SIZE_RANGE: AcceptedRange = {
  min: MIN_MAX_ARCHIVE_SIZE,
  max: MAX_OBJECT_SIZE,
  rule: `an archive limit is from ${MIN_MAX_ARCHIVE_SIZE} bytes to 5TiB, S3's largest object`,
};

export const PART_SIZE_RANGE: AcceptedRange = {
  min: MIN_PART_SIZE,
  max: MAX_BUFFERED_PART_SIZE,
  rule: 'a part size is from 5MiB (S3\'s smallest part) to 1GiB (parts are held in memory; S3\'s own limit, 5GiB, is more than a Node.js buffer holds)',
};

export const CONCURRENCY_RANGE: AcceptedRange = { min: 1, max: MAX_CONCURRENCY, rule: `a whole number from 1 to ${MAX_CONCURRENCY}` };
export const GZIP_LEVEL_RANGE: AcceptedRange = { min: 1, max: 9, rule: 'a whole number from 1 (fastest) to 9 (smallest)' };
export const MAX_ATTEMPTS_RANGE: AcceptedRange = { min: 1, max: 20, rule: 'a whole number from 1 to 20' };

/**
 * Memory the part buffers need, (concurrency + 1) × part size for each upload running at
 * once: more than the machine has is rejected up front rather than failing mid-upload.
 */
export function partMemoryProblem(
  partSize: number | undefined,
  concurrency: number | undefined,
  field = 'part size',
  value: string = String(partSize),
  machineMemory: number = totalmem(),
): InputProblem | undefined {
  if (partSize === undefined || concurrency === undefined || !Number.isInteger(partSize) || !Number.isInteger(concurrency)) return undefined;
  const needed = UPLOADS_AT_ONCE * (concurrency + 1) * partSize;
  if (needed <= machineMemory) return undefined;
  return {
    field,
    value,
    rule: `parts are held in memory: ${UPLOADS_AT_ONCE} uploads × (concurrency ${concurrency} + 1) × ${formatBytes(partSize)} = ${formatBytes(needed)}, more than this machine's ${formatBytes(machineMemory)}; lower the part size or the concurrency`,
  };
}

/**
 * The times a tar entry's mtime can hold as tar-stream writes it: whole seconds as a signed
 * 32-bit number, so 1970-01-01T00:00:00Z to 2038-01-19T03:14:07Z (a time outside wraps
 * silently, 1900 becoming 2036).
 */
export const MIN_SNAPSHOT_TIME = new Date(0);
export const MAX_SNAPSHOT_TIME = new Date((2 ** 31 - 1) * 1000);
export const SNAPSHOT_TIME_RULE = `a snapshot time is an ISO 8601 date and time from ${MIN_SNAPSHOT_TIME.toISOString().replace('.000', '')} to ${MAX_SNAPSHOT_TIME.toISOString().replace('.000', '')} (what a tar header's mtime holds), e.g. 2026-01-01T02:00:00Z`;

/** The problem with a snapshot time, or undefined when a tar header can hold it. */
export function snapshotTimeProblem(time: Date | undefined, field = 'snapshot time', value?: string): InputProblem | undefined {
  if (time === undefined) return undefined;
  const ms = time.getTime();
  if (!Number.isNaN(ms) && ms >= MIN_SNAPSHOT_TIME.getTime() && Math.floor(ms / 1000) * 1000 <= MAX_SNAPSHOT_TIME.getTime()) return undefined;
  return { field, value: value ?? (Number.isNaN(ms) ? String(time) : time.toISOString()), rule: SNAPSHOT_TIME_RULE };
}
