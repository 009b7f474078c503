import { PassThrough, type Readable } from 'node:stream';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { IonDestError, type InputProblem } from '../../errors/index.js';
import { assertNoProblems } from '../../policy/index.js';
import { copyTableSql, findSchema, listSchemaContents, type SchemaTable, type SkippedRelation } from './postgres-catalog.js';
import { resolvePostgresConnection, type PostgresConnection, type PostgresConnectionOptions } from './postgres-connection.js';
import { escapeIdentifierOf, escapeLiteralOf } from './postgres-sql.js';
import type { TableRef, TableSnapshot, TableSource } from './types.js';

/**
 * A tenant's PostgreSQL schema as a table source: every ordinary and partitioned
 * table, read as CSV with COPY, all at one point in time.
 *
 * One connection opens a `REPEATABLE READ READ ONLY` transaction, exports its
 * snapshot (`pg_export_snapshot`), lists the tables and takes ACCESS SHARE locks on
 * them (so none can be dropped or rewritten before it is read, as pg_dump does), and
 * then only holds that transaction open until `close`. Each table is read by one of
 * up to `maxConnections` reader connections whose transactions import the snapshot
 * (`SET TRANSACTION SNAPSHOT`), so tables read in parallel still see the same moment,
 * and a reader cut midway (a failed or abandoned COPY) never takes the snapshot with it.
 * @see https://www.postgresql.org/docs/15/functions-admin.html#FUNCTIONS-SNAPSHOT-SYNCHRONIZATION
 * @see https://www.postgresql.org/docs/15/sql-set-transaction.html
 */

export interface PostgresTableSourceOptions extends PostgresConnectionOptions {
  /** The tenant schema, exactly as the database spells it (case-sensitive). */
  schema: string;
  /** Reader connections that may COPY tables at once, all in the same snapshot (default DEFAULT_MAX_CONNECTIONS); one more holds the snapshot. */
  maxConnections?: number;
  /** How long to wait for a table's ACCESS SHARE lock before failing (default DEFAULT_LOCK_TIMEOUT_MS). */
  lockTimeoutMs?: number;
}

/** A few readers keep the gzip workers busy without crowding the database's connection slots. */
export const DEFAULT_MAX_CONNECTIONS = 4;
/** Long enough for a brief ALTER TABLE to finish; a minute-long wait means something holds the table. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
/** PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes. @see https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * Session settings that make the CSV the same whatever the server's or role's
 * defaults: timestamps in UTC ISO form, bytea as hex, floats with enough digits to
 * round-trip, UTF-8. `row_security = off` makes a table hidden by row-level security
 * fail the export instead of silently losing rows (pg_dump does the same). No
 * statement or idle timeout may cut a long COPY or the idle exporting transaction.
 * @see https://www.postgresql.org/docs/15/runtime-config-client.html
 */
const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  client_encoding: 'UTF8',
  TimeZone: 'UTC',
  DateStyle: 'ISO, YMD',
  IntervalStyle: 'postgres',
  bytea_output: 'hex',
  extra_float_digits: '1',
  row_security: 'off',
  statement_timeout: '0',
  idle_in_transaction_session_timeout: '0',
};

/** The schema source's own view of its snapshot: which relations it left out, and why. */
export interface PostgresTableSnapshot extends TableSnapshot {
  readonly skipped: readonly SkippedRelation[];
}

/** Check the options before any connection is made. */
export function validatePostgresTableSourceOptions(options: PostgresTableSourceOptions): InputProblem[] {
  const problems: InputProblem[] = [];
  const { schema } = options;
  if (schema === '') problems.push({ field: '--schema', value: schema, rule: 'a schema name is not empty' });
  else if (Buffer.byteLength(schema, 'utf8') > MAX_IDENTIFIER_BYTES)
    problems.push({ field: '--schema', value: schema, rule: `a schema name is at most ${MAX_IDENTIFIER_BYTES} bytes (PostgreSQL's identifier limit)` });
  else if (/[\u0000]/.test(schema)) problems.push({ field: '--schema', value: schema, rule: 'a schema name has no NUL character' });
  const max = options.maxConnections;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 64))
    problems.push({ field: 'maxConnections', value: String(max), rule: 'between 1 and 64 connections' });
  const lock = options.lockTimeoutMs;
  if (lock !== undefined && (!Number.isInteger(lock) || lock < 1 || lock > 2_147_483_647))
    problems.push({ field: 'lockTimeoutMs', value: String(lock), rule: 'a whole number of milliseconds from 1 to 2147483647' });
  return problems;
}

export interface PostgresTableSource extends TableSource {
  open(): Promise<PostgresTableSnapshot>;
}

/** A table source reading one schema of a PostgreSQL database. */
export function createPostgresTableSource(options: PostgresTableSourceOptions): PostgresTableSource {
  assertNoProblems(validatePostgresTableSourceOptions(options));
  const connection = resolvePostgresConnection(options);
  return {
    description: `postgres schema ${escapeIdentifierOf(options.schema)} (${connection.target})`,
    open: () => openSchemaSnapshot(connection, options),
  };
}

