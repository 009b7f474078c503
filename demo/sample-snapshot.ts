import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * A small, made-up ION snapshot for the demo: a few tables as CSV and attachments in
 * nested folders, one of them binary. The content is derived from fixed seeds, so every
 * run delivers the same bytes (only the snapshot time in the tar headers changes).
 */
export interface SampleSnapshot {
  tablesDir: string;
  attachmentsDir: string;
  tables: { name: string; rows: number; bytes: number }[];
  attachments: { path: string; bytes: number }[];
}

/** Rows per generated table: enough to be a table, few enough to read at a glance. */
const TABLE_ROWS = { work_orders: 240, parts: 120, inspections: 480 } as const;
/** The binary attachment's size: large enough that the upload shows on the progress bar. */
const BINARY_ATTACHMENT_BYTES = 768 * 1024;
/** Two minutes apart, from a fixed start: timestamps that read like a shop floor's. */
const FIRST_TIMESTAMP_MS = Date.UTC(2026, 0, 5, 7, 0, 0);
const TIMESTAMP_STEP_MS = 120_000;

/** Deterministic bytes: SHA-256 in counter mode over a seed. */
function seededBytes(seed: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0, total = 0; total < length; i += 1, total += 32) blocks.push(createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(blocks).subarray(0, length);
}

/** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(header: readonly string[], rows: (string | number)[][]): string {
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function timestamp(i: number): string {
  return new Date(FIRST_TIMESTAMP_MS + i * TIMESTAMP_STEP_MS).toISOString();
}

function tableContents(): Record<keyof typeof TABLE_ROWS, string> {
  const statuses = ['released', 'in_progress', 'complete', 'on_hold'];
  const workOrders = Array.from({ length: TABLE_ROWS.work_orders }, (_, i) => [
    `WO-${1001 + i}`,
    `Assemble thrust chamber, lot ${i % 17}`,
    statuses[i % statuses.length]!,
    `P-${200 + (i % TABLE_ROWS.parts)}`,
    timestamp(i),
  ]);
  const parts = Array.from({ length: TABLE_ROWS.parts }, (_, i) => [
    `P-${200 + i}`,
    i % 5 === 0 ? `Bracket, "type ${i}", anodized` : `Fastener M${4 + (i % 8)} x ${10 + i}`,
    (1.25 + i * 0.37).toFixed(2),
    i % 3 === 0 ? 'serialized' : 'lot-tracked',
  ]);
  const inspections = Array.from({ length: TABLE_ROWS.inspections }, (_, i) => [
    `INS-${50_000 + i}`,
    `WO-${1001 + (i % TABLE_ROWS.work_orders)}`,
    i % 11 === 0 ? 'fail' : 'pass',
    i % 11 === 0 ? 'Porosity at weld seam,\nrework required' : '',
    timestamp(i),
  ]);
  return {
    work_orders: csv(['id', 'title', 'status', 'part_number', 'created_at'], workOrders),
    parts: csv(['part_number', 'description', 'unit_cost', 'tracking'], parts),
    inspections: csv(['id', 'work_order_id', 'result', 'notes', 'inspected_at'], inspections),
  };
}

function attachmentContents(): Record<string, Buffer> {
  return {
    'work-orders/WO-1001/traveler.txt': Buffer.from('Traveler for WO-1001\nStep 10: clean and degrease\nStep 20: TIG weld the seam\nStep 30: inspect\n'),
    'work-orders/WO-1001/photos/weld-seam.bin': seededBytes('weld-seam', BINARY_ATTACHMENT_BYTES),
    'work-orders/WO-1002/notes/rework plan.md': Buffer.from('# Rework plan for WO-1002\n\n- grind out the porosity\n- re-weld and re-inspect with dye penetrant\n'),
    'parts/P-200/drawing-rev-C.csv': Buffer.from(csv(['feature', 'nominal_mm', 'tolerance_mm'], [['bore', 12.7, 0.02], ['flange', 48, 0.1], ['thread pitch', 1.25, 0.01]])),
  };
}

/**
 * Write the sample snapshot under `root`: `tables/` (one `<table>.csv` each, the form
 * `deliver --tables` takes) and `attachments/` (nested folders, by relative path).
 */
export async function writeSampleSnapshot(root: string): Promise<SampleSnapshot> {
  const tablesDir = join(root, 'tables');
  const attachmentsDir = join(root, 'attachments');
  await mkdir(tablesDir, { recursive: true });
  const tables: SampleSnapshot['tables'] = [];
  for (const [name, text] of Object.entries(tableContents())) {
    await writeFile(join(tablesDir, `${name}.csv`), text);
    tables.push({ name, rows: TABLE_ROWS[name as keyof typeof TABLE_ROWS], bytes: Buffer.byteLength(text) });
  }
  const attachments: SampleSnapshot['attachments'] = [];
  for (const [path, bytes] of Object.entries(attachmentContents())) {
    const file = join(attachmentsDir, ...path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
    attachments.push({ path, bytes: bytes.length });
  }
  return { tablesDir, attachmentsDir, tables, attachments };
}
