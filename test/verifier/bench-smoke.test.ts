import { describe, expect, it } from 'vitest';
import { runVerifyFleetBenchmark } from '../../bench/verify-fleet.js';

describe('bench/verify-fleet.ts at a small size', () => {
  it('verifies every healthy destination and measures the wall time', async () => {
    const result = await runVerifyFleetBenchmark({ count: 4, concurrency: 2 });
    expect(result.failed).toBe(0);
    expect(result.reports).toHaveLength(4);
    expect(new Set(result.reports.map((r) => r.destination.bucket)).size).toBe(4);
    for (const report of result.reports) expect(report.checks.every((c) => c.status === 'pass')).toBe(true);
  });
});
