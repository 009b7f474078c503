import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { IonDestError, type InputProblem } from '../errors/index.js';
import { assertNoProblems } from '../policy/index.js';
import { countStatuses } from './report.js';
import type { Destination, VerificationReport, VerifyOptions } from './types.js';
import { findDestinationProblems, parseDestination, type DestinationFieldNames, type ParsedDestination } from '../destination/index.js';
import { verifyParsedDestination } from './verify-destination.js';
import { DEFAULT_FLEET_CONCURRENCY } from './fleet-defaults.js';

// In a module of its own, so that `verify --help` shows it without loading the AWS SDK.
export { DEFAULT_FLEET_CONCURRENCY } from './fleet-defaults.js';

/**
 * One row of a fleet file: a destination and, for a role narrowed to the tenant's prefix,
 * `tenantPrefix` (what `verify --tenant-prefix` says for one destination).
 */
export type FleetDestination = Destination & Pick<VerifyOptions, 'tenantPrefix'>;

/** Column names a fleet file may use, normalised (lower case, no `-`, `_` or spaces). */
const COLUMNS: Record<string, keyof FleetDestination> = {
  rolearn: 'roleArn',
  externalid: 'externalId',
  bucket: 'bucket',
  region: 'region',
  tenant: 'tenant',
  expectedbucketowner: 'expectedBucketOwner',
  tenantprefix: 'tenantPrefix',
};

/** How a fleet file says yes or no in the `tenant_prefix` column (any case; JSON may use true and false). */
const YES_NO: Record<string, boolean> = { true: true, yes: true, false: false, no: false };
const TENANT_PREFIX_RULE =
  "tenant_prefix is true (the role's grant is narrowed to <tenant>/: also prove a write outside it is refused), false, or empty";

function normaliseColumn(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

function toDestination(record: Record<string, unknown>, row: string, problems: InputProblem[]): FleetDestination {
  const out: Partial<Record<keyof Destination, string>> & Pick<FleetDestination, 'tenantPrefix'> = {};
  for (const [name, value] of Object.entries(record)) {
    const field = COLUMNS[normaliseColumn(name)];
    if (field === undefined) {
      problems.push({ field: `${row} column`, value: name, rule: `a fleet column is one of ${Object.values(COLUMNS).join(', ')}` });
      continue;
    }
    if (value === undefined || value === null || String(value).trim() === '') continue;
    const text = String(value).trim();
    if (field !== 'tenantPrefix') {
      out[field] = text;
      continue;
    }
    const narrowed = YES_NO[text.toLowerCase()];
    if (narrowed === undefined) problems.push({ field: `${row} tenantPrefix`, value: text, rule: TENANT_PREFIX_RULE });
    else if (narrowed) out.tenantPrefix = true;
  }
  return out as FleetDestination;
}

/** A fleet file's fields are named by row and column, so a message points at the cell to fix. */
function fieldNames(row: string): Partial<DestinationFieldNames> {
  return {
    roleArn: `${row} roleArn`,
    externalId: `${row} externalId`,
    bucket: `${row} bucket`,
    region: `${row} region`,
    tenant: `${row} tenant`,
    expectedBucketOwner: `${row} expectedBucketOwner`,
  };
}

/**
 * Parse a fleet file: JSON (an array of destination objects) or CSV with a header
 * row. Every row is validated; all problems are reported at once, before any AWS call.
 */
export function parseFleet(text: string, format: 'json' | 'csv', file = 'fleet file'): FleetDestination[] {
  let records: Record<string, unknown>[];
  try {
    records =
      format === 'json'
        ? (JSON.parse(text) as Record<string, unknown>[])
        : (parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, comment: '#' }) as Record<string, unknown>[]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new IonDestError('INVALID_INPUT', `Invalid --fleet ${JSON.stringify(file)}: not valid ${format.toUpperCase()} (${reason}).`, {
      source: 'user',
      problems: [{ field: '--fleet', value: file, rule: `a fleet file is valid ${format.toUpperCase()}` }],
    });
  }
  if (!Array.isArray(records) || records.length === 0 || records.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
    assertNoProblems([{ field: '--fleet', value: file, rule: 'a fleet file lists at least one destination, each an object (JSON) or a row under a header (CSV)' }]);
  }
  const problems: InputProblem[] = [];
  const destinations = records.map((record, i) => {
    // CSV rows are numbered as a spreadsheet shows them: the header is row 1.
    const row = format === 'csv' ? `row ${i + 2}` : `[${i}]`;
    const destination = toDestination(record, row, problems);
    problems.push(...findDestinationProblems(destination, fieldNames(row)));
    return destination;
  });
  assertNoProblems(problems);
  return destinations;
}

