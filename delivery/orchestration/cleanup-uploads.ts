import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { IonDestError } from '../../errors/index.js';
import { findDestinationProblems, parseDestination } from '../../destination/index.js';
import { assertNoProblems } from '../../policy/index.js';
import { mapDestinationS3Error, s3Call, toIonDestError } from '../../aws/aws-errors.js';
import { openDestinationClient, roleSessionName } from '../../destination/delivery-credentials.js';
import { tenantPrefix } from './object-keys.js';
import { removeDeadSpools } from '../archive/spool.js';

/** By default only uploads older than a day are aborted, so a delivery running right now is left alone. */
export const DEFAULT_CLEANUP_AGE_MS = 24 * 3_600_000;

export interface CleanupUploadsOptions {
  roleArn: string;
  externalId: string;
  bucket: string;
  region: string;
  tenant: string;
  /** Abort only uploads initiated at least this long ago (default 24 h). */
  olderThanMs?: number;
  /** List what would be aborted, abort nothing. */
  dryRun?: boolean;
  endpointUrl?: string;
  profile?: string;
  /** Source credentials for AssumeRole, instead of the standard chain or `profile`. */
  sourceCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  expectedBucketOwner?: string;
  now?: Date;
}

export interface StaleUpload {
  key: string;
  uploadId: string;
  initiated: string | undefined;
}

export interface CleanupReport {
  bucket: string;
  prefix: string;
  olderThanSeconds: number;
  dryRun: boolean;
  /** Uploads aborted (or, in a dry run, that would be). */
  aborted: StaleUpload[];
  /** Incomplete uploads under the prefix left alone because they are younger than the cut-off. */
  kept: StaleUpload[];
  /**
   * Spool folders (compressed tables in TMPDIR) of deliveries on this machine whose process
   * was killed, removed (or, in a dry run, that would be). See spool.ts.
   */
  removedSpools: string[];
}

/**
 * `cleanup`: list incomplete multipart uploads under `<tenant>/` (never wider) and abort
 * those older than the cut-off, for deliveries that crashed before they could abort their
 * own. A bucket lifecycle rule with AbortIncompleteMultipartUpload does the same on the
 * customer's side. On this machine, it also removes the temporary spool folders of
 * deliveries whose process was killed (removeDeadSpools), before any AWS call.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html
 */
export async function cleanupUploads(options: CleanupUploadsOptions): Promise<CleanupReport> {
  assertNoProblems([
    ...findDestinationProblems(options),
    options.olderThanMs === undefined || (Number.isFinite(options.olderThanMs) && options.olderThanMs >= 0)
      ? undefined
      : { field: 'olderThanMs', value: String(options.olderThanMs), rule: 'the age is a finite, non-negative duration' },
  ]);
  const destination = parseDestination(options);
  const removedSpools = await removeDeadSpools(undefined, { dryRun: options.dryRun ?? false });
  const olderThanMs = options.olderThanMs ?? DEFAULT_CLEANUP_AGE_MS;
  const cutoff = (options.now ?? new Date()).getTime() - olderThanMs;
  const prefix = tenantPrefix(options.tenant);
  const client = await openDestinationClient({
    roleArn: options.roleArn,
    externalId: options.externalId,
    sessionName: roleSessionName('cleanup', options.tenant),
    region: options.region,
    expectedBucketOwner: destination.expectedBucketOwner,
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.sourceCredentials ? { sourceCredentials: options.sourceCredentials } : {}),
  });
  try {
    const uploads = await listUploads(client, options.bucket, prefix);
    // An upload whose start S3 did not report is kept: it may be a delivery still running.
    const stale = uploads.filter((u) => u.initiated !== undefined && Date.parse(u.initiated) <= cutoff);
    const kept = uploads.filter((u) => !stale.includes(u));
    const failed: string[] = [];
    if (!options.dryRun) {
      for (const u of stale) {
        await client
          .send(new AbortMultipartUploadCommand({ Bucket: options.bucket, Key: u.key, UploadId: u.uploadId }))
          .catch((error: unknown) => {
            if ((error as { name?: string }).name === 'NoSuchUpload') return;
            const mapped = toIonDestError(error, s3Call('AbortMultipartUpload', options.bucket, u.key), 'session', mapDestinationS3Error('AbortMultipartUpload'));
            failed.push(`${u.key} (upload ${u.uploadId}): ${mapped.message}`);
          });
      }
    }
    if (failed.length > 0) {
      throw new IonDestError('STALE_UPLOADS_REMAIN', `Could not abort ${failed.length} upload(s):\n${failed.join('\n')}`, {
        source: 'destination',
      });
    }
    return { bucket: options.bucket, prefix, olderThanSeconds: olderThanMs / 1000, dryRun: options.dryRun ?? false, aborted: stale, kept, removedSpools };
  } finally {
    client.destroy();
  }
}

async function listUploads(client: S3Client, bucket: string, prefix: string): Promise<StaleUpload[]> {
  const found: StaleUpload[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client
      .send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          Prefix: prefix,
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(uploadIdMarker ? { UploadIdMarker: uploadIdMarker } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw toIonDestError(error, s3Call('ListMultipartUploads', bucket), 'session', mapDestinationS3Error('ListMultipartUploads'));
      });
    for (const u of page.Uploads ?? []) {
      // Belt and braces: never act outside the tenant prefix, whatever the endpoint returns.
      if (u.Key?.startsWith(prefix) && u.UploadId) {
        found.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated?.toISOString() });
      }
    }
    if (!page.IsTruncated) return found;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
    if (!keyMarker && !uploadIdMarker) return found;
  }
}
