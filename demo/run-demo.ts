import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { createStsClient } from '../aws/clients.js';
import { createProgressDisplay } from '../cli/deliver-progress.js';
import { deliverSnapshot, directoryAttachmentSource, directoryTableSource, formatBytes, type DeliveryReport } from '../delivery/index.js';
import { IonDestError, isIonDestError, type ErrorCode } from '../errors/index.js';
import { auditDestination, renderChecklist, verifyDestination } from '../verifier/index.js';
import { toIonDestError } from '../aws/aws-errors.js';
import { CleanupStack } from './cleanup-stack.js';
import { writeSampleSnapshot } from './sample-snapshot.js';
import { DemoStepError, StepRunner, type StepId } from './step-runner.js';
import { deployCloudFormationStack } from './steps/deploy-cloudformation.js';
import type { DeployedDestination } from './steps/deployed-destination.js';
import { createDemoIdentities, startDemoEmulator } from './steps/emulator-accounts.js';
import { assertListingMatchesDelivery, listDelivered } from './steps/list-delivered.js';
import { checklistOutcome, deliveryOutcome, type DemoSide, type DemoSummary } from './summary.js';

/** Where the demo runs: the local emulator, or two real AWS accounts through named profiles. */
export type DemoTarget = { kind: 'emulator'; region: string } | { kind: 'aws'; vendorProfile: string; customerProfile: string; region: string; trustedAccountId?: string };

export interface DemoOptions {
  target: DemoTarget;
  method: 'cloudformation' | 'cdktf';
  stackName: string;
  externalId: string;
  tenant: string;
  jobId: string;
  /** Leave the emulator up after the last step until `waitForStop` resolves. */
  keepRunning: boolean;
  /** Resolves when the user asks to stop (Ctrl-C); only awaited with keepRunning. */
  waitForStop: () => Promise<void>;
  /** Step output (headings, checklists, listings). */
  write: (text: string) => void;
  /** Draw progress bars (a terminal on stderr); otherwise one line per uploaded archive. */
  progressBars: boolean;
  /** Undo steps; run by the demo's last step, and by the caller on failure or Ctrl-C. */
  cleanup: CleanupStack;
}

/** What a run produced: the summary, and the step that failed, if one did. */
export interface DemoOutcome {
  summary: DemoSummary;
  failure?: DemoStepError;
}

/** Polling CloudFormation: AWS takes a minute or two to create the stack; moto answers at once. */
const AWS_STACK_POLL_MS = 5_000;
const EMULATOR_STACK_POLL_MS = 250;
/** Wait this long for a stack on AWS before giving up (it goes on in CloudFormation). */
const AWS_STACK_TIMEOUT_MS = 20 * 60_000;
const EMULATOR_STACK_TIMEOUT_MS = 60_000;

/** How the two sides sign their calls: explicit keys (emulator) or a named profile (AWS). */
interface SideAccess {
  credentials?: AwsCredentialIdentity;
  profile?: string;
}

function access(side: SideAccess): SideAccess {
  return { ...(side.credentials ? { credentials: side.credentials } : {}), ...(side.profile ? { profile: side.profile } : {}) };
}

/** The steps a run takes, for the `[n/N]` headings. */
export function plannedSteps(options: Pick<DemoOptions, 'target' | 'method' | 'keepRunning'>): StepId[] {
  const emulator = options.target.kind === 'emulator';
  return [
    ...(options.method === 'cdktf' ? (['check-tools'] as const) : []),
    ...(emulator ? (['start-emulator', 'create-identities'] as const) : (['identify-accounts'] as const)),
    'deploy',
    ...(emulator ? (['enable-enforcement'] as const) : []),
    'verify',
    'generate-snapshot',
    'deliver',
    'list-delivered',
    'audit',
    ...(options.keepRunning ? (['keep-running'] as const) : []),
    'clean-up',
  ];
}

/** The account and ARN behind a profile (GetCallerIdentity needs no permission). */
async function identify(profile: string, region: string): Promise<DemoSide> {
  const sts = createStsClient({ region, profile });
  try {
    const who = await sts.send(new GetCallerIdentityCommand({})).catch((error: unknown) => {
      throw toIonDestError(error, `GetCallerIdentity with profile ${profile}`, 'source');
    });
    return { accountId: who.Account ?? '?', arn: who.Arn ?? '?' };
  } finally {
    sts.destroy();
  }
}

