import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A deterministic byte generator, so every run builds the same snapshot. */
function seededBytes(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let a = seed >>> 0;
  for (let i = 0; i < length; i += 4) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const v = (t ^ (t >>> 14)) >>> 0;
    out[i] = v & 0xff;
    if (i + 1 < length) out[i + 1] = (v >>> 8) & 0xff;
    if (i + 2 < length) out[i + 2] = (v >>> 16) & 0xff;
    if (i + 3 < length) out[i + 3] = (v >>> 24) & 0xff;
  }
  return out;
}

function csv(seed: number, rows: number): string {
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliett'];
  const lines = ['id,serial,part_number,status,note,created_at'];
  const bytes = seededBytes(seed, rows * 8);
  for (let i = 0; i < rows; i++) {
    const b = (k: number) => bytes[i * 8 + k] ?? 0;
    lines.push(
      `${i + 1},SN-${(b(0) * 256 + b(1)).toString(16).padStart(4, '0')},PN-${b(2)}${b(3)},${words[b(4) % words.length]},"${words[b(5) % 10]}, ${words[b(6) % 10]} ""quoted""",2026-01-${String((b(7) % 28) + 1).padStart(2, '0')}T10:00:00Z`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A name over 100 bytes: forces a pax header in the archive. */
export const LONG_TABLE_NAME = `work_order_step_${'measurement_'.repeat(8)}history`;
export const LONG_ATTACHMENT_PATH = `runs/2026/${'very-long-folder-name-'.repeat(4)}/${'attachment-'.repeat(5)}final.txt`;

export interface SnapshotFixture {
  tablesDir: string;
  attachmentsDir: string;
  /** Table name → the file it came from. */
  tableFiles: Map<string, string>;
  /** Archive path → the attachment file. */
  attachmentFiles: Map<string, string>;
  bytes: number;
}

/**
 * Write a snapshot that exercises what the archives must carry: many tables, names with
 * spaces, unicode and over 100 bytes, an empty table, an already gzipped table, nested
 * attachment folders, binary attachments and an empty attachment. `scale` multiplies the
 * row counts and binary sizes (1 gives about 2 MiB).
 */
export function writeSnapshotFixture(root: string, scale = 1): SnapshotFixture {
  const tablesDir = join(root, 'tables');
  const attachmentsDir = join(root, 'attachments');
  mkdirSync(tablesDir, { recursive: true });
  mkdirSync(attachmentsDir, { recursive: true });
  const tableFiles = new Map<string, string>();
  const attachmentFiles = new Map<string, string>();
  let bytes = 0;
  const table = (name: string, ext: 'csv' | 'csv.gz', content: Buffer | string) => {
    const path = join(tablesDir, `${name}.${ext}`);
    writeFileSync(path, content);
    tableFiles.set(name, path);
    bytes += Buffer.byteLength(content);
  };
  const attachment = (path: string, content: Buffer | string) => {
    const file = join(attachmentsDir, ...path.split('/'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    attachmentFiles.set(path, file);
    bytes += Buffer.byteLength(content);
  };
  const names = ['accounts', 'parts', 'work_orders', 'inventory', 'suppliers', 'runs', 'issues', 'locations', 'users', 'audit_log'];
  names.forEach((n, i) => table(n, 'csv', csv(100 + i, Math.round((300 + i * 250) * scale))));
  table('table with spaces', 'csv', csv(7, Math.round(400 * scale)));
  table('pièces_détachées_ünïcode', 'csv', csv(8, Math.round(300 * scale)));
  table(LONG_TABLE_NAME, 'csv', csv(9, Math.round(200 * scale)));
  table('empty_table', 'csv', '');
  table('archived_events', 'csv.gz', gzipSync(csv(10, Math.round(800 * scale)), { level: 9 }));

  attachment('README.txt', 'Attachments of the snapshot.\n');
  attachment('docs/specs/2026/spec sheet v2.pdf', seededBytes(11, Math.round(300_000 * scale)));
  attachment('images/ø-photo.png', Buffer.from(Array.from({ length: 256 * 64 }, (_, i) => i % 256)));
  attachment('a/b/c/d/e/deep.bin', seededBytes(12, Math.round(120_000 * scale)));
  attachment('empty/zero-bytes.dat', Buffer.alloc(0));
  attachment('日本語/図面.txt', 'drawing notes\n');
  attachment(LONG_ATTACHMENT_PATH, 'long path\n');
  attachment('blobs/large.bin', seededBytes(13, Math.round(900_000 * scale)));
  return { tablesDir, attachmentsDir, tableFiles, attachmentFiles, bytes };
}