interface Reader {
  readonly client: pg.Client;
  /** The connection cannot be trusted for another statement: it is closed, not reused. */
  broken: boolean;
  /** A COPY is streaming on it. */
  busy: boolean;
  ended: boolean;
}

async function openSchemaSnapshot(connection: PostgresConnection, options: PostgresTableSourceOptions): Promise<PostgresTableSnapshot> {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const exporter = await connectReader(connection);
  const readers: Reader[] = [];
  const idle: Reader[] = [];
  const waiting: { resolve: (reader: Reader) => void; reject: (error: unknown) => void }[] = [];
  let closed = false;
  let closing: Promise<void> | undefined;

  const closeAll = async () => {
    closed = true;
    for (const w of waiting.splice(0)) w.reject(new IonDestError('DATABASE_EXPORT_FAILED', 'The snapshot was closed before the table could be read.', { source: 'toolkit' }));
    // A COPY still streaming (its consumer gave up or failed) is cut, not awaited.
    for (const r of readers) if (r.busy) r.broken = true;
    await Promise.all([...readers, exporter].map((r) => endReader(r)));
  };

  let snapshotId: string;
  let schemaName: string;
  let tables: readonly SchemaTable[];
  let skipped: readonly SkippedRelation[];
  try {
    snapshotId = await runStep(connection, 'start the snapshot transaction', async () => {
      await exporter.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const r = await exporter.client.query<{ id: string }>('SELECT pg_catalog.pg_export_snapshot() AS id');
      return r.rows[0]!.id;
    });
    const schema = await runStep(connection, 'look up the schema', () => findSchema(exporter.client, options.schema));
    if (!schema) {
      throw new IonDestError('DATABASE_SCHEMA_NOT_FOUND', `Schema ${escapeIdentifierOf(options.schema)} does not exist in ${connection.target}.`, { source: 'user' });
    }
    const contents = await runStep(connection, `list the tables of schema ${escapeIdentifierOf(schema.name)}`, () => listSchemaContents(exporter.client, schema));
    schemaName = contents.schema;
    tables = contents.tables;
    skipped = contents.skipped;
    if (tables.length > 0) {
      await runStep(connection, `lock the tables of schema ${escapeIdentifierOf(schemaName)} (ACCESS SHARE, waiting at most ${lockTimeoutMs} ms)`, async () => {
        await exporter.client.query(`SET LOCAL lock_timeout = ${Math.round(lockTimeoutMs)}`);
        const names = tables.map((t) => `${escapeIdentifierOf(schemaName)}.${escapeIdentifierOf(t.relname)}`).join(', ');
        await exporter.client.query(`LOCK TABLE ${names} IN ACCESS SHARE MODE`);
      });
    }
  } catch (error) {
    await (closing ??= closeAll());
    throw error;
  }

  const byName = new Map(tables.map((t) => [t.archiveName, t]));
  const opened = new Set<string>();

  /** Readers alive or being connected; never more than maxConnections. */
  let slots = 0;
  const openReader = async (): Promise<Reader> => {
    slots += 1;
    let reader: Reader;
    try {
      reader = await joinSnapshot(connection, snapshotId);
    } catch (error) {
      slots -= 1;
      throw error;
    }
    readers.push(reader);
    if (closed) {
      release(reader);
      throw new IonDestError('DATABASE_EXPORT_FAILED', 'The snapshot was closed while a table was being opened.', { source: 'toolkit' });
    }
    return reader;
  };
  const release = (reader: Reader) => {
    if (reader.broken || closed) {
      const index = readers.indexOf(reader);
      if (index >= 0) readers.splice(index, 1);
      slots -= 1;
      void endReader(reader);
      // A cut reader frees its slot: a waiting table gets a fresh one in the same snapshot.
      const next = closed ? undefined : waiting.shift();
      if (next) openReader().then(next.resolve, next.reject);
      return;
    }
    const next = waiting.shift();
    if (next) next.resolve(reader);
    else idle.push(reader);
  };
  const acquire = async (): Promise<Reader> => {
    const ready = idle.pop();
    if (ready) return ready;
    if (slots < maxConnections) return openReader();
    return new Promise<Reader>((resolve, reject) => waiting.push({ resolve, reject }));
  };

  // Each table is read once: after the last one the snapshot has nothing left to give,
  // so its transaction and connections end now rather than when the delivery finishes
  // uploading (a long-open transaction holds back VACUUM on a busy database).
  let finished = 0;
  const finish = (reader: Reader) => {
    finished += 1;
    release(reader);
    if (finished === tables.length) closing ??= closeAll();
  };

  return {
    tables: tables.map((t): TableRef => ({ name: t.archiveName, format: 'csv' })),
    skipped,
    async openTable(ref: TableRef): Promise<Readable> {
      const table = byName.get(ref.name);
      if (!table) throw new IonDestError('DATABASE_EXPORT_FAILED', `Table ${JSON.stringify(ref.name)} is not part of this snapshot.`, { source: 'toolkit' });
      if (opened.has(ref.name)) throw new IonDestError('DATABASE_EXPORT_FAILED', `Table ${JSON.stringify(ref.name)} was already opened once.`, { source: 'toolkit' });
      if (closed) throw new IonDestError('DATABASE_EXPORT_FAILED', 'The snapshot is already closed.', { source: 'toolkit' });
      opened.add(ref.name);
      const reader = await acquire();
      return streamTable(connection, reader, schemaName, table, finish);
    },
    async close() {
      await (closing ??= closeAll());
    },
  };
}

