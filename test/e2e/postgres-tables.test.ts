import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IonDestError } from '../../errors/index.js';
import { archiveNameOfTable } from '../../delivery/sources/postgres-catalog.js';
import { createPostgresTableSource } from '../../delivery/sources/postgres-tables.js';
import { startPostgres, type PostgresServer } from '../../emulator/postgres-server.js';

/** Capitals, a space and a double quote: every statement must quote it. */
const SCHEMA = 'Tenant "Acme" 1';
const S = pg.escapeIdentifier(SCHEMA);
/** A table name that would end the COPY statement early if it were not quoted. */
const INJECTION_TABLE = 'x"); DROP TABLE "types"; --';

const SETUP_SQL = `
CREATE SCHEMA ${S};
CREATE SCHEMA other;
CREATE TABLE ${S}.types (
  id int PRIMARY KEY, t text, vc varchar(20), b bytea, j json, jb jsonb, ta text[], ia int[],
  ts timestamptz, tsn timestamp, n numeric(40,20), nn numeric, f8 float8, f4 real, d date,
  iv interval, u uuid, bo boolean, big bigint, ip inet, pt point
);
INSERT INTO ${S}.types VALUES
  (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (2, '', '', '\\x', '""', '{}', '{}', '{}', '-infinity', 'infinity', 0, 0, 0, 0, '-infinity', '0', '00000000-0000-0000-0000-000000000000', false, 0, '::1', '(0,0)'),
  (3, E'line1\\nline2\\r\\nline3', 'a,b', '\\x00ff0d0a22', '{"b" : [1, 2.50, "x\\"y"],  "a": null, "a": 2}', '{"z": 1, "a": "é", "n": 1.000}',
      ARRAY['a,b', 'q"uote', NULL, '', 'back\\slash', 'NULL', E'new\\nline'], '{1,NULL,-3}',
      '2026-03-29 01:30:00.123456+01', '2026-03-29 01:30:00.5', 12345678901234567890.12345678901234567890, 'NaN', 'Infinity', 1.17549435e-38,
      '2026-01-31', '1 year 2 mons 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', true, -9223372036854775808, '192.168.0.1/24', '(1.5,-2)'),
  (4, 'He said "hi", then \\N left', '"', '\\x5c4e', '[]', '[1, "2", [3]]', ARRAY['"', ','], '{}', '1970-01-01 00:00:00+00', '1999-12-31 23:59:59.999999',
      -0.00000000000000000001, 3.14159265358979323846264338327950288419716939937510, '-0', 0.1, '4713-01-01 BC', '-1 days +02:00:00', NULL, NULL, 9223372036854775807, '2001:db8::/32', NULL),
  (5, '𝄞 ✓ 日本 ', 'NULL', '\\x', '"\\u0000"', '"text"', ARRAY[]::text[], NULL, '2026-07-01 12:00:00-07', NULL, 1, 1e-300, 'NaN', '-Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE ${S}."My ""Weird"" Table" ("Mixed Case" text, "select" int);
INSERT INTO ${S}."My ""Weird"" Table" VALUES ('a', 1), (NULL, 2), ('', NULL);
CREATE TABLE ${S}."a/b" (v int);
INSERT INTO ${S}."a/b" VALUES (1);
CREATE TABLE ${S}.".hidden" (v int);
CREATE TABLE ${S}.${pg.escapeIdentifier(INJECTION_TABLE)} (v text);
INSERT INTO ${S}.${pg.escapeIdentifier(INJECTION_TABLE)} VALUES ('still here');
CREATE TABLE ${S}.empty (v int, w text);
CREATE TABLE ${S}.events (id int, at date, payload text) PARTITION BY RANGE (at);
CREATE TABLE ${S}.events_2025 PARTITION OF ${S}.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE ${S}.events_2026 PARTITION OF ${S}.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE other.events_2027 PARTITION OF ${S}.events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
INSERT INTO ${S}.events SELECT g, DATE '2025-01-01' + g, 'row ' || g FROM generate_series(0, 1000) g;
CREATE TABLE other.measures (id int, k int) PARTITION BY LIST (k);
CREATE TABLE ${S}.measures_local PARTITION OF other.measures FOR VALUES IN (1);
INSERT INTO other.measures VALUES (1, 1), (2, 1);
CREATE TABLE other.not_ours (v int);
CREATE TABLE ${S}.animals (name text);
CREATE TABLE ${S}.dogs (breed text) INHERITS (${S}.animals);
INSERT INTO ${S}.animals VALUES ('cat');
INSERT INTO ${S}.dogs VALUES ('rex', 'collie');
CREATE VIEW ${S}.v_types AS SELECT id, t FROM ${S}.types;
CREATE MATERIALIZED VIEW ${S}.mv_events AS SELECT count(*) AS n FROM ${S}.events;
CREATE TABLE ${S}.counter (id int PRIMARY KEY, n int);
INSERT INTO ${S}.counter VALUES (1, 0);
CREATE TABLE ${S}.log (id serial, note text);
INSERT INTO ${S}.log (note) SELECT 'before ' || g FROM generate_series(1, 100) g;
CREATE TABLE ${S}.big (id int, filler text);
INSERT INTO ${S}.big SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, 20000) g;
CREATE ROLE reader LOGIN PASSWORD 'reader-secret-71';
GRANT USAGE ON SCHEMA ${S} TO reader;
GRANT SELECT ON ALL TABLES IN SCHEMA ${S} TO reader;
ALTER TABLE ${S}.counter ENABLE ROW LEVEL SECURITY;
CREATE POLICY nothing ON ${S}.counter USING (false);
`;

