import { removeDeadSpools, createSpool } from '../archive/spool.js';
import type { DeliverSnapshotOptions } from './deliver-options.js';
import { parseDeliveryOptions } from './delivery-plan.js';
import { connectDestination } from './destination-session.js';
import { finishDelivery } from './finish-delivery.js';
import { findPreviousDelivery, removePreviousManifest } from './previous-delivery.js';
import { openTables, readEntries } from './read-sources.js';
import { buildDeliveryReport, type DeliveryReport } from './report.js';
import { sendArchives } from './send-archives.js';

/**
 * Deliver one snapshot into the customer's bucket: the attachments archive(s), the tables
 * archive(s) and, when asked, the manifest, all under `<tenant>/<job-id>/` in the layout
 * of the setup guide. Tables are compressed (in parallel, into a temporary spool) while the
 * attachments upload; every archive streams from its sources into a multipart upload.
 * A re-run of a job replaces the previous delivery as a whole (see previous-delivery.ts).
 * The spool is removed and the table snapshot closed whatever happens.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
export async function deliverSnapshot(options: DeliverSnapshotOptions): Promise<DeliveryReport> {
  // Every option and the sources' pre-flight, before any AWS call.
  const plan = await parseDeliveryOptions(options);
  const { bucket, tenant, jobId } = options;
  // The role first: a wrong role or external ID fails before any source is read.
  const destination = await connectDestination(plan);
  const snapshot = await openTables(options.tables);
  // Spools of deliveries killed outright on this machine hold tenants' tables: reclaim them.
  await removeDeadSpools().catch(() => []);
  const spool = await createSpool();
  try {
    const attachmentEntries = await readEntries(options.attachments, options.tables, snapshot);
    // The re-run rule (previous-delivery.ts): the previous manifest goes before anything is
    // uploaded, the previous delivery's other objects only once this one's archives are complete.
    const previous = await findPreviousDelivery(destination.client, bucket, tenant, jobId);
    const removed = await removePreviousManifest(destination.client, bucket, tenant, jobId, previous);
    const sent = await sendArchives(plan, destination, snapshot, attachmentEntries, spool);
    const objects = [...sent.attachmentObjects, ...sent.tableObjects];
    removed.push(...(await finishDelivery(plan, destination, previous, objects)));
    return buildDeliveryReport(plan, {
      tables: sent.tables.length,
      attachments: attachmentEntries.length,
      sourceBytes: attachmentEntries.reduce((sum, e) => sum + e.size, 0) + sent.tables.reduce((sum, t) => sum + t.sourceBytes, 0),
      objects,
      removed,
      sessions: destination.sessions(),
    });
  } finally {
    await spool.remove();
    await snapshot.close();
    destination.client.destroy();
  }
}
