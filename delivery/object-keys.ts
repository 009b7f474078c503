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