/** Every table the schema exports, by archive name, with how it is read back for comparison. */
const EXPECTED_TABLES = [
  '%2Ehidden',
  'My "Weird" Table',
  'a%2Fb',
  'animals',
  'big',
  'counter',
  'dogs',
  'empty',
  'events',
  'log',
  'measures_local',
  'types',
  INJECTION_TABLE,
].sort();

let server: PostgresServer;
let admin: pg.Client;
let work: string;

async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readTables(names: readonly string[], options: { maxConnections?: number; databaseUrl?: string } = {}) {
  const source = createPostgresTableSource({ databaseUrl: options.databaseUrl ?? server.url, schema: SCHEMA, maxConnections: options.maxConnections ?? 4 });
  const snapshot = await source.open();
  try {
    const texts = await Promise.all(
      names.map(async (name) => {
        const ref = snapshot.tables.find((t) => t.name === name);
        if (!ref) throw new Error(`no table ${name} in ${snapshot.tables.map((t) => t.name).join(', ')}`);
        return readText(await snapshot.openTable(ref));
      }),
    );
    return Object.fromEntries(names.map((n, i) => [n, texts[i]!]));
  } finally {
    await snapshot.close();
  }
}

/** Connections of the source, once the count settles (a closed backend leaves pg_stat_activity a moment later). */
async function snapshotSessions(expected: number): Promise<number> {
  let n = -1;
  for (let i = 0; i < 50 && n !== expected; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 50));
    const r = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'ion-dest snapshot'");
    n = r.rows[0].n as number;
  }
  return n;
}

beforeAll(async () => {
  server = await startPostgres();
  server.psql(SETUP_SQL);
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  work = mkdtempSync(join(tmpdir(), 'ion-dest-pg-roundtrip-'));
});

