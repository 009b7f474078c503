import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { CleanupStack } from './cleanup-stack.js';
import { DemoStepError, StepRunner, type StepId } from './step-runner.js';
import type { DemoSummary } from './summary.js';
import { isIonDestError } from '../errors/index.js';

/** Where the demo runs: the local emulator, or two real AWS accounts through named profiles. */
export type DemoTarget = { kind: 'emulator'; region: string } | { kind: 'aws'; vendorProfile: string; customerProfile: string; region: string; trustedAccountId?: string };

export interface DemoOptions {
  target: DemoTarget;
  method: 'cloudformation' | 'cdktf';
  stackName: string;
  externalId: string;
  /** The delivery role's name (the stack's RoleName); none: a generated name. */
  roleName?: string;
  /** The destination bucket's name (the stack's BucketName); none: a generated name. */
  bucketName?: string;
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

/** How one side signs its calls: explicit keys (emulator) or a named profile (AWS). */
export interface SideAccess {
  credentials?: AwsCredentialIdentity;
  profile?: string;
}

/** The side's keys or profile, as options of the library calls. */
export function access(side: SideAccess): SideAccess {
  return { ...(side.credentials ? { credentials: side.credentials } : {}), ...(side.profile ? { profile: side.profile } : {}) };
}

/** Where a library call goes and as whom: the emulator's endpoint (none on AWS) and one side's keys or profile. */
export function callAs(endpointUrl: string | undefined, side: SideAccess): SideAccess & { endpointUrl?: string } {
  return { ...(endpointUrl ? { endpointUrl } : {}), ...access(side) };
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

/**
 * One run of the demo, shared by its steps: the options, the step runner that numbers
 * and times them, the summary they fill in, and the time spent waiting for Ctrl-C, which
 * the summary's duration leaves out.
 */
export class DemoRun {
  readonly steps: StepRunner;
  readonly summary: DemoSummary;
  private readonly started = performance.now();
  private idleMs = 0;

  constructor(readonly options: DemoOptions) {
    this.steps = new StepRunner(options.write, plannedSteps(options).length);
    this.summary = {
      ok: false,
      target: options.target.kind,
      method: options.method,
      region: options.target.region,
      externalId: options.externalId,
      tenant: options.tenant,
      jobId: options.jobId,
      cleanup: [],
      steps: this.steps.records,
      durationSeconds: 0,
    };
  }

  /** Wait for `until` without counting the wait as the run's time (the emulator left up for exploring). */
  async idle(until: () => Promise<void>): Promise<void> {
    const from = performance.now();
    try {
      await until();
    } finally {
      this.idleMs += performance.now() - from;
    }
  }

  /** The run went through: the summary, with the time it took (waits left out). */
  succeeded(): DemoOutcome {
    this.summary.ok = true;
    return { summary: this.finish() };
  }

  /**
   * A step failed: the summary names it, and the outcome carries it. Anything thrown
   * outside a step is a defect and propagates.
   */
  failed(error: unknown): DemoOutcome {
    if (!(error instanceof DemoStepError)) throw error;
    this.summary.failed = {
      step: error.step.id,
      title: error.step.title,
      ...(isIonDestError(error.cause) ? { code: error.cause.code } : {}),
      message: error.cause instanceof Error ? error.cause.message : String(error.cause),
    };
    return { summary: this.finish(), failure: error };
  }

  private finish(): DemoSummary {
    this.summary.durationSeconds = Math.round(performance.now() - this.started - this.idleMs) / 1000;
    return this.summary;
  }
}

/** The run's private temporary folder (the sample snapshot, cdktf's state on the emulator), removed at clean-up. */
export async function createWorkDir(cleanup: CleanupStack): Promise<string> {
  const workDir = await mkdtemp(join(tmpdir(), 'ion-dest-demo-'));
  cleanup.add(`remove the temporary folder ${basename(workDir)}`, `removed the temporary folder ${basename(workDir)}`, () => rm(workDir, { recursive: true, force: true }));
  return workDir;
}
