import { uploadArchive } from '../upload/upload-archive.js';
import type { DeliveryPlan } from './delivery-plan.js';
import type { DestinationSession } from './destination-session.js';
import { buildManifest } from './manifest.js';
import { manifestKey } from './object-keys.js';
import { removeSupersededObjects, type PreviousDelivery } from './previous-delivery.js';
import type { DeliveredObject } from './report.js';

/**
 * Once every archive is complete: remove what the previous delivery of the job left that
 * this one did not overwrite (the re-run rule, previous-delivery.ts), then write the
 * manifest when asked. Returns the keys removed; `objects` gains the manifest.
 */
export async function finishDelivery(
  plan: DeliveryPlan,
  destination: DestinationSession,
  previous: PreviousDelivery,
  objects: DeliveredObject[],
): Promise<string[]> {
  const { bucket, tenant, jobId } = plan.options;
  const removed = await removeSupersededObjects(destination.client, bucket, tenant, jobId, previous, objects.map((o) => o.key));
  if (plan.options.manifest) objects.push(await sendManifest(plan, destination, objects));
  return removed;
}

/** Write `manifest_<job-id>.json`, which lists the archives as stored. */
async function sendManifest(plan: DeliveryPlan, destination: DestinationSession, objects: readonly DeliveredObject[]): Promise<DeliveredObject> {
  const { options, emit } = plan;
  const key = manifestKey(options.tenant, options.jobId);
  const body = Buffer.from(
    `${JSON.stringify(buildManifest({ tenant: options.tenant, jobId: options.jobId, snapshotTime: plan.snapshotTime, deliveredAt: new Date(), objects }), null, 2)}\n`,
  );
  const started = Date.now();
  emit({ type: 'archive-start', key, kind: 'manifest', size: body.length, exact: true, partSize: body.length });
  const uploaded = await uploadArchive({
    client: destination.client,
    bucket: options.bucket,
    key,
    body: (async function* () {
      yield body;
    })(),
    size: body.length,
    contentType: 'application/json',
  });
  emit({ type: 'archive-done', key, size: body.length, checksum: uploaded.checksum, seconds: (Date.now() - started) / 1000 });
  return {
    key,
    kind: 'manifest',
    partCount: 1,
    size: body.length,
    checksumAlgorithm: uploaded.checksumAlgorithm,
    checksumType: uploaded.checksumType,
    checksum: uploaded.checksum,
    entries: 0,
    uploadParts: 1,
    uploadPartSize: uploaded.partSize,
  };
}