afterAll(async () => {
  await admin?.end();
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('PostgreSQL schema source', () => {
  it('lists ordinary and partitioned tables and leaves out views, materialized views and partitions covered by their parent', async () => {
    const snapshot = await createPostgresTableSource({ databaseUrl: server.url, schema: SCHEMA }).open();
    try {
      expect(snapshot.tables.map((t) => t.name).sort()).toEqual(EXPECTED_TABLES);
      expect(snapshot.tables.every((t) => t.format === 'csv' && t.size === undefined)).toBe(true);
      expect(snapshot.skipped.map((s) => s.relname).sort()).toEqual(['events_2025', 'events_2026', 'mv_events', 'v_types']);
    } finally {
      await snapshot.close();
    }
    expect(await snapshotSessions(0)).toBe(0);
  });

  it('round-trips every type: each CSV loads back with COPY FROM into a fresh table and matches row for row', async () => {
    const names = EXPECTED_TABLES.filter((n) => n !== 'counter');
    const csv = await readTables(names);
    await admin.query('DROP SCHEMA IF EXISTS roundtrip CASCADE; CREATE SCHEMA roundtrip');
    const relations = await admin.query<{ relname: string; relkind: string }>(
      'SELECT relname, relkind FROM pg_class WHERE relnamespace = $1::regnamespace',
      [S],
    );
    for (const name of names) {
      const relname = relations.rows.find((r) => archiveNameOfTable(r.relname) === name)!;
      const source = `${relname.relkind === 'r' ? 'ONLY ' : ''}${S}.${pg.escapeIdentifier(relname.relname)}`;
      const copy = `roundtrip.${pg.escapeIdentifier(relname.relname)}`;
      await admin.query(`CREATE TABLE ${copy} (LIKE ${S}.${pg.escapeIdentifier(relname.relname)} INCLUDING ALL)`);
      const file = join(work, `${encodeURIComponent(name)}.csv`);
      await pipeline(async function* () { yield Buffer.from(csv[name]!, 'utf8'); }, createWriteStream(file));
      await pipeline(createReadStream(file), admin.query(copyFrom(`COPY ${copy} FROM STDIN WITH (FORMAT csv, HEADER)`)));
      const counts = await admin.query(`SELECT (SELECT count(*) FROM ${source})::int AS a, (SELECT count(*) FROM ${copy})::int AS b`);
      expect(counts.rows[0], name).toEqual({ a: counts.rows[0].a, b: counts.rows[0].a });
      // Row text, not column equality: json has no "=", and text also catches a lost numeric scale or float digit.
      const diff = await admin.query(
        `SELECT count(*)::int AS n FROM ((SELECT x::text FROM ${source} x EXCEPT ALL SELECT y::text FROM ${copy} y)
           UNION ALL (SELECT y::text FROM ${copy} y EXCEPT ALL SELECT x::text FROM ${source} x)) d`,
      );
      expect(diff.rows[0].n, `rows that differ after the round trip of ${name}`).toBe(0);
    }
    const rowCounts = await admin.query(
      `SELECT (SELECT count(*) FROM roundtrip.types)::int AS types, (SELECT count(*) FROM roundtrip.events)::int AS events,
              (SELECT count(*) FROM roundtrip.animals)::int AS animals, (SELECT count(*) FROM roundtrip.dogs)::int AS dogs`,
    );
    // The partitioned table holds all 1001 rows (one partition in another schema); inheritance rows appear once.
    expect(rowCounts.rows[0]).toEqual({ types: 5, events: 1001, animals: 1, dogs: 1 });
  });

  it('writes CSV whose form does not depend on the session: NULL unquoted, empty string quoted, UTC timestamps, hex bytea', async () => {
    await admin.query("SET TimeZone = 'Asia/Tokyo'; ALTER ROLE ion_test SET DateStyle = 'SQL, DMY'");
    try {
      const { types, 'My "Weird" Table': weird } = await readTables(['types', 'My "Weird" Table']);
      const lines = types!.split('\n');
      expect(lines[0]).toBe('id,t,vc,b,j,jb,ta,ia,ts,tsn,n,nn,f8,f4,d,iv,u,bo,big,ip,pt');
      expect(lines[1]).toBe('1' + ','.repeat(20));
      expect(lines[2]!.startsWith('2,"","",\\x,"""""",{},{},{},-infinity,infinity,0.00000000000000000000,0,0,0,-infinity,00:00:00,')).toBe(true);
      expect(types).toContain('2026-03-29 00:30:00.123456+00');
      expect(types).toContain('\\x00ff0d0a22');
      expect(types).toContain('"line1\nline2\r\nline3"');
      expect(weird).toBe('Mixed Case,select\na,1\n,2\n"",\n');
    } finally {
      await admin.query('ALTER ROLE ion_test RESET DateStyle');
    }
  });

  it('reads every table at the moment the snapshot opened, also on connections that join it later', async () => {
    const source = createPostgresTableSource({ databaseUrl: server.url, schema: SCHEMA, maxConnections: 3 });
    const snapshot = await source.open();
    try {
      await admin.query(`UPDATE ${S}.counter SET n = n + 1; INSERT INTO ${S}.log (note) SELECT 'after ' || g FROM generate_series(1, 50) g;
                         INSERT INTO ${S}.events VALUES (5000, '2025-06-01', 'late'); CREATE TABLE ${S}.newcomer (v int)`);
      const refs = snapshot.tables.filter((t) => ['log', 'events', 'big', 'types', 'animals'].includes(t.name));
      const texts = await Promise.all(refs.map(async (t) => readText(await snapshot.openTable(t))));
      const log = texts[refs.findIndex((t) => t.name === 'log')]!;
      const events = texts[refs.findIndex((t) => t.name === 'events')]!;
      expect(log.trimEnd().split('\n')).toHaveLength(101);
      expect(log).not.toContain('after');
      expect(events).not.toContain('late');
      expect(snapshot.tables.map((t) => t.name)).not.toContain('newcomer');
      // Three readers at most, plus the connection that holds the snapshot.
      expect(await snapshotSessions(4)).toBe(4);
    } finally {
      await snapshot.close();
      await admin.query(`DROP TABLE ${S}.newcomer`);
    }
    expect(await snapshotSessions(0)).toBe(0);
  });

  it('reads tables one after another on a single connection just as well', async () => {
    const csv = await readTables(['animals', 'dogs', 'a%2Fb', INJECTION_TABLE], { maxConnections: 1 });
    expect(csv).toEqual({ animals: 'name\ncat\n', dogs: 'name,breed\nrex,collie\n', 'a%2Fb': 'v\n1\n', [INJECTION_TABLE]: 'v\nstill here\n' });
  });

  it('ends its transaction and connections as soon as the last table has been read, before close()', async () => {
    const snapshot = await createPostgresTableSource({ databaseUrl: server.url, schema: SCHEMA, maxConnections: 2 }).open();
    try {
      for (const table of snapshot.tables.slice(0, -1)) await readText(await snapshot.openTable(table));
      // Read one after another, the tables share one reader; the other connection holds the snapshot.
      expect(await snapshotSessions(2)).toBe(2);
      await readText(await snapshot.openTable(snapshot.tables.at(-1)!));
      expect(await snapshotSessions(0)).toBe(0);
    } finally {
      await snapshot.close();
    }
  });

  it('holds ACCESS SHARE locks while open, so no table is dropped before it is read', async () => {
    const snapshot = await createPostgresTableSource({ databaseUrl: server.url, schema: SCHEMA }).open();
    try {
      await expect(admin.query(`SET lock_timeout = '200ms'; DROP TABLE ${S}.empty`)).rejects.toThrow(/lock timeout/);
    } finally {
      await admin.query('RESET lock_timeout');
      await snapshot.close();
    }
  });

  it('fails a table hidden by row-level security instead of exporting it without rows', async () => {
    const url = `postgres://reader:reader-secret-71@${server.host}:${server.port}/${server.database}`;
    const snapshot = await createPostgresTableSource({ databaseUrl: url, schema: SCHEMA }).open();
    try {
      const counter = snapshot.tables.find((t) => t.name === 'counter')!;
      const error = await readText(await snapshot.openTable(counter)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IonDestError);
      expect((error as IonDestError).code).toBe('DATABASE_EXPORT_FAILED');
      expect((error as IonDestError).message).toMatch(/row-level security/);
      expect((error as IonDestError).message).toContain(`${S}."counter"`);
      expect((error as IonDestError).message).not.toContain('reader-secret-71');
    } finally {
      await snapshot.close();
    }
    expect(await snapshotSessions(0)).toBe(0);
  });

  it('frees the connection when the consumer drops a table stream midway', async () => {
    const snapshot = await createPostgresTableSource({ databaseUrl: server.url, schema: SCHEMA, maxConnections: 1 }).open();
    try {
      const big = await snapshot.openTable(snapshot.tables.find((t) => t.name === 'big')!);
      await new Promise<void>((resolve) => big.once('data', () => resolve()));
      big.destroy();
      // The only reader was cut; the next table gets a fresh connection in the same snapshot.
      const text = await readText(await snapshot.openTable(snapshot.tables.find((t) => t.name === 'animals')!));
      expect(text).toBe('name\ncat\n');
    } finally {
      await snapshot.close();
    }
    expect(await snapshotSessions(0)).toBe(0);
  });

  it('closes at once while a table stream is still unread, and that stream fails instead of hanging', async () => {
    const snapshot = await createPostgresTableSource({ databaseUrl: server.url, schema: SCHEMA }).open();
    const big = await snapshot.openTable(snapshot.tables.find((t) => t.name === 'big')!);
    await new Promise<void>((resolve) => big.once('readable', () => resolve()));
    await snapshot.close();
    const error = await readText(big).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('DATABASE_EXPORT_FAILED');
    expect(await snapshotSessions(0)).toBe(0);
  });

  it('names a schema that does not exist', async () => {
    const error = await createPostgresTableSource({ databaseUrl: server.url, schema: 'tenant_acme' }).open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('DATABASE_SCHEMA_NOT_FOUND');
    expect((error as IonDestError).message).toContain('"tenant_acme"');
    expect(await snapshotSessions(0)).toBe(0);
  });

  const WRONG_PASSWORD = 'Wr0ng-Pa55word!';
  it.each([
    ['a URL with a wrong password', { databaseUrl: () => `postgres://ion_test:${encodeURIComponent(WRONG_PASSWORD)}@127.0.0.1:${server.port}/postgres` }, /password authentication failed/],
    ['PG* variables with a wrong password', { env: () => ({ PGHOST: '127.0.0.1', PGPORT: String(server.port), PGUSER: 'ion_test', PGPASSWORD: WRONG_PASSWORD, PGDATABASE: 'postgres' }) }, /password authentication failed/],
    ['DATABASE_URL pointing at a closed port', { env: () => ({ DATABASE_URL: `postgresql://ion_test:${encodeURIComponent(WRONG_PASSWORD)}@127.0.0.1:1/postgres` }) }, /ECONNREFUSED/],
  ] as const)('never shows the password when the connection fails: %s', async (_name, how, reason) => {
    const options = {
      schema: SCHEMA,
      ...('databaseUrl' in how ? { databaseUrl: how.databaseUrl() } : {}),
      ...('env' in how ? { env: how.env() } : {}),
    };
    const source = createPostgresTableSource(options);
    expect(source.description).not.toContain(WRONG_PASSWORD);
    const error = await source.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IonDestError);
    const e = error as IonDestError;
    expect(e.code).toBe('DATABASE_CONNECTION_FAILED');
    expect(e.message).toMatch(reason);
    const everything = `${e.message}\n${e.stack}\n${String((e.cause as Error).message)}\n${JSON.stringify(e)}`;
    expect(everything).not.toContain(WRONG_PASSWORD);
    expect(everything).not.toContain(encodeURIComponent(WRONG_PASSWORD));
  });
});
