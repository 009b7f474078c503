/**
 * The benchmarks' synthetic snapshot: about `size` bytes, 70% CSV tables and 30% attachments,
 * the same bytes for the same size on every run (seeded generators).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const MiB = 2 ** 20;
/** Share of the snapshot that is CSV tables; the rest is attachments. */
const TABLE_SHARE = 0.7;
/** A table is at most this large, so a big snapshot has many tables to compress in parallel. */
const MAX_TABLE_BYTES = 64 * MiB;
/** Attachment files up to this size. */
const MAX_ATTACHMENT_BYTES = 8 * MiB;

export interface SyntheticSnapshot {
  /** One `table_NNN.csv` per table. */
  tablesDir: string;
  /** Attachments in ten folders. */
  attachmentsDir: string;
  tables: number;
  attachments: number;
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 8 MiB of varied CSV rows (ids, serials, words, timestamps, free text), reused as a block. */
function csvBlock(): Buffer {
  const r = prng(42);
  const words = ['torque', 'bracket', 'inspection', 'passed', 'failed', 'rework', 'anodize', 'weld', 'fixture', 'lot', 'serial', 'calibration'];
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < 8 * MiB; i++) {
    const w = () => words[Math.floor(r() * words.length)];
    const line = `${i + 1},${Math.floor(r() * 1e9).toString(36)}-${Math.floor(r() * 1e6)},PN-${Math.floor(r() * 99999)},${w()},"${w()} ${w()} ${w()}",${(r() * 1000).toFixed(3)},2026-0${1 + Math.floor(r() * 9)}-${10 + Math.floor(r() * 18)}T${10 + Math.floor(r() * 13)}:${10 + Math.floor(r() * 49)}:00Z\n`;
    lines.push(line);
    bytes += line.length;
  }
  return Buffer.from(lines.join(''));
}

function writeRepeated(path: string, block: Buffer, size: number): void {
  const fd = openSync(path, 'w');
  let left = size;
  while (left > 0) {
    const n = Math.min(left, block.length);
    writeSync(fd, block, 0, n);
    left -= n;
  }
  closeSync(fd);
}

/**
 * Write a snapshot of `size` bytes under `root`: CSV tables of at most 64 MiB in `tables/`
 * (ids, serials, part numbers, words, decimals, timestamps) and attachments of up to 8 MiB of
 * random bytes in ten folders under `attachments/`.
 */
export function generateSnapshot(root: string, size: number): SyntheticSnapshot {
  const tablesDir = join(root, 'tables');
  const attachmentsDir = join(root, 'attachments');
  mkdirSync(tablesDir, { recursive: true });
  const csv = csvBlock();
  const header = Buffer.from('id,serial,part_number,status,note,value,created_at\n');
  const tableBytes = Math.floor(size * TABLE_SHARE);
  const tables = Math.max(4, Math.ceil(tableBytes / MAX_TABLE_BYTES));
  for (let i = 0; i < tables; i++) {
    writeRepeated(join(tablesDir, `table_${String(i).padStart(3, '0')}.csv`), Buffer.concat([header, csv]), Math.floor(tableBytes / tables));
  }
  const random = prng(7);
  const noise = Buffer.alloc(MAX_ATTACHMENT_BYTES);
  for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE(Math.floor(random() * 2 ** 32), i);
  let left = size - tableBytes;
  let attachments = 0;
  while (left > 0) {
    const n = Math.min(left, Math.max(4096, Math.floor(random() * MAX_ATTACHMENT_BYTES)));
    const dir = join(attachmentsDir, `folder-${attachments % 10}`);
    mkdirSync(dir, { recursive: true });
    // Offset the noise per file so no two attachments are identical.
    writeRepeated(join(dir, `attachment-${attachments}.bin`), Buffer.concat([noise.subarray(attachments % 4096), noise.subarray(0, attachments % 4096)]), n);
    left -= n;
    attachments += 1;
  }
  return { tablesDir, attachmentsDir, tables, attachments };
}
