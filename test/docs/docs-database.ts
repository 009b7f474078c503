import { startPostgres, type PostgresServer } from '../../emulator/postgres-server.js';

/**
 * The database the docs' `<!-- needs: postgres -->` examples read:
 * `postgres://exporter@db.internal:5432/ion`, schema `tenant_acme`. The test starts a
 * PostgreSQL server holding it and points `db.internal:5432` at that server.
 */
export const DOCS_DATABASE = { exampleHost: 'db.internal:5432', user: 'exporter', name: 'ion', schema: 'tenant_acme' } as const;

export interface DocsDatabase {
  postgres: PostgresServer;
  /** The password of the docs' database user (the examples get it as PGPASSWORD). */
  password: string;
}

export async function startDocsDatabase(): Promise<DocsDatabase> {
  const postgres = await startPostgres();
  const { user, name, schema } = DOCS_DATABASE;
  const password = `docs-${Math.random().toString(36).slice(2)}`;
  try {
    postgres.psql(
      [
        `CREATE ROLE ${user} LOGIN PASSWORD '${password}';`,
        `CREATE DATABASE ${name};`,
        `\\connect ${name}`,
        `CREATE SCHEMA ${schema};`,
        `CREATE TABLE ${schema}.work_orders (id int PRIMARY KEY, title text, due timestamptz);`,
        `INSERT INTO ${schema}.work_orders SELECT g, 'Work order ' || g || ', "rev" B', '2026-01-01T00:00:00Z'::timestamptz + g * interval '1 day' FROM generate_series(1, 50) g;`,
        `CREATE TABLE ${schema}.parts (part_number text PRIMARY KEY, qty numeric(10,2));`,
        `INSERT INTO ${schema}.parts VALUES ('P-100', 4.50), ('P-200', 12);`,
        `GRANT USAGE ON SCHEMA ${schema} TO ${user};`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${user};`,
      ].join('\n'),
    );
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  return { postgres, password };
}
