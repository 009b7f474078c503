import type { CheckResult, CheckStatus } from './types.js';

/** ANSI colours per status; used only when the output is a terminal. */
const STATUS_COLOURS: Record<CheckStatus, string> = { pass: '32', fail: '31', warn: '33', skip: '2' };
const STATUS_LABELS: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

export interface RenderOptions {
  /** Colour the status words (only for a TTY). */
  colour: boolean;
}

/** Anything with checks: a verify report or an audit report. */
export interface ChecklistReport {
  ok: boolean;
  checks: readonly CheckResult<string>[];
}

function paint(text: string, status: CheckStatus, colour: boolean): string {
  return colour ? `\u001b[${STATUS_COLOURS[status]}m${text}\u001b[0m` : text;
}

/** Count checks by status. */
export function countStatuses(checks: readonly CheckResult<string>[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const c of checks) counts[c.status] += 1;
  return counts;
}

/**
 * The human checklist: one line per check (status, id, message, time), and under a
 * fail or warn its code, cause, fix and request ID; then a one-line verdict.
 */
export function renderChecklist(title: string, report: ChecklistReport, options: RenderOptions): string {
  const width = Math.max(...report.checks.map((c) => c.id.length));
  const lines = [title];
  for (const check of report.checks) {
    const time = check.status === 'skip' ? '' : ` (${check.durationMs} ms)`;
    lines.push(`  ${paint(STATUS_LABELS[check.status], check.status, options.colour)}  ${check.id.padEnd(width)}  ${check.message}${time}`);
    const indent = ' '.repeat(width + 10);
    for (const detail of check.details ?? []) lines.push(`${indent}- ${detail}`);
    if (check.code) lines.push(`${indent}code:  ${check.code}`);
    if (check.cause) lines.push(`${indent}cause: ${check.cause}`);
    if (check.fix) lines.push(`${indent}fix:   ${check.fix}`);
    if (check.requestId) lines.push(`${indent}request ID: ${check.requestId}`);
  }
  const n = countStatuses(report.checks);
  const verdict = report.ok ? paint('OK', 'pass', options.colour) : paint('FAILED', 'fail', options.colour);
  lines.push(`${verdict}: ${n.pass} passed, ${n.fail} failed, ${n.warn} warnings, ${n.skip} skipped`);
  return `${lines.join('\n')}\n`;
}

/** The report as indented JSON (the `--json` output of one run). */
export function renderJson(report: unknown): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
