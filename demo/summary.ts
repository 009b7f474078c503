import { formatBytes, type DeliveryReport } from '../delivery/index.js';
import type { CheckStatus } from '../verifier/index.js';
import { countStatuses, type ChecklistReport } from '../verifier/report.js';
import { formatSeconds, type StepRecord } from './step-runner.js';
import type { DeployedDestination } from './steps/deployed-destination.js';
import type { ListedObject } from './steps/list-delivered.js';

/** A checklist's outcome in a line: the verdict and the count per status. */
export interface ChecklistOutcome {
  ok: boolean;
  counts: Record<CheckStatus, number>;
  checks: { id: string; status: CheckStatus; code?: string }[];
}

/** One side of the demo: the account and the identity that acted for it. */
export interface DemoSide {
  accountId: string;
  arn: string;
}

/** What `ion-dest demo --json` prints: everything the text summary shows, as data. */
export interface DemoSummary {
  ok: boolean;
  target: 'emulator' | 'aws';
  method: 'cloudformation' | 'cdktf';
  region: string;
  /** The emulator's endpoint (stopped by the time the summary is printed). */
  endpointUrl?: string;
  vendor?: DemoSide;
  customer?: DemoSide;
  externalId: string;
  tenant: string;
  jobId: string;
  deployed?: DeployedDestination;
  verify?: ChecklistOutcome;
  delivery?: { prefix: string; tables: number; attachments: number; sourceBytes: number; deliveredBytes: number; objects: { key: string; size: number; checksum: string }[] };
  listed?: ListedObject[];
  audit?: ChecklistOutcome;
  /**
   * With `--keep-running`: the shell line that pointed at the running emulator and the
   * profile files (no keys: those are in the credentials file only, removed at stop).
   */
  explore?: { exportLine: string; profiles: { vendor: string; customer: string }; configFile: string; credentialsFile: string };
  cleanup: string[];
  steps: StepRecord[];
  failed?: { step: string; title: string; code?: string; message: string };
  durationSeconds: number;
}

export function checklistOutcome(report: ChecklistReport): ChecklistOutcome {
  return {
    ok: report.ok,
    counts: countStatuses(report.checks),
    checks: report.checks.map((c) => ({ id: c.id, status: c.status, ...(c.code ? { code: c.code } : {}) })),
  };
}

export function deliveryOutcome(report: DeliveryReport): NonNullable<DemoSummary['delivery']> {
  return {
    prefix: report.prefix,
    tables: report.tables,
    attachments: report.attachments,
    sourceBytes: report.sourceBytes,
    deliveredBytes: report.deliveredBytes,
    objects: report.objects.map((o) => ({ key: o.key, size: o.size, checksum: o.checksum })),
  };
}

function checklistLine(outcome: ChecklistOutcome, who: string): string {
  const n = outcome.counts;
  return `${outcome.ok ? 'OK' : 'FAILED'}: ${n.pass} of ${outcome.checks.length} checks passed, ${n.fail} failed, ${n.warn} warnings, ${n.skip} skipped (${who})`;
}

/** The one-screen summary that ends a demo run. */
export function renderSummary(summary: DemoSummary): string {
  const pad = (label: string) => `  ${label.padEnd(10)} `;
  const more = ' '.repeat(13);
  const lines = [`Summary: ${summary.ok ? 'the whole job ran end to end' : 'FAILED'} in ${formatSeconds(summary.durationSeconds * 1000)}`];
  const where = summary.target === 'emulator' ? `the local emulator (${summary.region})` : `AWS (${summary.region})`;
  const d = summary.deployed;
  if (d) {
    const how = d.method === 'cloudformation' ? `CloudFormation stack ${d.stackName}` : `cdktf stack ${d.stackName}`;
    lines.push(`${pad('deployed')}${how} in the customer's account ${d.accountId}, on ${where}`);
    lines.push(`${more}role    ${d.roleArn}`);
    lines.push(`${more}bucket  ${d.bucket} (${d.bucketRegion}), external ID ${summary.externalId}`);
  }
  if (summary.verify) lines.push(`${pad('verify')}${checklistLine(summary.verify, `as First Resonance, account ${summary.vendor?.accountId ?? '?'}`)}`);
  const delivery = summary.delivery;
  if (delivery) {
    lines.push(
      `${pad('delivered')}${delivery.tables} tables and ${delivery.attachments} attachments (${formatBytes(delivery.sourceBytes)}) as ${delivery.objects.length} archives to s3://${d?.bucket ?? '?'}/${delivery.prefix}`,
    );
    const width = Math.max(...delivery.objects.map((o) => o.key.length));
    for (const o of delivery.objects) lines.push(`${more}${o.key.padEnd(width)}  ${formatBytes(o.size).padStart(10)}`);
  }
  if (summary.listed) lines.push(`${pad('listed')}${summary.listed.length} objects under the prefix, keys and sizes as delivered (as the customer)`);
  if (summary.audit) lines.push(`${pad('audit')}${checklistLine(summary.audit, `as the customer, account ${summary.customer?.accountId ?? '?'}`)}`);
  if (summary.failed) lines.push(`${pad('failed')}step "${summary.failed.title}"${summary.failed.code ? ` [${summary.failed.code}]` : ''}: ${summary.failed.message}`);
  if (summary.cleanup.length > 0) lines.push(`${pad('cleaned up')}${summary.cleanup.join('; ')}`);
  return `${lines.join('\n')}\n`;
}
