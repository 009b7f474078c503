import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { IonDestError } from '../../errors/index.js';
import { assertSafeTableName } from '../entry-names.js';
import { fileIdentity, openListedFile, type FileIdentity } from './file-guard.js';
import type { TableRef, TableSnapshot, TableSource } from './types.js';

/** A file of plain CSV is one table; so is one already gzipped. */
const TABLE_FILE = /^(.+)\.(csv|csv\.gz)$/;

/**
 * Tables from a directory: every `<table>.csv` or `<table>.csv.gz` file directly in it is
 * one table. Hidden files (`.…`) are ignored; any other file is an error rather than
 * something silently left out of the snapshot. Each file is read as it was listed: one
 * deleted, replaced, truncated, appended to or rewritten before its last byte is read
 * fails the delivery with SOURCE_FILE_CHANGED (see openListedFile).
 */
export function directoryTableSource(directory: string): TableSource {
  const root = resolve(directory);
  return {
    description: `directory ${directory}`,
    async open(): Promise<TableSnapshot> {
      const tables = await listTableFiles(root);
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

async function listTableFiles(root: string): Promise<{ ref: TableRef; path: string; identity: FileIdentity }[]> {
  const dirents = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw sourceError(`Cannot read the tables directory ${root}: ${error.code ?? error.message}.`, error);
  });
  const found: { ref: TableRef; path: string; identity: FileIdentity }[] = [];
  const seen = new Map<string, string>();
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue;
    const path = join(root, d.name);
    const m = TABLE_FILE.exec(d.name);
    if (!d.isFile() || !m) {
      throw sourceError(
        `${path} is not a table: the tables directory holds only regular files named <table>.csv or <table>.csv.gz.`,
      );
    }
    const name = m[1] as string;
    assertSafeTableName(name, path);
    const other = seen.get(name);
    if (other !== undefined) {
      throw sourceError(`Table ${JSON.stringify(name)} appears twice (${other} and ${d.name}); keep one of them.`);
    }
    seen.set(name, d.name);
    const identity = await fileIdentity(path);
    found.push({ ref: { name, format: m[2] === 'csv' ? 'csv' : 'csv.gz', size: identity.size }, path, identity });
  }
  return found;
}

function sourceError(message: string, cause?: unknown): IonDestError {
  return new IonDestError('SNAPSHOT_SOURCE_INVALID', message, { source: 'user', cause });
}
