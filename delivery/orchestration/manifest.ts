import type { DeliveredObject } from './report.js';

/** Version of the manifest's layout; bumped on any incompatible change. */
export const MANIFEST_FORMAT = 'ion-dest-manifest/1';

/**
 * `manifest_<job-id>.json`: written after every archive, so its presence tells the
 * customer the delivery is complete, and it lists what a complete delivery holds.
 */
export interface DeliveryManifest {
  format: typeof MANIFEST_FORMAT;
  tenant: string;
  jobId: string;
  snapshotTime: string;
  deliveredAt: string;
  objects: {
    key: string;
    kind: DeliveredObject['kind'];
    part: number | null;
    partCount: number;
    size: number;
    checksumAlgorithm: DeliveredObject['checksumAlgorithm'];
    checksumType: DeliveredObject['checksumType'];
    checksum: string;
    entries: number;
  }[];
}

export function buildManifest(options: {
  tenant: string;
  jobId: string;
  snapshotTime: Date;
  deliveredAt: Date;
  objects: readonly DeliveredObject[];
}): DeliveryManifest {
  return {
    format: MANIFEST_FORMAT,
    tenant: options.tenant,
    jobId: options.jobId,
    snapshotTime: options.snapshotTime.toISOString(),
    deliveredAt: options.deliveredAt.toISOString(),
    objects: options.objects.map((o) => ({
      key: o.key,
      kind: o.kind,
      part: o.part ?? null,
      partCount: o.partCount,
      size: o.size,
      checksumAlgorithm: o.checksumAlgorithm,
      checksumType: o.checksumType,
      checksum: o.checksum,
      entries: o.entries,
    })),
  };
}
