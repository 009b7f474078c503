/**
 * Compares output shown in the docs (README.md, docs/*.md) with a real run's, on the parts that do not
 * change between runs: every check row's status and id, every `code:` line, and
 * every other line once durations, request IDs, UUIDs and timestamps are masked.
 * `cause:`/`fix:` lines come from the troubleshooting table (tested on its own) and
 * are skipped, as are blank lines.
 */

const CHECK_ROW = /^(PASS|FAIL|WARN|SKIP)\s+([a-z0-9-]+)(\s|$)/;
const SKIPPED_LINE = /^(cause|fix|request ID):/;

/** Mask what varies between runs, and collapse whitespace (column widths vary with values). */
export function normalizeLine(line: string): string {
  return line
    .replace(/\(\d+(\.\d+)? (ms|s)\)/g, '(<time>)')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{8}T\d{6}Z-[0-9a-f]{8}/g, '<timestamp>')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Lines of `shown` that the real output does not bear out, each with the reason. */
export function outputDifferences(shown: readonly string[], actual: string): string[] {
  const actualLines = actual.split('\n').map(normalizeLine);
  const actualSet = new Set(actualLines);
  const rows = new Map<string, string>();
  for (const line of actualLines) {
    const m = CHECK_ROW.exec(line);
    if (m) rows.set(m[2]!, m[1]!);
  }
  const problems: string[] = [];
  for (const raw of shown) {
    const line = normalizeLine(raw);
    if (line === '' || line === '…' || SKIPPED_LINE.test(line)) continue;
    const row = CHECK_ROW.exec(line);
    if (row) {
      const status = rows.get(row[2]!);
      if (status !== row[1]) problems.push(`check ${row[2]}: the docs show ${row[1]}, the run gave ${status ?? 'no such check'}`);
    } else if (!actualSet.has(line)) {
      problems.push(`shown line not in the output: ${raw.trim()}`);
    }
  }
  return problems;
}
