import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { InputProblem } from '../../errors/index.js';
import { findDestinationProblems } from '../../destination/index.js';
import { assertNoProblems, validateJobId } from '../../policy/index.js';
import type { ProgressListener } from './progress.js';
import type { AttachmentSource, TableSource } from '../sources/types.js';
import { DEFAULT_CONCURRENCY } from '../upload/upload-archive.js';
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