/**
 * The whole job, step by step: deploy the customer's stack as the customer, verify it
 * and deliver a sample snapshot as First Resonance, list what landed and audit as the
 * customer. A failed step ends the run: the outcome then carries it (the caller still
 * runs `options.cleanup`); anything thrown outside a step is a defect and propagates.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const started = performance.now();
  const { target, write } = options;
  const steps = new StepRunner(write, plannedSteps(options).length);
  const summary: DemoSummary = {
    ok: false,
    target: target.kind,
    method: options.method,
    region: target.region,
    externalId: options.externalId,
    tenant: options.tenant,
    jobId: options.jobId,
    cleanup: [],
    steps: steps.records,
    durationSeconds: 0,
  };
  const finish = (): DemoSummary => {
    summary.durationSeconds = Math.round(performance.now() - started) / 1000;
    return summary;
  };

  try {
    const mirror =
      options.method === 'cdktf'
        ? await steps.run('check-tools', 'Check the tools cdktf deploy needs offline', async (step) => {
            // The cdktf path alone loads cdktf and the AWS provider bindings (large, slow to load).
            const { checkCdktfTools } = await import('./steps/deploy-cdktf.js');
            const found = checkCdktfTools();
            step.print(`${found.terraformVersion}; hashicorp/aws 5.100.0 in the provider mirror (ION_DEST_PROVIDER_MIRROR)`);
            return found.mirror;
          })
        : undefined;

    const workDir = await mkdtemp(join(tmpdir(), 'ion-dest-demo-'));
    options.cleanup.add(`remove the temporary folder ${basename(workDir)}`, `removed the temporary folder ${basename(workDir)}`, () =>
      rm(workDir, { recursive: true, force: true }),
    );

    let endpointUrl: string | undefined;
    let vendor: SideAccess;
    let customer: SideAccess;
    let trustedAccountId: string;
    let enableEnforcement: (() => Promise<void>) | undefined;
    let exploration: ((deployed: DeployedDestination) => string) | undefined;

    if (target.kind === 'emulator') {
      const emulator = await steps.run('start-emulator', 'Start the local AWS emulator (moto with the fidelity layer)', async (step) => {
        const e = await startDemoEmulator();
        options.cleanup.add(`stop the emulator at ${e.url}`, `stopped the emulator at ${e.url}`, () => e.stop());
        step.print(`listening at ${e.url} (S3, IAM, STS and CloudFormation on one port)`);
        return e;
      });
      endpointUrl = emulator.url;
      summary.endpointUrl = emulator.url;
      const identities = await steps.run('create-identities', "Create First Resonance's account and the customer's account", async (step) => {
        const ids = await createDemoIdentities(emulator);
        step.print(`First Resonance  ${ids.vendor.arn}  (may call sts:AssumeRole on customer roles)`);
        step.print(`customer         ${ids.customer.arn}  (the actions the README lists for the customer)`);
        return ids;
      });
      summary.vendor = { accountId: identities.vendor.accountId, arn: identities.vendor.arn };
      summary.customer = { accountId: identities.customer.accountId, arn: identities.customer.arn };
      vendor = { credentials: identities.vendor.credentials };
      customer = { credentials: identities.customer.credentials };
      trustedAccountId = identities.vendor.accountId;
      enableEnforcement = () => emulator.enableAuth();
      exploration = (deployed) => renderExploration(emulator.url, target.region, identities, deployed, options.externalId);
    } else {
      const sides = await steps.run('identify-accounts', 'Identify both sides (sts:GetCallerIdentity)', async (step) => {
        const [v, c] = await Promise.all([identify(target.vendorProfile, target.region), identify(target.customerProfile, target.region)]);
        step.print(`First Resonance  ${v.arn}  (profile ${target.vendorProfile})`);
        step.print(`customer         ${c.arn}  (profile ${target.customerProfile})`);
        return { v, c };
      });
      summary.vendor = sides.v;
      summary.customer = sides.c;
      vendor = { profile: target.vendorProfile };
      customer = { profile: target.customerProfile };
      trustedAccountId = target.trustedAccountId ?? sides.v.accountId;
    }

    const deployTitle =
      options.method === 'cloudformation'
        ? `Deploy the customer's stack from the generated CloudFormation template, as the customer`
        : `Deploy the customer's stack with cdktf deploy, as the customer`;
    const deployed = await steps.run('deploy', deployTitle, async (step) => {
      step.print(`trusted account ${trustedAccountId}, external ID ${options.externalId}, region ${target.region}`);
      const common = { region: target.region, trustedAccountId, externalId: options.externalId, ...(endpointUrl ? { endpointUrl } : {}), ...access(customer) };
      const result =
        options.method === 'cloudformation'
          ? await deployCloudFormationStack({
              ...common,
              stackName: options.stackName,
              pollIntervalMs: target.kind === 'emulator' ? EMULATOR_STACK_POLL_MS : AWS_STACK_POLL_MS,
              timeoutMs: target.kind === 'emulator' ? EMULATOR_STACK_TIMEOUT_MS : AWS_STACK_TIMEOUT_MS,
              onEvent: (line) => step.print(line),
            })
          : await (await import('./steps/deploy-cdktf.js')).deployCdktfStack({
              ...common,
              workDir: await cdktfWorkDir(target, workDir, (line) => step.print(line)),
              mirror: mirror as string,
              onLine: (line) => {
                const text = stripTerminalCodes(line).replace(/^\S+\s{2,}/, '').trim();
                if (/Creation complete|Apply complete|Error/.test(text)) step.print(text);
              },
            });
      step.print(`outputs: RoleArn ${result.roleArn}`);
      step.print(`         BucketName ${result.bucket}`);
      step.print(`         BucketRegion ${result.bucketRegion}`);
      return result;
    });
    summary.deployed = deployed;

    if (enableEnforcement) {
      const enforce = enableEnforcement;
      await steps.run('enable-enforcement', 'Turn IAM enforcement on (from now on every call is authorized as on AWS)', async (step) => {
        await enforce();
        step.print('each side signs with its own keys; the delivery role is reached only through its trust policy');
      });
    }

    const verifyReport = await steps.run('verify', 'Verify the destination as First Resonance (ion-dest verify)', async (step) => {
      const report = await verifyDestination({
        roleArn: deployed.roleArn,
        externalId: options.externalId,
        bucket: deployed.bucket,
        region: deployed.bucketRegion,
        tenant: options.tenant,
        ...(endpointUrl ? { endpointUrl } : {}),
        ...access(vendor),
      });
      const d = report.destination;
      step.print(renderChecklist(`Verifying s3://${d.bucket}/${d.tenant}/ (${d.region}, owner ${d.expectedBucketOwner}) through ${d.roleArn}`, report, { colour: false }));
      summary.verify = checklistOutcome(report);
      return report;
    });
    if (!verifyReport.ok) throw failedChecklist('verify', verifyReport.checks);

    const sample = await steps.run('generate-snapshot', 'Generate a sample snapshot (tables as CSV, attachments in nested folders)', async (step) => {
      const s = await writeSampleSnapshot(join(workDir, 'snapshot'));
      const width = Math.max(...s.tables.map((t) => t.name.length + 4), ...s.attachments.map((a) => a.path.length));
      for (const t of s.tables) step.print(`table       ${`${t.name}.csv`.padEnd(width)}  ${formatBytes(t.bytes).padStart(10)}  (${t.rows} rows)`);
      for (const a of s.attachments) step.print(`attachment  ${a.path.padEnd(width)}  ${formatBytes(a.bytes).padStart(10)}`);
      return s;
    });

    const delivery = await steps.run('deliver', `Deliver it as First Resonance (ion-dest deliver) under ${options.tenant}/${options.jobId}/`, async (step) => {
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
          ...(endpointUrl ? { endpointUrl } : {}),
          ...(vendor.credentials ? { sourceCredentials: vendor.credentials } : {}),
          ...(vendor.profile ? { profile: vendor.profile } : {}),
          onProgress: display.listener,
        });
      } finally {
        display.stop();
      }
      step.print(`${formatBytes(report.sourceBytes)} read, ${formatBytes(report.deliveredBytes)} written in ${report.durationSeconds.toFixed(1)} s`);
      summary.delivery = deliveryOutcome(report);
      return report;
    });

    await steps.run('list-delivered', 'List what landed in the bucket, as the customer', async (step) => {
      const listed = await listDelivered({
        bucket: deployed.bucket,
        region: deployed.bucketRegion,
        accountId: deployed.accountId,
        prefix: delivery.prefix,
        ...(endpointUrl ? { endpointUrl } : {}),
        ...access(customer),
      });
      const width = Math.max(0, ...listed.map((o) => o.key.length));
      for (const o of listed) step.print(`s3://${deployed.bucket}/${o.key.padEnd(width)}  ${String(o.size).padStart(9)} bytes`);
      summary.listed = listed;
      assertListingMatchesDelivery(listed, delivery);
    });

    const auditReport = await steps.run('audit', 'Audit the role and the bucket as the customer (ion-dest audit)', async (step) => {
      const report = await auditDestination({
        roleName: deployed.roleName,
        bucket: deployed.bucket,
        trustedAccountId,
        externalIds: [options.externalId],
        region: deployed.bucketRegion,
        ...(endpointUrl ? { endpointUrl } : {}),
        ...access(customer),
      });
      step.print(renderChecklist(`Auditing role ${report.destination.roleArn ?? deployed.roleName} and bucket ${deployed.bucket} for account ${trustedAccountId}`, report, { colour: false }));
      summary.audit = checklistOutcome(report);
      return report;
    });
    if (!auditReport.ok) throw failedChecklist('audit', auditReport.checks);

    if (options.keepRunning && exploration) {
      const explore = exploration;
      await steps.run('keep-running', 'Keep the emulator running for exploration (Ctrl-C to stop)', async (step) => {
        step.print(explore(deployed));
        await options.waitForStop();
        step.print('Ctrl-C received');
      });
    }

    await steps.run('clean-up', target.kind === 'emulator' ? 'Stop the emulator and remove the temporary files' : 'Remove the temporary files', async (step) => {
      summary.cleanup = await options.cleanup.run();
      for (const line of summary.cleanup) step.print(line);
      if (target.kind === 'aws') {
        step.print(`kept in AWS: stack ${deployed.stackName}, bucket ${deployed.bucket} (Retain) and the delivered objects`);
      }
      if (summary.cleanup.some((line) => line.startsWith('FAILED'))) throw new Error(summary.cleanup.join('; '));
    });
    summary.ok = true;
    return { summary: finish() };
  } catch (error) {
    if (!(error instanceof DemoStepError)) throw error;
    summary.failed = {
      step: error.step.id,
      title: error.step.title,
      ...(isIonDestError(error.cause) ? { code: error.cause.code } : {}),
      message: error.cause instanceof Error ? error.cause.message : String(error.cause),
    };
    return { summary: finish(), failure: error };
  }
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

/**
 * Where `cdktf deploy` keeps cdktf.json and the Terraform state. On the emulator, in the
 * temporary folder; on AWS, a new folder in the working directory that the demo keeps,
 * so the customer side can manage (or `cdktf destroy`) what it created.
 */
