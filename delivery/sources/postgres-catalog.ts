import type pg from 'pg';
import { DISPLAY_SPOOFING_CHARACTER } from '../archive/entry-names.js';
import { escapeIdentifierOf } from './postgres-sql.js';

/**
 * What a tenant schema holds, read from the system catalog inside the snapshot's
 * transaction so the list of tables and their rows belong to the same moment.
 * @see https://www.postgresql.org/docs/15/catalog-pg-class.html
 */

/** A relation whose rows go into the snapshot. */
export interface SchemaTable {
  /** The table's name in the database, exactly. */
  readonly relname: string;
  /** `r` ordinary table, `p` partitioned table (its partitions' rows, once). */
  readonly relkind: 'r' | 'p';
  /** The name in the archive, without `.csv.gz` (see archiveNameOfTable). */
  readonly archiveName: string;
}

/** A relation of the schema that is deliberately not exported, and why. */
export interface SkippedRelation {
  readonly relname: string;
  readonly reason: string;
}

export interface SchemaContents {
  /** The schema's name as the catalog spells it. */
  readonly schema: string;
  readonly tables: readonly SchemaTable[];
  readonly skipped: readonly SkippedRelation[];
}

/** Why each kind of relation other than a table is left out; the README repeats these. */
export const SKIP_REASONS = {
  v: 'view: a stored query over tables; its rows are already in the tables it reads',
  m: 'materialized view: a cached, possibly stale copy of a query over tables that are exported',
  f: 'foreign table: its rows live in another server, outside this snapshot and its consistency',
  partition: 'partition: its rows are exported once, through its partitioned parent table in this schema',
} as const;

/**
 * Tables, partitioned tables, views, materialized views and foreign tables of the
 * schema, with whether a partition is covered by a root in the same schema.
 * `pg_partition_root` is NULL for a relation outside any partition tree.
 * @see https://www.postgresql.org/docs/15/functions-info.html#FUNCTIONS-INFO-PARTITION
 */
const LIST_RELATIONS_SQL = `
  SELECT c.relname,
         c.relkind,
         c.relispartition AND root.relnamespace = c.relnamespace AS covered_by_parent
    FROM pg_catalog.pg_class c
    LEFT JOIN pg_catalog.pg_class root ON root.oid = pg_catalog.pg_partition_root(c.oid)
   WHERE c.relnamespace = $1::oid
     AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   ORDER BY c.relname COLLATE "C"`;

/** The schema's oid and name, or undefined when the schema does not exist. */
export async function findSchema(client: pg.Client, schema: string): Promise<{ oid: string; name: string } | undefined> {
  const result = await client.query<{ oid: string; nspname: string }>(
    'SELECT oid::text AS oid, nspname FROM pg_catalog.pg_namespace WHERE nspname = $1',
    [schema],
  );
  const row = result.rows[0];
  return row ? { oid: row.oid, name: row.nspname } : undefined;
}

/** Read the schema's relations and decide which are exported. */
export async function listSchemaContents(client: pg.Client, schema: { oid: string; name: string }): Promise<SchemaContents> {
  const result = await client.query<{ relname: string; relkind: string; covered_by_parent: boolean | null }>(LIST_RELATIONS_SQL, [schema.oid]);
  const tables: SchemaTable[] = [];
  const skipped: SkippedRelation[] = [];
  for (const row of result.rows) {
    if (row.covered_by_parent) {
      skipped.push({ relname: row.relname, reason: SKIP_REASONS.partition });
    } else if (row.relkind === 'r' || row.relkind === 'p') {
      tables.push({ relname: row.relname, relkind: row.relkind, archiveName: archiveNameOfTable(row.relname) });
    } else if (row.relkind === 'v' || row.relkind === 'm' || row.relkind === 'f') {
      skipped.push({ relname: row.relname, reason: SKIP_REASONS[row.relkind] });
    }
  }
  return { schema: schema.name, tables, skipped };
}

/**
 * The COPY statement for one table. An ordinary table is read with ONLY, so a
 * table that inherits from it (old-style inheritance) is exported once, as itself,
 * not also inside its parent; a partitioned table is read whole (ONLY would give none).
 * @see https://www.postgresql.org/docs/15/sql-copy.html
 */
export function copyTableSql(schema: string, table: SchemaTable): string {
  const only = table.relkind === 'r' ? 'ONLY ' : '';
  return `COPY (SELECT * FROM ${only}${escapeIdentifierOf(schema)}.${escapeIdentifierOf(table.relname)}) TO STDOUT WITH (FORMAT csv, HEADER)`;
}

/**
 * The table's name in the archive: the name as it is in the database (capitals,
 * spaces, quotes, any Unicode), except that `%`, `/`, `\`, control characters, bidirectional
 * controls and line separators (see entry-names.ts) and a leading `.` are percent-encoded
 * (`%2F`, UTF-8 bytes), so the name is one safe path segment. Distinct tables get distinct names (the encoding is reversible with
 * decodeURIComponent).
 */
export function archiveNameOfTable(relname: string): string {
  let out = '';
  for (const [index, char] of [...relname].entries()) {
    const code = char.codePointAt(0) ?? 0;
    const unsafe =
      char === '%' || char === '/' || char === '\\' || code < 0x20 || (code >= 0x7f && code <= 0x9f) || (index === 0 && char === '.') || DISPLAY_SPOOFING_CHARACTER.test(char);
    out += unsafe ? percentEncode(char) : char;
  }
  return out;
}

function percentEncode(char: string): string {
  return [...Buffer.from(char, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}