/** Read and parse a fleet file; the extension (.json or .csv) decides the format. */
export async function readFleetFile(path: string): Promise<FleetDestination[]> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.json' && ext !== '.csv') {
    assertNoProblems([{ field: '--fleet', value: path, rule: 'a fleet file ends in .csv or .json' }]);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new IonDestError('INVALID_INPUT', `Invalid --fleet ${JSON.stringify(path)}: cannot read it (${reason}).`, {
      source: 'user',
      problems: [{ field: '--fleet', value: path, rule: 'a fleet file exists and is readable' }],
    });
  }
  return parseFleet(text, ext === '.json' ? 'json' : 'csv', path);
}

/** What every destination of a fleet shares (the endpoint, the session, the probes); the rows say the rest. */
export type FleetCommonOptions = Omit<VerifyOptions, keyof FleetDestination>;

/**
 * Verify many destinations with at most `concurrency` at once. Every destination is
 * parsed first (one INVALID_INPUT naming `[index] option` for each problem, before any
 * AWS call); `onReport` sees each report as it completes; the result keeps the input order.
 */
export async function verifyFleet(
  destinations: readonly FleetDestination[],
  common: FleetCommonOptions,
  concurrency = DEFAULT_FLEET_CONCURRENCY,
  onReport: (report: VerificationReport, index: number) => void = () => {},
): Promise<VerificationReport[]> {
  // Every destination is parsed with the common options before any AWS call: a bad one stops
  // the fleet before the first is verified, not midway.
  const problems: InputProblem[] = [];
  const runs = destinations.map((destination, i) => {
    const options: VerifyOptions = { ...common, ...destination };
    const found = findDestinationProblems(options, fieldNames(`[${i}]`));
    problems.push(...found);
    return { options, parsed: found.length === 0 ? parseDestination(options) : undefined };
  });
  assertNoProblems(uniqueProblems(problems));
  const reports: VerificationReport[] = new Array(runs.length);
  let next = 0;
  const worker = async () => {
    while (next < runs.length) {
      const index = next++;
      const run = runs[index] as (typeof runs)[number];
      const report = await verifyParsedDestination(run.options, run.parsed as ParsedDestination);
      reports[index] = report;
      onReport(report, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, runs.length)) }, worker));
  return reports;
}

/** Each problem once: a common option (endpoint, session) is wrong for every row alike. */
function uniqueProblems(problems: readonly InputProblem[]): InputProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\n${p.value}\n${p.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A fixed-width summary table, one row per destination, with the codes of what failed or warned. */
export function renderFleetSummary(reports: readonly VerificationReport[]): string {
  const rows = reports.map((r, i) => {
    const n = countStatuses(r.checks);
    const codes = r.checks.filter((c) => c.status === 'fail' || c.status === 'warn').map((c) => `${c.id}:${c.code ?? '?'}`);
    return [String(i + 1), r.destination.tenant, r.destination.bucket, r.destination.region, r.ok ? 'ok' : 'FAILED', `${n.pass}/${n.fail}/${n.warn}/${n.skip}`, codes.join(' ')];
  });
  const header = ['#', 'tenant', 'bucket', 'region', 'result', 'pass/fail/warn/skip', 'failed or warned'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] as number))).join('  ').trimEnd();
  const failed = reports.filter((r) => !r.ok).length;
  return `${[line(header), ...rows.map(line)].join('\n')}\n${reports.length} destinations: ${reports.length - failed} ok, ${failed} failed\n`;
}
