import { IonDestError, type ErrorCode } from '../../errors/index.js';
import { auditDestination, renderChecklist, verifyDestination } from '../../verifier/index.js';
import { callAs, type DemoRun } from '../demo-run.js';
import { checklistOutcome } from '../summary.js';
import type { DeployedDestination } from './deployed-destination.js';
import type { DemoWorld } from './start-world.js';

/** `ion-dest verify` as First Resonance; a failed check ends the run. */
export async function verify(run: DemoRun, world: DemoWorld, deployed: DeployedDestination): Promise<void> {
  const { options } = run;
  const report = await run.steps.run('verify', 'Verify the destination as First Resonance (ion-dest verify)', async (step) => {
    const r = await verifyDestination({
      roleArn: deployed.roleArn,
      externalId: options.externalId,
      bucket: deployed.bucket,
      region: deployed.bucketRegion,
      tenant: options.tenant,
      ...callAs(world.endpointUrl, world.vendor),
    });
    const d = r.destination;
    step.print(renderChecklist(`Verifying s3://${d.bucket}/${d.tenant}/ (${d.region}, owner ${d.expectedBucketOwner}) through ${d.roleArn}`, r, { colour: false }));
    run.summary.verify = checklistOutcome(r);
    return r;
  });
  if (!report.ok) throw failedChecklist('verify', report.checks);
}

/** `ion-dest audit` of the role and the bucket as the customer; a failed check ends the run. */
export async function audit(run: DemoRun, world: DemoWorld, deployed: DeployedDestination): Promise<void> {
  const report = await run.steps.run('audit', 'Audit the role and the bucket as the customer (ion-dest audit)', async (step) => {
    const r = await auditDestination({
      roleName: deployed.roleName,
      bucket: deployed.bucket,
      trustedAccountId: world.trustedAccountId,
      externalIds: [run.options.externalId],
      region: deployed.bucketRegion,
      ...callAs(world.endpointUrl, world.customer),
    });
    step.print(renderChecklist(`Auditing role ${r.destination.roleArn ?? deployed.roleName} and bucket ${deployed.bucket} for account ${world.trustedAccountId}`, r, { colour: false }));
    run.summary.audit = checklistOutcome(r);
    return r;
  });
  if (!report.ok) throw failedChecklist('audit', report.checks);
}

/**
 * A checklist with a failure stops the demo, as the first failing check's error: its
 * code keys the cause and fix, and the checklist above shows every check.
 */
function failedChecklist(what: string, checks: readonly { id: string; status: string; code?: ErrorCode; message: string }[]): IonDestError {
  const failed = checks.filter((c) => c.status === 'fail');
  const first = failed[0];
  return new IonDestError(first?.code ?? 'AWS_REQUEST_FAILED', `${what} failed ${failed.length} check(s), first ${first?.id ?? '?'}: ${first?.message ?? '?'}`, {
    source: 'destination',
  });
}
