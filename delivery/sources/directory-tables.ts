import { open as openFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { InputProblem } from '../../errors/index.js';
import { describeNameTwins, findNameTwins, tableNameRule } from '../archive/entry-names.js';
import { asInputProblems, readEntries, sourceProblemError, type SourceProblem } from './directory-entries.js';
import { fileIdentity, openListedFile, type FileIdentity } from './file-guard.js';
import type { TableRef, TableSnapshot, TableSource } from './types.js';

/** A file of plain CSV is one table; so is one already gzipped. */
const TABLE_FILE = /^(.+)\.(csv|csv\.gz)$/;

/** The first bytes of every gzip stream (ID1, ID2). @see https://www.rfc-editor.org/rfc/rfc1952#section-2.3.1 */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/**
 * Tables from a directory: every `<table>.csv` or `<table>.csv.gz` file directly in it is
 * one table. Hidden files (`.…`) are ignored; any other file is an error rather than
 * something silently left out of the snapshot. `field` names the directory in problems
 * (the CLI passes `--tables`). Each file is read as it was listed: one deleted, replaced,
 * truncated, appended to or rewritten before its last byte is read fails the delivery with
 * SOURCE_FILE_CHANGED (see openListedFile).
 */
export function directoryTableSource(directory: string, field = 'tables directory'): TableSource {
  const root = resolve(directory);
  let checked: Promise<InputProblem[]> | undefined;
  return {
    description: `directory ${directory}`,
    // Once per source: the CLI and deliverSnapshot both ask.
    check(): Promise<InputProblem[]> {
      checked ??= checkTableFiles(root, directory, field);
      return checked;
    },
    async open(): Promise<TableSnapshot> {
      const tables = await listTableFiles(root, directory);
      const files = new Map(tables.map((t) => [t.ref, t] as const));
      return {
        tables: tables.map((t) => t.ref),
        async openTable(table: TableRef): Promise<Readable> {
          const file = files.get(table);
          if (file === undefined) throw new Error(`table ${table.name} is not part of this snapshot`);
          return openListedFile(file.path, file.identity, `table ${JSON.stringify(table.name)} (${file.path})`);
        },
        async close() {},
      };
    },
  };
}

interface TableFile {
  ref: TableRef;
  path: string;
  fileName: string;
  identity: FileIdentity;
}

/** The tables of the directory; the first problem fails the delivery. */
async function listTableFiles(root: string, shown: string): Promise<TableFile[]> {
  const { found, problems } = await scanTableFiles(root, shown);
  if (problems[0]) throw sourceProblemError('table file', problems[0]);
  return found;
}

/** Every table file of the directory and every problem with it, each naming the file. */
async function scanTableFiles(root: string, shown: string): Promise<{ found: TableFile[]; problems: SourceProblem[] }> {
  const { entries, problems } = await readEntries(root, shown);
  const found: TableFile[] = [];
  const seen = new Map<string, string>();
  for (const { name: fileName, dirent: d } of entries) {
    if (fileName.startsWith('.')) continue;
    const path = join(root, fileName);
    const shownPath = join(shown, fileName);
    const m = TABLE_FILE.exec(fileName);
    if (!d.isFile() || !m) {
      problems.push({ path: shownPath, rule: 'the tables directory holds only regular files named <table>.csv or <table>.csv.gz' });
      continue;
    }
    const name = m[1] as string;
    const unsafe = tableNameRule(name);
    if (unsafe) {
      problems.push({ path: shownPath, rule: unsafe });
      continue;
    }
    const twins = findNameTwins([...seen.keys(), name]);
    if (twins) {
      const other = seen.get(twins[0]) as string;
      problems.push({
        path: shownPath,
        rule: twins[0] === name ? `table ${JSON.stringify(name)} appears twice (${other} and ${fileName}); keep one of them` : `${describeNameTwins(twins)} (${other} and ${fileName})`,
      });
      continue;
    }
    seen.set(name, fileName);
    const identity = await fileIdentity(path);
    found.push({ ref: { name, format: m[2] === 'csv' ? 'csv' : 'csv.gz', size: identity.size }, path, fileName, identity });
  }
  return { found, problems };
}

async function checkTableFiles(root: string, shown: string, field: string): Promise<InputProblem[]> {
  const { found, problems } = await scanTableFiles(root, shown);
  for (const t of found) {
    if (t.ref.format === 'csv.gz') {
      const problem = await gzipProblem(t.path, join(shown, t.fileName));
      if (problem) problems.push(problem);
    }
  }
  return asInputProblems(field, problems);
}

/** A `.csv.gz` that does not start as gzip does, or cannot be read: named before any AWS call. */
async function gzipProblem(path: string, shownPath: string): Promise<SourceProblem | undefined> {
  let head: Buffer;
  try {
    const file = await openFile(path, 'r');
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(2), 0, 2, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (error) {
    return { path: shownPath, rule: `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  return head.equals(GZIP_MAGIC)
    ? undefined
    : { path: shownPath, rule: 'a .csv.gz table is gzip, which starts with the bytes 1f 8b; this file does not (name plain CSV <table>.csv, and it is gzipped for you)' };
}
