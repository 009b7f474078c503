import { IonDestError, TROUBLESHOOTING, type ErrorCode } from '../errors/index.js';
import type { CheckResult, CheckStatus } from './types.js';

/** A check's verdict before it is timed. */
export type Verdict = Omit<CheckResult<string>, 'id' | 'durationMs'>;

export function pass(message: string, details?: string[]): Verdict {
  return { status: 'pass', message, ...(details?.length ? { details } : {}) };
}

export function skip(message: string): Verdict {
  return { status: 'skip', message };
}

/** A fail or a warning, with cause and fix from the troubleshooting table. */
export function flag(
  status: Extract<CheckStatus, 'fail' | 'warn'>,
  code: ErrorCode,
  message: string,
  extra: { requestId?: string | undefined; details?: string[] } = {},
): Verdict {
  const row = TROUBLESHOOTING[code];
  return {
    status,
    code,
    message,
    cause: row.cause,
    fix: row.fix,
    ...(extra.requestId ? { requestId: extra.requestId } : {}),
    ...(extra.details?.length ? { details: extra.details } : {}),
  };
}

/** A failed check from the IonDestError its call site raised. */
export function failFrom(error: IonDestError, prefix = ''): Verdict {
  return flag('fail', error.code, `${prefix}${error.message}`, { requestId: error.requestId });
}

/** Give a verdict its id and duration. */
export function toResult<Id extends string>(id: Id, verdict: Verdict, startedAt: number): CheckResult<Id> {
  return { id, ...verdict, durationMs: Math.round(performance.now() - startedAt) } as CheckResult<Id>;
}

/**
 * Run one check, timed. An IonDestError becomes a fail with its code; anything else
 * is a defect here and is reported as such rather than hidden.
 */
export async function runCheck<Id extends string>(id: Id, body: () => Promise<Verdict>): Promise<CheckResult<Id>> {
  const startedAt = performance.now();
  try {
    return toResult(id, await body(), startedAt);
  } catch (error) {
    if (error instanceof IonDestError) return toResult(id, failFrom(error), startedAt);
    const message = error instanceof Error ? error.message : String(error);
    return toResult(id, flag('fail', 'AWS_REQUEST_FAILED', `unexpected error: ${message}`), startedAt);
  }
}
