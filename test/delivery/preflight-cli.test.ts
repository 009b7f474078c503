import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { destinationFlags, SHAPED_CREDENTIALS_ENV, usePreflightWorld } from '../helpers/preflight-world.js';

/**
 * `deliver` and `cleanup` reject bad input with exit 2 before any AWS call. Every AWS
 * request goes to an endpoint that only counts what it receives (and answers 500): a
 * check made after the first call would show as a request here, and as exit 1.
 */
describe('deliver and cleanup: every input checked before any AWS call', () => {
  const world = usePreflightWorld('ion-dest-preflight-cli-');
  const { work, tables, attachments } = world;
  const env = SHAPED_CREDENTIALS_ENV;
  const destination = destinationFlags;
  const deliver = (args: string[], overrides: Record<string, string> = {}) =>
    runCli(['deliver', ...destination({ '--job-id': 'job-1', ...overrides }), '--endpoint-url', world.endpoint, '--max-attempts', '1', ...args], { env });

  /** A directory under the work folder holding these files (a Buffer name is raw bytes). */
  let n = 0;
  const folder = (files: [string | Buffer, string | Buffer][]): string => {
    const d = join(work, `f${(n += 1)}`);
    mkdirSync(d);
    for (const [name, content] of files) {
      writeFileSync(typeof name === 'string' ? join(d, name) : Buffer.concat([Buffer.from(`${d}/`), name]), content);
    }
    return d;
  };

  it.each<[string, () => string[], Record<string, string>, string[]]>([
    [
      'missing --tables and --attachments directories',
      () => ['--tables', join(work, 'no-tables'), '--attachments', join(work, 'no-attachments')],
      {},
      [`Invalid --tables "${join(work, 'no-tables')}": the directory does not exist.`, `Invalid --attachments "${join(work, 'no-attachments')}": the directory does not exist.`],
    ],
    [
      '--tables naming a file',
      () => ['--tables', join(tables, 'orders.csv'), '--attachments', attachments],
      {},
      [`Invalid --tables "${join(tables, 'orders.csv')}": this is not a directory.`],
    ],
    [
      'a .csv.gz that is not gzip',
      () => ['--tables', folder([['orders.csv.gz', 'id\n1\n'], ['items.csv.gz', gzipSync('id\n')]]), '--attachments', attachments],
      {},
      ['orders.csv.gz": a .csv.gz table is gzip, which starts with the bytes 1f 8b; this file does not'],
    ],
    [
      'attachment names: not UTF-8, equal under NFC, with a right-to-left override',
      () => [
        '--tables',
        tables,
        '--attachments',
        folder([
          [Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x70, 0x64, 0x66]), 'x'],
          ['caf\u00e9.pdf', 'a'],
          ['cafe\u0301.pdf', 'b'],
          ['report\u202Efdp.exe', 'x'],
        ]),
      ],
      {},
      [
        "a file name is valid UTF-8, and this one's bytes are caf\\xe9.pdf",
        'are the same name under Unicode normalization (NFC)',
        'caf\\u00e9.pdf',
        'cafe\\u0301.pdf',
        'report\u202Efdp.exe": an attachment path has no bidirectional-control characters',
      ],
    ],
    [
      'a role path with * and an empty segment, a tenant ending in a dot',
      () => ['--tables', tables, '--attachments', attachments],
      { '--role-arn': 'arn:aws:iam::444455556666:role/*/ion-delivery', '--tenant': 'acme.' },
      ['Invalid --role-arn "arn:aws:iam::444455556666:role/*/ion-delivery"', 'Invalid --tenant "acme."', 'does not end with "."'],
    ],
    [
      'a role path with an empty segment, a job ID ending in a dot, a bad bucket named as --bucket',
      () => ['--tables', tables, '--attachments', attachments],
      { '--role-arn': 'arn:aws:iam::444455556666:role//ion-delivery', '--bucket': 'Acme_Snapshots', '--job-id': 'j.' },
      ['Invalid --role-arn "arn:aws:iam::444455556666:role//ion-delivery"', 'Invalid --job-id "j."', 'Invalid --bucket "Acme_Snapshots"'],
    ],
    [
      'sizes out of range, echoed as typed',
      () => ['--tables', tables, '--attachments', attachments, '--max-archive-size', '6TiB', '--part-size', '1MiB', '--concurrency', 'abc'],
      {},
      [
        'Invalid --max-archive-size "6TiB": an archive limit is from 4096 bytes to 5TiB',
        'Invalid --part-size "1MiB": a part size is from 5MiB',
        'Invalid --concurrency "abc": a whole number from 1 to 64',
      ],
    ],
    [
      'a 5GiB part (a RangeError mid-upload before) and a snapshot time a tar header cannot hold',
      () => ['--tables', tables, '--attachments', attachments, '--part-size', '5GiB', '--concurrency', '1', '--snapshot-time', '1900-01-01T00:00:00Z'],
      {},
      [
        'Invalid --part-size "5GiB": a part size is from 5MiB (S3\'s smallest part) to 1GiB',
        'Invalid --snapshot-time "1900-01-01T00:00:00Z": a snapshot time is an ISO 8601 date and time from 1970-01-01T00:00:00Z to 2038-01-19T03:14:07Z',
      ],
    ],
    [
      'negative sizes',
      () => ['--tables', tables, '--attachments', attachments, '--part-size', '-5MiB', '--max-archive-size', '-1'],
      {},
      ['Invalid --part-size "-5MiB": a size is greater than zero', 'Invalid --max-archive-size "-1": a size is greater than zero'],
    ],
  ])('deliver: %s → exit 2, no AWS request', async (_label, args, overrides, messages) => {
    const result = await deliver(args(), overrides);
    expect(result.stderr).toContain('error [INVALID_INPUT]');
    for (const message of messages) expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('NaN');
    expect(result.code).toBe(2);
    expect(world.requests).toEqual([]);
  });

  it('deliver --json: the problems name the flag and the value as typed', async () => {
    const result = await deliver(['--tables', tables, '--attachments', attachments, '--gzip-level', 'ten', '--json']);
    expect(result.code).toBe(2);
    const error = JSON.parse(result.stderr.trim().split('\n').at(-1) as string).error;
    expect(error.problems).toEqual([{ field: '--gzip-level', value: 'ten', rule: 'a whole number from 1 (fastest) to 9 (smallest)' }]);
    expect(world.requests).toEqual([]);
  });

  it('cleanup names --bucket and --tenant as deliver does, before any AWS call', async () => {
    const result = await runCli(['cleanup', ...destination({ '--bucket': 'Acme_Snapshots', '--tenant': 'acme.' }), '--endpoint-url', world.endpoint], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid --bucket "Acme_Snapshots"');
    expect(result.stderr).toContain('Invalid --tenant "acme."');
    expect(world.requests).toEqual([]);
  });

  it('verify echoes --session-duration as typed', async () => {
    const result = await runCli(['verify', ...destination(), '--session-duration', 'abc', '--endpoint-url', world.endpoint], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid --session-duration "abc": a session duration is a whole number of seconds from 900 to 43200');
    expect(world.requests).toEqual([]);
  });

  it('a password in --database-url is warned about, never shown', async () => {
    const result = await runCli(
      ['deliver', ...destination({ '--job-id': 'job-1' }), '--endpoint-url', world.endpoint, '--max-attempts', '1',
        '--schema', 'tenant_acme', '--database-url', 'postgres://exporter:pw-Secret-42@127.0.0.1:9/ion', '--attachments', attachments],
      { env },
    );
    expect(result.stderr).toContain('warning: --database-url carries a password');
    expect(result.stderr).toContain('PGPASSWORD');
    expect(result.stderr + result.stdout).not.toContain('pw-Secret-42');
    const quiet = await runCli(
      ['deliver', ...destination({ '--job-id': 'job-1' }), '--endpoint-url', world.endpoint, '--max-attempts', '1',
        '--schema', 'tenant_acme', '--attachments', attachments],
      { env: { ...env, DATABASE_URL: 'postgres://exporter:pw-Secret-42@127.0.0.1:9/ion' } },
    );
    expect(quiet.stderr).not.toContain('warning: --database-url');
    expect(quiet.stderr + quiet.stdout).not.toContain('pw-Secret-42');
  });
});