async function cdktfWorkDir(target: DemoTarget, temporary: string, print: (line: string) => void): Promise<string> {
  if (target.kind === 'emulator') return mkdtemp(join(temporary, 'cdktf-'));
  const kept = await mkdtemp(join(process.cwd(), 'ion-dest-demo-cdktf-'));
  print(`cdktf.json and the Terraform state are kept in ${basename(kept)}/ (run cdktf there to change or destroy the stack)`);
  return kept;
}

/** cdktf redraws its progress with ANSI cursor codes even without a terminal; keep only the text. */
function stripTerminalCodes(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/** The endpoint and each side's keys, as shell exports and a first command to try. */
function renderExploration(
  url: string,
  region: string,
  identities: { vendor: { accountId: string; arn: string; credentials: AwsCredentialIdentity }; customer: { accountId: string; arn: string; credentials: AwsCredentialIdentity } },
  deployed: DeployedDestination,
  externalId: string,
): string {
  const exports = (c: AwsCredentialIdentity) =>
    `export AWS_ENDPOINT_URL=${url} AWS_REGION=${region} AWS_ACCESS_KEY_ID=${c.accessKeyId} AWS_SECRET_ACCESS_KEY=${c.secretAccessKey}`;
  return [
    `endpoint: ${url}  (region ${region}; path-style S3; any AWS CLI or SDK honours AWS_ENDPOINT_URL)`,
    `customer (account ${identities.customer.accountId}, ${identities.customer.arn}):`,
    `  ${exports(identities.customer.credentials)}`,
    `  aws s3 ls s3://${deployed.bucket}/ --recursive`,
    `First Resonance (account ${identities.vendor.accountId}, ${identities.vendor.arn}):`,
    `  ${exports(identities.vendor.credentials)}`,
    `  aws sts assume-role --role-arn ${deployed.roleArn} --external-id ${externalId} --role-session-name explore`,
    `boto3: boto3.client("s3", endpoint_url="${url}", region_name="${region}", aws_access_key_id="…", aws_secret_access_key="…")`,
    'waiting; press Ctrl-C to stop the emulator',
  ].join('\n');
}
