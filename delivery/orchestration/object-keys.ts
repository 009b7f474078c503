/**
 * The delivered layout, as the customer setup guide ("What Gets Delivered") promises it:
 *
 *   <tenant>/<job-id>/snapshot_tables_<job-id>.tar
 *   <tenant>/<job-id>/snapshot_attachments_<job-id>.tar
 *
 * and, for a split snapshot, `snapshot_tables_part1_<job-id>.tar`, `…part2…` and so on.
 * Every key the delivery writes is built here.
 */
export type ArchiveKind = 'tables' | 'attachments';

/** The only prefix a delivery writes under. Tenant and job ID are validated key segments. */
export function deliveryPrefix(tenant: string, jobId: string): string {
  return `${tenant}/${jobId}/`;
}

/** The prefix `cleanup` lists under: the tenant's, never wider. */
export function tenantPrefix(tenant: string): string {
  return `${tenant}/`;
}

/**
 * Key of one archive. `part` is 1-based and given only when the archive of this kind
 * is split in more than one part; an unsplit archive keeps the plain name.
 */
export function archiveKey(tenant: string, jobId: string, kind: ArchiveKind, part?: number): string {
  const partSegment = part === undefined ? '' : `part${part}_`;
  return `${deliveryPrefix(tenant, jobId)}snapshot_${kind}_${partSegment}${jobId}.tar`;
}

/** Key of the optional manifest, written after every archive. */
export function manifestKey(tenant: string, jobId: string): string {
  return `${deliveryPrefix(tenant, jobId)}manifest_${jobId}.json`;
}

/**
 * Whether `key` is one of the job's own objects: an archive of either kind, plain or
 * numbered, or the manifest, directly under `<tenant>/<job-id>/`. The re-run rule removes
 * nothing else (see previous-delivery.ts).
 */
export function isJobObjectKey(key: string, tenant: string, jobId: string): boolean {
  const prefix = deliveryPrefix(tenant, jobId);
  if (!key.startsWith(prefix)) return false;
  const name = key.slice(prefix.length);
  if (name === `manifest_${jobId}.json`) return true;
  return (['tables', 'attachments'] as const).some((kind) => {
    const head = `snapshot_${kind}_`;
    const tail = `${jobId}.tar`;
    if (name === head + tail) return true;
    if (!name.startsWith(`${head}part`) || !name.endsWith(`_${tail}`)) return false;
    return /^[1-9][0-9]*$/.test(name.slice(head.length + 4, name.length - tail.length - 1));
  });
}
