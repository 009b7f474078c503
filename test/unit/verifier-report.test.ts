import { describe, expect, it } from 'vitest';
import { TROUBLESHOOTING } from '../../errors/index.js';
import { flag, pass, skip } from '../../verifier/check-result.js';
import { renderChecklist, renderJson } from '../../verifier/report.js';
import type { VerificationReport } from '../../verifier/types.js';

const report: VerificationReport = {
  ok: false,
  destination: { roleArn: 'arn:aws:iam::444455556666:role/r', bucket: 'b-1', region: 'us-east-1', tenant: 'acme', expectedBucketOwner: '444455556666' },
  checks: [
    { id: 'assume-role', ...pass('assumed'), durationMs: 12 },
    { id: 'write', ...flag('fail', 'WRITE_DENIED', 'PutObject denied', { requestId: 'REQ9' }), durationMs: 30 },
    { id: 'versioning', ...flag('warn', 'VERSIONING_DISABLED', 'not versioned'), durationMs: 0 },
    { id: 'least-privilege', ...skip('skipped (--no-probes): not proven'), durationMs: 0 },
  ],
};

describe('renderChecklist', () => {
  const text = renderChecklist('Verifying s3://b-1/acme/', report, { colour: false });
  const lines = text.split('\n');

  it('prints one line per check with status, id, message and time', () => {
    expect(lines[0]).toBe('Verifying s3://b-1/acme/');
    expect(lines[1]).toBe('  PASS  assume-role      assumed (12 ms)');
    expect(lines[2]).toBe('  FAIL  write            PutObject denied (30 ms)');
    expect(lines.find((l) => l.includes('least-privilege'))).toBe('  SKIP  least-privilege  skipped (--no-probes): not proven');
  });

  it('prints code, cause, fix and request ID under a fail or warn', () => {
    const block = lines.slice(3, 7).map((l) => l.trim());
    expect(block).toEqual([
      'code:  WRITE_DENIED',
      `cause: ${TROUBLESHOOTING.WRITE_DENIED.cause}`,
      `fix:   ${TROUBLESHOOTING.WRITE_DENIED.fix}`,
      'request ID: REQ9',
    ]);
  });

  it('ends with the verdict and counts', () => {
    expect(lines.at(-2)).toBe('FAILED: 1 passed, 1 failed, 1 warnings, 1 skipped');
  });

  it('has no escape codes without colour, and colours only the status words with it', () => {
    expect(text).not.toContain('\u001b[');
    const coloured = renderChecklist('t', report, { colour: true });
    expect(coloured).toContain('\u001b[31mFAIL\u001b[0m');
    expect(coloured).toContain('\u001b[32mPASS\u001b[0m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderChecklist('t', report, { colour: false }));
  });
});

describe('renderJson', () => {
  it('keeps the report shape: ok, destination, checks with optional members only when set', () => {
    const parsed = JSON.parse(renderJson(report)) as VerificationReport;
    expect(Object.keys(parsed)).toEqual(['ok', 'destination', 'checks']);
    expect(Object.keys(parsed.checks[0]!)).toEqual(['id', 'status', 'message', 'durationMs']);
    expect(Object.keys(parsed.checks[1]!)).toEqual(['id', 'status', 'code', 'message', 'cause', 'fix', 'requestId', 'durationMs']);
  });
});
