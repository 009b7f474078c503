import type { ErrorCode } from './codes.js';

/** Whose move it is when this error happens. */
export type ErrorSource =
  | 'user' // bad input to the toolkit: fix the command line or options
  | 'destination' // the customer's role, bucket or key is not set up as the contract says
  | 'aws' // AWS (or the endpoint) refused or failed transiently
  | 'toolkit'; // a defect here: report it

/** One input problem, with the field, the value and the rule it breaks. */
export interface InputProblem {
  field: string;
  value: string;
  rule: string;
}

/**
 * The one error type the toolkit throws on purpose. `code` is stable and keys the
 * troubleshooting table (errors/troubleshooting.ts), which says cause and fix.
 */
export class IonDestError extends Error {
  override readonly name = 'IonDestError';
  readonly code: ErrorCode;
  readonly source: ErrorSource;
  /** For INVALID_INPUT: every problem found, not just the first. */
  readonly problems: readonly InputProblem[];
  /** AWS request ID of the failing call, when there was one. */
  readonly requestId: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { source: ErrorSource; cause?: unknown; problems?: readonly InputProblem[]; requestId?: string },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.source = options.source;
    this.problems = options.problems ?? [];
    this.requestId = options.requestId;
  }
}

export function isIonDestError(error: unknown): error is IonDestError {
  return error instanceof IonDestError;
}
