import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { joinDashValues } from '../../cli/main.js';
import { withFlagNames } from '../../cli/options.js';
import { commandLineSecretWarning, databaseUrlHasPassword } from '../../cli/snapshot-sources.js';
import {
  CONCURRENCY_RANGE,
  MAX_ARCHIVE_SIZE_RANGE,
  PART_SIZE_RANGE,
  partMemoryProblem,
  snapshotTimeProblem,
} from '../../delivery/orchestration/delivery-limits.js';
import { assertSafeAttachmentPath, assertSafeTableName, assertUniqueNames } from '../../delivery/archive/entry-names.js';
import { directoryAttachmentSource, directoryTableSource, validateDeliveryOptions } from '../../delivery/index.js';
import { parseSize, parseWholeNumber } from '../../delivery/orchestration/parse-size.js';
import { archiveNameOfTable } from '../../delivery/sources/postgres-catalog.js';
import { choosePartSize } from '../../delivery/upload/upload-archive.js';
import { IonDestError } from '../../errors/index.js';
import { problemsOf } from '../helpers/input-problems.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const TiB = 2 ** 40;


describe('sizes and counts: ranges that work, values echoed as typed', () => {
  it.each([
    ['--max-archive-size', '5TiB', MAX_ARCHIVE_SIZE_RANGE, 5 * TiB],
    ['--max-archive-size', '4096', MAX_ARCHIVE_SIZE_RANGE, 4096],
    ['--part-size', '5MiB', PART_SIZE_RANGE, 5 * MiB],
    ['--part-size', '1GiB', PART_SIZE_RANGE, GiB],
  ] as const)('%s %s is accepted', (field, text, range, bytes) => {
    expect(parseSize(text, field, range)).toBe(bytes);
  });

  it.each([
    ['--max-archive-size', '6TiB', MAX_ARCHIVE_SIZE_RANGE, "5TiB, S3's largest object"],
    ['--max-archive-size', '5497558138881', MAX_ARCHIVE_SIZE_RANGE, '5TiB'],
    ['--part-size', '5GiB', PART_SIZE_RANGE, 'to 1GiB (parts are held in memory'],
    ['--part-size', '1MiB', PART_SIZE_RANGE, 'from 5MiB'],
    ['--part-size', '-5MiB', PART_SIZE_RANGE, 'a size is greater than zero'],
    ['--max-archive-size', '- 1GiB', MAX_ARCHIVE_SIZE_RANGE, 'a size is greater than zero'],
  ] as const)('%s %s is rejected, the value as typed and the range', (field, text, range, rule) => {
    const problems = problemsOf(() => parseSize(text, field, range));
    expect(problems).toEqual([{ field, value: text, rule: expect.stringContaining(rule) }]);
  });

  it.each(['abc', '4.5', '0', '65', '-1', '', '1e3'])('--concurrency %j is rejected as typed, never NaN', (text) => {
    const problems = problemsOf(() => parseWholeNumber(text, '--concurrency', CONCURRENCY_RANGE));
    expect(problems).toEqual([{ field: '--concurrency', value: text, rule: 'a whole number from 1 to 64' }]);
  });

  it('a whole number in range is accepted', () => expect(parseWholeNumber(' 64 ', '--concurrency', CONCURRENCY_RANGE)).toBe(64));

  it('the library rejects a 5 GiB part, which no Node.js buffer holds, and an archive above 5 TiB', () => {
    const base = {
      roleArn: 'arn:aws:iam::444455556666:role/IonSnapshotDelivery',
      externalId: 'ion-acme-7f3a9c',
      bucket: 'acme-ion-snapshots',
      region: 'us-east-1',
      tenant: 'acme',
      jobId: 'job-1',
    };
    const problems = problemsOf(() => validateDeliveryOptions({ ...base, partSize: 5 * GiB, maxArchiveSize: 5 * TiB + 1 }));
    expect(problems).toContainEqual({ field: 'maxArchiveSize', value: String(5 * TiB + 1), rule: expect.stringContaining('5TiB') });
    expect(problems).toContainEqual({ field: 'partSize', value: String(5 * GiB), rule: expect.stringContaining('to 1GiB') });
    expect(() => validateDeliveryOptions({ ...base, partSize: GiB, concurrency: 1, maxArchiveSize: 5 * TiB })).not.toThrow();
  });

  it('the part size grown for S3 largest object stays within what a buffer holds', () => {
    expect(choosePartSize(5 * TiB)).toBe(525 * MiB);
    expect(choosePartSize(10, 4 * GiB)).toBe(GiB);
  });

  it.each([
    [GiB, 64, 16 * GiB, '2 uploads × (concurrency 64 + 1) × 1.00 GiB = 130.0 GiB'],
    [512 * MiB, 15, 15 * GiB, '2 uploads × (concurrency 15 + 1) × 512.0 MiB = 16.0 GiB'],
  ])('parts of %d bytes, %d at once, on a %d-byte machine are rejected: they would not fit in memory', (part, concurrency, memory, rule) => {
    expect(partMemoryProblem(part, concurrency, '--part-size', '1GiB', memory)?.rule).toContain(rule);
  });

  it('parts that fit in memory pass', () => {
    expect(partMemoryProblem(512 * MiB, 14, '--part-size', '512MiB', 16 * GiB)).toBeUndefined();
  });
});