/**
 * COPY one table through the reader. The reader goes back to the pool when the
 * COPY ends; when it fails, or when the consumer drops the stream midway (the
 * server would otherwise keep sending), the reader's connection is closed instead.
 */
function streamTable(connection: PostgresConnection, reader: Reader, schema: string, table: SchemaTable, release: (reader: Reader) => void): Readable {
  const label = `${escapeIdentifierOf(schema)}.${escapeIdentifierOf(table.relname)}`;
  const out = new PassThrough();
  const copy = reader.client.query(copyTo(copyTableSql(schema, table)));
  let settled = false;
  reader.busy = true;
  const settle = (broken: boolean) => {
    if (settled) return;
    settled = true;
    reader.busy = false;
    if (broken) reader.broken = true;
    release(reader);
  };
  copy.on('end', () => settle(false));
  copy.on('error', (error: Error) => {
    settle(true);
    out.destroy(exportError(connection, `read table ${label}`, error));
  });
  out.on('close', () => {
    if (!settled) {
      settle(true);
      copy.destroy();
    }
  });
  // The error stays on the stream (`errored`) for whoever reads it later; without a
  // listener, a stream failed by close() before anyone read it would end the process.
  out.on('error', () => undefined);
  copy.pipe(out);
  return out;
}

async function connectReader(connection: PostgresConnection): Promise<Reader> {
  const client = new pg.Client(connection.config);
  const reader: Reader = { client, broken: false, busy: false, ended: false };
  // An unexpected disconnect is reported through the query that fails; without a
  // listener the driver's 'error' event would end the process.
  client.on('error', () => {
    reader.broken = true;
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new IonDestError('DATABASE_CONNECTION_FAILED', `Cannot connect to PostgreSQL at ${connection.target}: ${connection.redact(describeDriverError(error))}`, {
      source: 'user',
      cause: redactedCause(connection, error),
    });
  }
  try {
    const settings = Object.entries(SESSION_SETTINGS)
      .map(([name, value]) => `SET ${name} = ${escapeLiteralOf(value)}`)
      .join('; ');
    await client.query(settings);
  } catch (error) {
    await endReader(reader);
    throw exportError(connection, 'apply the session settings', error);
  }
  return reader;
}

/** A further reader whose transaction sees exactly the exporter's snapshot. */
async function joinSnapshot(connection: PostgresConnection, snapshotId: string): Promise<Reader> {
  const reader = await connectReader(connection);
  try {
    await reader.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await reader.client.query(`SET TRANSACTION SNAPSHOT ${escapeLiteralOf(snapshotId)}`);
  } catch (error) {
    await endReader(reader);
    throw exportError(connection, 'join the exported snapshot', error);
  }
  return reader;
}

/** End the reader's read-only transaction and its connection; a broken one is cut. */
async function endReader(reader: Reader): Promise<void> {
  if (reader.ended) return;
  reader.ended = true;
  const { client } = reader;
  if (reader.broken) {
    const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
    stream?.destroy();
    await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 1_000).unref())]);
    return;
  }
  await client.query('ROLLBACK').catch(() => undefined);
  await client.end().catch(() => undefined);
}

async function runStep<T>(connection: PostgresConnection, what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof IonDestError) throw error;
    throw exportError(connection, what, error);
  }
}

function exportError(connection: PostgresConnection, what: string, error: unknown): IonDestError {
  return new IonDestError('DATABASE_EXPORT_FAILED', `Could not ${what} in ${connection.target}: ${connection.redact(describeDriverError(error))}`, {
    // The database is the endpoint here: it refused (privileges, locks) or the connection failed.
    source: 'aws',
    cause: redactedCause(connection, error),
  });
}

/** The server's message with its SQLSTATE, e.g. `permission denied for table x (42501)`. */
function describeDriverError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== '' ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** The driver's error, rebuilt from its redacted message, so a password cannot travel inside a cause. */
function redactedCause(connection: PostgresConnection, error: unknown): Error {
  const cause = new Error(connection.redact(describeDriverError(error)));
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') (cause as Error & { code?: string }).code = code;
  return cause;
}
