import { join } from 'node:path';
import { deliverSnapshot, directoryAttachmentSource, directoryTableSource, formatBytes, type DeliveryReport } from '../../delivery/index.js';
import { createProgressDisplay } from '../../delivery/progress-display.js';
import { access, callAs, type DemoRun } from '../demo-run.js';
import { writeSampleSnapshot, type SampleSnapshot } from '../sample-snapshot.js';
import { deliveryOutcome } from '../summary.js';
import type { DeployedDestination } from './deployed-destination.js';
import { assertListingMatchesDelivery, listDelivered } from './list-delivered.js';
import type { DemoWorld } from './start-world.js';

/** Write the sample snapshot (tables as CSV, attachments in nested folders) into the run's folder. */
export function generateSnapshot(run: DemoRun, workDir: string): Promise<SampleSnapshot> {
  return run.steps.run('generate-snapshot', 'Generate a sample snapshot (tables as CSV, attachments in nested folders)', async (step) => {
    const s = await writeSampleSnapshot(join(workDir, 'snapshot'));
    const width = Math.max(...s.tables.map((t) => t.name.length + 4), ...s.attachments.map((a) => a.path.length));
    for (const t of s.tables) step.print(`table       ${`${t.name}.csv`.padEnd(width)}  ${formatBytes(t.bytes).padStart(10)}  (${t.rows} rows)`);
    for (const a of s.attachments) step.print(`attachment  ${a.path.padEnd(width)}  ${formatBytes(a.bytes).padStart(10)}`);
    return s;
  });
}

/** `ion-dest deliver` of the sample as First Resonance, under `<tenant>/<job id>/`. */
export async function deliver(run: DemoRun, world: DemoWorld, deployed: DeployedDestination, sample: SampleSnapshot): Promise<DeliveryReport> {
  const { options } = run;
  const vendor = access(world.vendor);
  return run.steps.run('deliver', `Deliver it as First Resonance (ion-dest deliver) under ${options.tenant}/${options.jobId}/`, async (step) => {
    const display = createProgressDisplay({ json: false, tty: options.progressBars, write: (line) => step.print(line) });
    let report: DeliveryReport;
    try {
      report = await deliverSnapshot({
        roleArn: deployed.roleArn,
        externalId: options.externalId,
        bucket: deployed.bucket,
        region: deployed.bucketRegion,
        tenant: options.tenant,
        jobId: options.jobId,
        tables: directoryTableSource(sample.tablesDir),
        attachments: directoryAttachmentSource(sample.attachmentsDir),
        ...(world.endpointUrl ? { endpointUrl: world.endpointUrl } : {}),
        ...(vendor.credentials ? { sourceCredentials: vendor.credentials } : {}),
        ...(vendor.profile ? { profile: vendor.profile } : {}),
        onProgress: display.listener,
      });
    } finally {
      display.stop();
    }
    step.print(`${formatBytes(report.sourceBytes)} read, ${formatBytes(report.deliveredBytes)} written in ${report.durationSeconds.toFixed(1)} s`);
    run.summary.delivery = deliveryOutcome(report);
    return report;
  });
}

/** List what landed under the delivery's prefix as the customer; it must be exactly what was delivered. */
export async function listWhatLanded(run: DemoRun, world: DemoWorld, deployed: DeployedDestination, delivery: DeliveryReport): Promise<void> {
  await run.steps.run('list-delivered', 'List what landed in the bucket, as the customer', async (step) => {
    const listed = await listDelivered({
      bucket: deployed.bucket,
      region: deployed.bucketRegion,
      accountId: deployed.accountId,
      prefix: delivery.prefix,
      ...callAs(world.endpointUrl, world.customer),
    });
    const width = Math.max(0, ...listed.map((o) => o.key.length));
    for (const o of listed) step.print(`s3://${deployed.bucket}/${o.key.padEnd(width)}  ${String(o.size).padStart(9)} bytes`);
    run.summary.listed = listed;
    assertListingMatchesDelivery(listed, delivery);
  });
}