describe('snapshot time: what a tar header holds', () => {
  it.each(['1970-01-01T00:00:00Z', '2026-03-01T02:00:00Z', '2038-01-19T03:14:07Z', '2038-01-19T03:14:07.900Z'])('accepts %s', (text) => {
    expect(snapshotTimeProblem(new Date(text), '--snapshot-time', text)).toBeUndefined();
  });
  it.each(['1900-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '2038-01-19T03:14:08Z', '2100-01-01T00:00:00Z', 'not a date'])('rejects %s with the range', (text) => {
    expect(snapshotTimeProblem(new Date(text), '--snapshot-time', text)).toEqual({
      field: '--snapshot-time',
      value: text,
      rule: expect.stringContaining('from 1970-01-01T00:00:00Z to 2038-01-19T03:14:07Z'),
    });
  });
});

describe('a negative size after a flag reaches the flag', () => {
  it.each([
    [['deliver', '--part-size', '-5MiB'], ['deliver', '--part-size=-5MiB']],
    [['--max-archive-size', '-1', '--json'], ['--max-archive-size=-1', '--json']],
    [['--part-size=-5MiB'], ['--part-size=-5MiB']],
    [['--tenant', 'acme', '-h'], ['--tenant', 'acme', '-h']],
    [['--tenant', '-x'], ['--tenant', '-x']],
  ])('%j → %j', (argv, joined) => expect(joinDashValues(argv)).toEqual(joined));
});

