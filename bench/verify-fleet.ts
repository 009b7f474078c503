/**
 * Benchmark: verify a fleet of healthy destinations on the local emulator and print
 * the wall time. Not a timed test; the suite runs it at a small size as a smoke test.
 *
 *   npm run bench:verify                  # 100 destinations, concurrency 8
 *   npm run bench:verify -- --count 20 --concurrency 4
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_FLEET_CONCURRENCY, verifyFleet } from '../verifier/fleet.js';
import type { Destination, VerificationReport } from '../verifier/types.js';
import { VENDOR_ACCOUNT_ID, createCustomerDestination, createVendorIdentity } from '../emulator/accounts.js';
import { startEmulator } from '../emulator/emulator.js';

/** The fleet size for the benchmark. */
export const DEFAULT_BENCH_COUNT = 100;
const EXTERNAL_ID = 'ion-bench-7f3a9c';
const TENANT = 'bench';
/** Destinations created at once while setting up (setup is not what is measured). */
const SETUP_CONCURRENCY = 8;

export interface BenchResult {
  count: number;
  concurrency: number;
  setupMs: number;
  wallMs: number;
  failed: number;
  reports: VerificationReport[];
}

/** Start an emulator, create `count` healthy destinations, verify them all, and measure the verification alone. */
export async function runVerifyFleetBenchmark(options: { count?: number; concurrency?: number } = {}): Promise<BenchResult> {
  const count = options.count ?? DEFAULT_BENCH_COUNT;
  const concurrency = options.concurrency ?? DEFAULT_FLEET_CONCURRENCY;
  const emulator = await startEmulator();
  try {
    const setupStart = performance.now();
    const destinations: Destination[] = new Array(count);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(SETUP_CONCURRENCY, count) }, async () => {
        while (next < count) {
          const i = next++;
          const name = `bench-${String(i).padStart(4, '0')}`;
          const d = await createCustomerDestination(emulator, { bucket: name, roleName: name, trustedAccountId: VENDOR_ACCOUNT_ID, externalIds: EXTERNAL_ID });
          destinations[i] = { roleArn: d.roleArn, externalId: EXTERNAL_ID, bucket: d.bucket, region: d.region, tenant: TENANT };
        }
      }),
    );
    const vendor = await createVendorIdentity(emulator);
    await emulator.enableAuth();
    const setupMs = performance.now() - setupStart;

    const start = performance.now();
    const reports = await verifyFleet(destinations, { endpointUrl: emulator.url, credentials: vendor.credentials }, concurrency);
    const wallMs = performance.now() - start;
    return { count, concurrency, setupMs, wallMs, failed: reports.filter((r) => !r.ok).length, reports };
  } finally {
    await emulator.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { count: { type: 'string' }, concurrency: { type: 'string' } } });
  const result = await runVerifyFleetBenchmark({
    count: values.count ? Number(values.count) : DEFAULT_BENCH_COUNT,
    concurrency: values.concurrency ? Number(values.concurrency) : DEFAULT_FLEET_CONCURRENCY,
  });
  const checks = result.reports.reduce((n, r) => n + r.checks.length, 0);
  process.stdout.write(
    `verified ${result.count} destinations (${checks} checks) at concurrency ${result.concurrency} in ${(result.wallMs / 1000).toFixed(2)} s wall time` +
      ` (${(result.wallMs / result.count).toFixed(0)} ms per destination; setup ${(result.setupMs / 1000).toFixed(1)} s not counted); ${result.failed} failed\n`,
  );
  process.exitCode = result.failed === 0 ? 0 : 1;
}
