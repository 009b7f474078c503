import { describe, expect, it } from 'vitest';
import { IonDestError } from '../../errors/index.js';
import { assertSafeAttachmentPath, assertSafeTableName } from '../../delivery/archive/entry-names.js';
import { packArchive } from '../../delivery/archive/pack-archive.js';
import { DEFAULT_MAX_ARCHIVE_SIZE, planArchives } from '../../delivery/archive/plan-archives.js';
import { tarArchiveSize, tarEntrySize, TAR_END_SIZE } from '../../delivery/archive/tar-entry.js';
import { archiveKey, manifestKey } from '../../delivery/orchestration/object-keys.js';
import { Readable } from 'node:stream';

const MTIME = new Date('2026-01-01T00:00:00Z');

async function packedLength(entries: { name: string; size: number }[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const packable = entries.map((e) => ({ ...e, open: async () => Readable.from([Buffer.alloc(e.size, 0x61)]) }));
  for await (const c of packArchive(packable, MTIME)) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('tar geometry: planned sizes equal what tar-stream packs', () => {
  const names: [string, string][] = [
    ['short ASCII', 'a.csv.gz'],
    ['exactly 100 bytes', 'n'.repeat(100)],
    ['101 bytes (pax)', 'n'.repeat(101)],
    ['nested path over 100 bytes (pax, not ustar prefix)', `${'dir/'.repeat(30)}file.bin`],
    ['non-ASCII (pax)', 'pièces détachées/図面.pdf'],
    ['pax record length crossing a digit boundary', 'x'.repeat(85)+'é'.repeat(4)],
    ['very long name', 'y'.repeat(1000)],
  ];
  for (const [label, name] of names) {
    for (const size of [0, 1, 511, 512, 513]) {
      it(`${label}, ${size} bytes`, async () => {
        const bytes = await packedLength([{ name, size }]);
        expect(bytes.length).toBe(tarArchiveSize([{ name, size }]));
        expect(bytes.length).toBe(TAR_END_SIZE + tarEntrySize(name, size));
      });
    }
  }
  it('digit-boundary pax records for every name length from 80 to 1100 bytes', async () => {
    for (let n = 80; n <= 1100; n += 1) {
      const name = 'z'.repeat(n);
      const bytes = await packedLength([{ name, size: 3 }]);
      if (bytes.length !== tarArchiveSize([{ name, size: 3 }])) throw new Error(`mismatch at ${n}`);
    }
  });
  it('packs the same bytes twice (deterministic headers)', async () => {
    const entries = [{ name: 'b.txt', size: 10 }, { name: 'ü/long-'.padEnd(150, 'q'), size: 700 }];
    expect((await packedLength(entries)).equals(await packedLength(entries))).toBe(true);
  });
});

describe('packing releases each entry once its bytes are all in the archive', () => {
  it('releases an entry after its last byte was packed and before the next entry is opened; not one whose source failed', async () => {
    const log: string[] = [];
    const entry = (name: string, bytes: Buffer, fails = false) => ({
      name,
      size: bytes.length,
      open: async () => {
        log.push(`open ${name}`);
        return Readable.from(
          (async function* () {
            yield bytes;
            log.push(`read ${name}`);
            if (fails) throw new Error(`${name} could not be read`);
          })(),
        );
      },
      release: async () => {
        log.push(`release ${name}`);
      },
    });
    for await (const chunk of packArchive([entry('a', Buffer.alloc(700, 1)), entry('b', Buffer.alloc(3, 2))], MTIME)) void chunk;
    expect(log).toEqual(['open a', 'read a', 'release a', 'open b', 'read b', 'release b']);

    log.length = 0;
    const packing = (async () => {
      for await (const chunk of packArchive([entry('c', Buffer.alloc(10, 3), true), entry('d', Buffer.alloc(10, 4))], MTIME)) void chunk;
    })();
    await expect(packing).rejects.toThrow('c could not be read');
    expect(log).toEqual(['open c', 'read c']);
  });
});

describe('split rule', () => {
  const opts = { tenant: 'acme', jobId: 'j1' };
  const entry = (name: string, size: number) => ({ name, size });
  const per = (size: number) => tarEntrySize('x', size);

  it('keeps one archive with the plain key when everything fits', () => {
    const { archives, oversized } = planArchives('tables', [entry('b', 10), entry('a', 20)], { ...opts, maxArchiveSize: DEFAULT_MAX_ARCHIVE_SIZE });
    expect(archives).toHaveLength(1);
    expect(archives[0]?.key).toBe('acme/j1/snapshot_tables_j1.tar');
    expect(archives[0]?.part).toBeUndefined();
    expect(archives[0]?.entries.map((e) => e.name)).toEqual(['a', 'b']);
    expect(oversized).toEqual([]);
  });

  it('gives an empty source one empty archive', () => {
    const { archives } = planArchives('attachments', [], { ...opts, maxArchiveSize: 10_000 });
    expect(archives.map((a) => [a.key, a.size])).toEqual([['acme/j1/snapshot_attachments_j1.tar', TAR_END_SIZE]]);
  });

  it('fills parts in name order, never splits an entry, numbers parts from 1', () => {
    const limit = TAR_END_SIZE + 2 * per(1000);
    const entries = ['e', 'd', 'c', 'b', 'a'].map((n) => entry(n, 1000));
    const { archives } = planArchives('attachments', entries, { ...opts, maxArchiveSize: limit });
    expect(archives.map((a) => a.entries.map((e) => e.name))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(archives.map((a) => a.key)).toEqual([1, 2, 3].map((n) => `acme/j1/snapshot_attachments_part${n}_j1.tar`));
    for (const a of archives) expect(a.size).toBeLessThanOrEqual(limit);
    expect(archives.every((a) => a.partCount === 3)).toBe(true);
  });

  it('gives an entry larger than the limit a part of its own and reports it', () => {
    const limit = TAR_END_SIZE + 2 * per(1000);
    const { archives, oversized } = planArchives('tables', [entry('a', 10), entry('b', 50_000), entry('c', 10)], { ...opts, maxArchiveSize: limit });
    expect(archives.map((a) => a.entries.map((e) => e.name))).toEqual([['a'], ['b'], ['c']]);
    expect(oversized.map((e) => e.name)).toEqual(['b']);
  });

  it('sorts by UTF-8 bytes, not locale', () => {
    const { archives } = planArchives('attachments', [entry('é', 1), entry('z', 1), entry('Z', 1), entry('a/b', 1)], { ...opts, maxArchiveSize: 1 << 20 });
    expect(archives[0]?.entries.map((e) => e.name)).toEqual(['Z', 'a/b', 'z', 'é']);
  });

  it('builds the manifest and archive keys of the contract', () => {
    expect(archiveKey('t', 'j', 'tables')).toBe('t/j/snapshot_tables_j.tar');
    expect(archiveKey('t', 'j', 'attachments', 2)).toBe('t/j/snapshot_attachments_part2_j.tar');
    expect(manifestKey('t', 'j')).toBe('t/j/manifest_j.json');
  });
});

describe('entry names', () => {
  const bad: [string, (v: string) => void, string, string][] = [
    ['table with a slash', (v) => assertSafeTableName(v, 'test'), 'a/b', 'no "/"'],
    ['table ..', (v) => assertSafeTableName(v, 'test'), '..', 'not empty, "." or ".."'],
    ['table with a newline', (v) => assertSafeTableName(v, 'test'), 'a\nb', 'control characters'],
    ['absolute attachment', (v) => assertSafeAttachmentPath(v, 'test'), '/etc/passwd', 'relative'],
    ['attachment with ..', (v) => assertSafeAttachmentPath(v, 'test'), 'a/../../b', '".." segment'],
    ['attachment with an empty segment', (v) => assertSafeAttachmentPath(v, 'test'), 'a//b', 'empty'],
    ['attachment with a backslash', (v) => assertSafeAttachmentPath(v, 'test'), 'a\\b', '"\\"'],
    ['attachment with DEL', (v) => assertSafeAttachmentPath(v, 'test'), 'a\u007fb', 'control characters'],
  ];
  for (const [label, check, value, rule] of bad) {
    it(`rejects ${label}`, () => {
      expect(() => check(value)).toThrow(IonDestError);
      expect(() => check(value)).toThrow(rule);
    });
  }
  it('accepts spaces, unicode and deep paths', () => {
    expect(() => assertSafeAttachmentPath('a b/ünï/図面 v2.pdf', 'test')).not.toThrow();
    expect(() => assertSafeTableName('table with spaces', 'test')).not.toThrow();
  });
});