describe('entry names that display as other names', () => {
  it.each([
    ['table, right-to-left override', () => assertSafeTableName('invoice\u202Efdp.exe', 'test')],
    ['table, left-to-right mark', () => assertSafeTableName('orders\u200E', 'test')],
    ['table, line separator', () => assertSafeTableName('a\u2028b', 'test')],
    ['attachment, first-strong isolate', () => assertSafeAttachmentPath('docs/\u2068x.pdf', 'test')],
    ['attachment, pop directional formatting', () => assertSafeAttachmentPath('a\u202Cb.pdf', 'test')],
    ['attachment, paragraph separator', () => assertSafeAttachmentPath('a\u2029b.pdf', 'test')],
    ['attachment, Arabic letter mark', () => assertSafeAttachmentPath('a\u061Cb.pdf', 'test')],
  ])('rejects a %s', (_label, check) => {
    expect(check).toThrow(IonDestError);
    expect(check).toThrow(/bidirectional-control characters .* line or paragraph separators/);
  });

  it('two names equal under NFC collide, both shown', () => {
    const composed = 'docs/caf\u00e9.pdf';
    const decomposed = 'docs/cafe\u0301.pdf';
    expect(() => assertUniqueNames('attachment', [composed, 'x', decomposed])).toThrow(
      'Two attachment entries collide: "docs/caf\\u00e9.pdf" and "docs/cafe\\u0301.pdf" are the same name under Unicode normalization (NFC)',
    );
    expect(() => assertUniqueNames('attachment', ['same', 'same'])).toThrow('two entries have the same name "same"');
    expect(() => assertUniqueNames('attachment', [composed, 'docs/cafe.pdf'])).not.toThrow();
  });

  it('a PostgreSQL table name with such characters is percent-encoded, reversibly', () => {
    const name = archiveNameOfTable('a\u202Eb\u2028c');
    expect(name).toBe('a%E2%80%AEb%E2%80%A8c');
    expect(() => assertSafeTableName(name, 'test')).not.toThrow();
    expect(decodeURIComponent(name)).toBe('a\u202Eb\u2028c');
  });
});

describe('directory sources: the pre-flight names the flag and the file', () => {
  const work = mkdtempSync(join(tmpdir(), 'ion-dest-preflight-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  let n = 0;
  /** A fresh directory holding `files` (name → content; a Buffer name is raw bytes). */
  const dir = (files: [string | Buffer, string | Buffer][] = []): string => {
    const d = join(work, `d${(n += 1)}`);
    mkdirSync(d);
    for (const [name, content] of files) {
      if (typeof name === 'string') {
        mkdirSync(join(d, name, '..'), { recursive: true });
        writeFileSync(join(d, name), content);
      } else {
        writeFileSync(Buffer.concat([Buffer.from(`${d}/`), name]), content);
      }
    }
    return d;
  };
  const gz = gzipSync('id\n1\n');
  const nonUtf8 = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('.csv')]);

  it.each<[string, () => string, string, string]>([
    ['a missing directory', () => join(work, 'missing'), '', 'the directory does not exist'],
    ['a file, not a directory', () => join(dir([['f.csv', 'x']]), 'f.csv'), '', 'this is not a directory'],
    ['a .csv.gz that is not gzip', () => dir([['ok.csv.gz', gz], ['orders.csv.gz', 'id,name\n1,a\n']]), 'orders.csv.gz', 'starts with the bytes 1f 8b'],
    ['an empty .csv.gz', () => dir([['empty.csv.gz', '']]), 'empty.csv.gz', 'starts with the bytes 1f 8b'],
    ['a name that is not UTF-8', () => dir([[nonUtf8, 'id\n']]), 'caf', "a file name is valid UTF-8, and this one's bytes are caf\\xe9.csv"],
    ['a right-to-left override', () => dir([['invoice\u202Ecsv.csv', 'id\n']]), 'invoice\u202Ecsv.csv', 'bidirectional-control'],
    ['two tables equal under NFC', () => dir([['caf\u00e9.csv', 'id\n'], ['cafe\u0301.csv.gz', gz]]), 'caf', 'Unicode normalization (NFC)'],
    ['a table twice', () => dir([['t.csv', 'id\n'], ['t.csv.gz', gz]]), 't.csv', 'appears twice'],
  ])('--tables: %s', async (_label, make, file, rule) => {
    const d = make();
    const problems = await directoryTableSource(d, '--tables').check?.();
    expect(problems).toHaveLength(1);
    expect(problems?.[0]).toEqual({ field: '--tables', value: expect.stringContaining(join(d, file)), rule: expect.stringContaining(rule) });
  });

  it('--tables: a good directory has no problem', async () => {
    expect(await directoryTableSource(dir([['a.csv', 'id\n'], ['b.csv.gz', gz], ['.hidden', 'x']]), '--tables').check?.()).toEqual([]);
  });

  it.each<[string, () => string, string, string]>([
    ['a missing directory', () => join(work, 'missing-attachments'), '', 'the directory does not exist'],
    ['a name that is not UTF-8', () => dir([[Buffer.from([0x66, 0xff, 0x2e, 0x70]), 'x']]), 'f', "this one's bytes are f\\xff.p"],
    ['two names equal under NFC in different folders', () => dir([['docs/caf\u00e9.pdf', 'a'], ['docs/cafe\u0301.pdf', 'b']]), 'docs/caf', 'are the same name under Unicode normalization (NFC)'],
    ['a line separator', () => dir([['a\u2028b.pdf', 'x']]), 'a\u2028b.pdf', 'line or paragraph separators'],
    [
      'a symbolic link',
      () => {
        const d = dir([['real.pdf', 'x']]);
        symlinkSync(join(d, 'real.pdf'), join(d, 'link.pdf'));
        return d;
      },
      'link.pdf',
      'symbolic link or special file',
    ],
    [
      'a FIFO',
      () => {
        const d = dir();
        execFileSync('mkfifo', [join(d, 'pipe')]);
        return d;
      },
      'pipe',
      'symbolic link or special file',
    ],
  ])('--attachments: %s', async (_label, make, file, rule) => {
    const d = make();
    const problems = await directoryAttachmentSource(d, '--attachments').check?.();
    expect(problems).toHaveLength(1);
    expect(problems?.[0]).toEqual({ field: '--attachments', value: expect.stringContaining(join(d, file)), rule: expect.stringContaining(rule) });
  });

  it('--attachments: a name that is not UTF-8 fails the listing naming its bytes, not as a missing file', async () => {
    const d = dir([[Buffer.from([0x66, 0xff, 0x2e, 0x70]), 'x']]);
    const listing = directoryAttachmentSource(d).list();
    await expect(listing).rejects.toMatchObject({ code: 'SNAPSHOT_SOURCE_INVALID' });
    await expect(listing).rejects.toThrow("a file name is valid UTF-8, and this one's bytes are f\\xff.p");
  });
});

