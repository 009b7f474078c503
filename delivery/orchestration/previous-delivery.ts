import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mapDestinationS3Error, s3Call, toIonDestError } from '../../aws/aws-errors.js';
import { deliveryPrefix, isJobObjectKey, manifestKey } from './object-keys.js';

/**
 * The re-run rule. First Resonance re-runs failed or repeated jobs under the same
 * `<tenant>/<job-id>/`, and a re-run may be split differently (a `_partN_` set, then one
 * plain archive), so it must not leave a mix of two snapshots behind:
 *
 * 1. Before its first upload, a delivery lists the job's objects and removes the previous
 *    manifest: from then until it writes its own, the job reads as incomplete.
 * 2. Only after all of its own archives are complete does it remove the previous
 *    delivery's other objects it did not overwrite (a `_part3_` the new run has no
 *    counterpart for, say). An interrupted re-run thus leaves the previous archives and
 *    no manifest.
 * 3. Only keys of the job's own naming scheme (`snapshot_tables[_partN]_<job>.tar`,
 *    `snapshot_attachments[_partN]_<job>.tar`, `manifest_<job>.json`, directly under the
 *    job's prefix) are ever removed; anything else there (a customer's notes) stays.
 * 4. Removal is a plain DeleteObject, without a version ID: in a versioned bucket (as the
 *    setup guide recommends) it adds a delete marker, and the customer can still restore
 *    the previous delivery's objects from their versions. The delivery role needs nothing
 *    beyond the setup guide's s3:ListBucket and s3:DeleteObject for this.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html (a simple DELETE, without a version ID, adds a delete marker)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
export interface PreviousDelivery {
  /** Keys of the job's naming scheme found under its prefix before this delivery wrote anything. */
  readonly keys: readonly string[];
}

/** List the job's own objects under `<tenant>/<job-id>/` (every page; nothing outside the scheme). */
export async function findPreviousDelivery(client: S3Client, bucket: string, tenant: string, jobId: string): Promise<PreviousDelivery> {
  const prefix = deliveryPrefix(tenant, jobId);
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client
      .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }))
      .catch((error: unknown) => {
        throw toIonDestError(error, s3Call('ListObjectsV2', bucket, prefix), 'session', mapDestinationS3Error('ListObjectsV2'));
      });
    for (const o of page.Contents ?? []) {
      if (o.Key !== undefined && isJobObjectKey(o.Key, tenant, jobId)) keys.push(o.Key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { keys };
}

/** Step 1: remove the previous manifest, if there is one. Returns the keys removed. */
export async function removePreviousManifest(
  client: S3Client,
  bucket: string,
  tenant: string,
  jobId: string,
  previous: PreviousDelivery,
): Promise<string[]> {
  const key = manifestKey(tenant, jobId);
  if (!previous.keys.includes(key)) return [];
  await deleteKey(client, bucket, key);
  return [key];
}

/**
 * Step 2: remove the previous delivery's objects that this one did not write (its
 * manifest was removed already). Returns the keys removed.
 */
export async function removeSupersededObjects(
  client: S3Client,
  bucket: string,
  tenant: string,
  jobId: string,
  previous: PreviousDelivery,
  written: readonly string[],
): Promise<string[]> {
  const manifest = manifestKey(tenant, jobId);
  const stale = previous.keys.filter((k) => k !== manifest && !written.includes(k));
  for (const key of stale) await deleteKey(client, bucket, key);
  return stale;
}

async function deleteKey(client: S3Client, bucket: string, key: string): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch((error: unknown) => {
    throw toIonDestError(error, s3Call('DeleteObject', bucket, key), 'session', mapDestinationS3Error('DeleteObject'));
  });
}
