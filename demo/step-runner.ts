/**
 * Runs the demo's steps one after another and prints each as it goes: a numbered
 * heading when it starts, its own lines indented under it, and its time when it ends.
 * A failing step is named in the error it rethrows.
 */

/** Every step the demo can run, in the order it runs them. */
export const STEP_IDS = [
  'check-tools',
  'start-emulator',
  'create-identities',
  'identify-accounts',
  'deploy',
  'enable-enforcement',
  'verify',
  'generate-snapshot',
  'deliver',
  'list-delivered',
  'audit',
  'keep-running',
  'clean-up',
] as const;
export type StepId = (typeof STEP_IDS)[number];

export type StepStatus = 'ok' | 'failed';

export interface StepRecord {
  id: StepId;
  title: string;
  status: StepStatus;
  durationMs: number;
}

/** Lines under a step's heading are indented this far, past the `[n/N] ` number. */
export const STEP_INDENT = '      ';

/** A step failed; `cause` is what it threw (an IonDestError carries cause and fix). */
export class DemoStepError extends Error {
  override readonly name = 'DemoStepError';
  constructor(
    readonly step: { id: StepId; number: number; total: number; title: string },
    override readonly cause: unknown,
  ) {
    super(`step ${step.number}/${step.total} "${step.title}" failed`);
  }
}

export interface StepContext {
  /** Print lines under the step's heading (each line indented). */
  print(text: string): void;
}

export class StepRunner {
  readonly records: StepRecord[] = [];
  private number = 0;

  constructor(
    private readonly write: (text: string) => void,
    /** Steps this run will take, for the `[n/N]` headings. */
    private readonly total: number,
  ) {}

  /** Run one step; its return value passes through, a throw becomes a DemoStepError naming it. */
  async run<T>(id: StepId, title: string, work: (context: StepContext) => Promise<T>): Promise<T> {
    this.number += 1;
    const step = { id, number: this.number, total: this.total, title };
    this.write(`[${step.number}/${step.total}] ${title}\n`);
    const started = performance.now();
    const context: StepContext = { print: (text) => this.write(indent(text)) };
    try {
      const value = await work(context);
      this.finish(step, 'ok', started);
      return value;
    } catch (error) {
      this.finish(step, 'failed', started);
      throw new DemoStepError(step, error);
    }
  }

  private finish(step: { id: StepId; title: string }, status: StepStatus, started: number): void {
    const durationMs = Math.round(performance.now() - started);
    this.records.push({ id: step.id, title: step.title, status, durationMs });
    this.write(`${STEP_INDENT}${status === 'ok' ? 'done' : 'FAILED'} (${formatSeconds(durationMs)})\n`);
  }
}

/** Indent every line of `text` under a step heading; the text ends with a newline. */
export function indent(text: string): string {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return `${body
    .split('\n')
    .map((line) => (line === '' ? '' : `${STEP_INDENT}${line}`))
    .join('\n')}\n`;
}

/** Milliseconds as seconds with one decimal: `1.3 s`. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