describe('messages name the flag, as every command does', () => {
  it('a library problem is shown with its flag', () => {
    const problems = problemsOf(() =>
      withFlagNames(() =>
        validateDeliveryOptions({
          roleArn: 'arn:aws:iam::444455556666:role//x',
          externalId: 'ion-acme-7f3a9c',
          bucket: 'Acme',
          region: 'us-east-1',
          tenant: 'acme.',
          jobId: 'j',
          partSize: 5 * GiB,
        }),
      ),
    );
    expect(new Set(problems.map((p) => p.field))).toEqual(new Set(['--role-arn', '--bucket', '--tenant', '--part-size']));
  });

  it('a rejected promise is renamed too', async () => {
    const rejected = withFlagNames(() => Promise.reject(new IonDestError('INVALID_INPUT', 'x', { source: 'user', problems: [{ field: 'bucket', value: 'B', rule: 'r' }] })));
    await expect(rejected).rejects.toThrow('Invalid --bucket "B": r.');
  });
});

describe('--database-url with a password', () => {
  it.each([
    ['postgres://u:s3cret@db:5432/ion', true],
    ['postgresql://u:s3cret@db/ion?sslmode=require', true],
    ['postgres://db/ion?user=u&password=s3cret', true],
    ['postgres://u@db:5432/ion', false],
    ['postgres://db/ion', false],
  ])('%s carries a password: %s', (url, has) => {
    expect(databaseUrlHasPassword(url)).toBe(has);
    const warning = commandLineSecretWarning({ 'database-url': url });
    if (has) {
      expect(warning).toContain('--database-url carries a password');
      expect(warning).toContain('DATABASE_URL');
      expect(warning).toContain('PGPASSWORD');
      expect(warning).toContain('.pgpass');
      expect(warning).not.toContain('s3cret');
    } else {
      expect(warning).toBeUndefined();
    }
  });
});
