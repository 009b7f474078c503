import { describe, expect, it } from 'vitest';
import { archiveNameOfTable, copyTableSql } from '../../delivery/sources/postgres-catalog.js';
import { redactDatabaseUrl, resolvePostgresConnection } from '../../delivery/sources/postgres-connection.js';
import { validatePostgresTableSourceOptions } from '../../delivery/sources/postgres-tables.js';
import { parseS3Url } from '../../delivery/sources/s3-attachments.js';
import { assertSafeTableName } from '../../delivery/archive/entry-names.js';
import { IonDestError } from '../../errors/index.js';
import { createSnapshotSources, type SnapshotSourceArgs } from '../../cli/snapshot-sources.js';

describe('archiveNameOfTable', () => {
  it.each([
    ['orders', 'orders'],
    ['Work Orders', 'Work Orders'],
    ['say "hi"', 'say "hi"'],
    ['naïve 日本', 'naïve 日本'],
    ['a/b', 'a%2Fb'],
    ['a\\b', 'a%5Cb'],
    ['100%', '100%25'],
    ['.hidden', '%2Ehidden'],
    ['..', '%2E.'],
    ['.', '%2E'],
    ['a.b', 'a.b'],
    ['tab\there', 'tab%09here'],
    ['new\nline', 'new%0Aline'],
    ['del\u007f', 'del%7F'],
    ['c1\u0085', 'c1%C2%85'],
  ])('%j → %j, a safe and reversible entry name', (relname, expected) => {
    const name = archiveNameOfTable(relname);
    expect(name).toBe(expected);
    expect(() => assertSafeTableName(name, 'test')).not.toThrow();
    expect(decodeURIComponent(name)).toBe(relname);
  });

  it('keeps distinct tables distinct', () => {
    const names = ['a/b', 'a%2Fb', 'a%252Fb', '.x', '%2Ex'].map(archiveNameOfTable);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('copyTableSql', () => {
  it.each([
    [{ relname: 'orders', relkind: 'r' as const }, 'COPY (SELECT * FROM ONLY "tenant_acme"."orders") TO STDOUT WITH (FORMAT csv, HEADER)'],
    [{ relname: 'events', relkind: 'p' as const }, 'COPY (SELECT * FROM "tenant_acme"."events") TO STDOUT WITH (FORMAT csv, HEADER)'],
    [{ relname: 'x"); DROP TABLE t; --', relkind: 'r' as const }, 'COPY (SELECT * FROM ONLY "tenant_acme"."x""); DROP TABLE t; --") TO STDOUT WITH (FORMAT csv, HEADER)'],
  ])('quotes %j', (table, sql) => {
    expect(copyTableSql('tenant_acme', { ...table, archiveName: archiveNameOfTable(table.relname) })).toBe(sql);
  });
});

describe('database connection settings', () => {
  it.each([
    ['postgres://u:s3cret@db:5432/ion', 'postgres://u:***@db:5432/ion'],
    ['postgresql://u:p%40ss@db/ion?sslmode=require', 'postgresql://u:***@db/ion?sslmode=require'],
    ['postgres://db/ion?password=s3cret&sslmode=verify-full', 'postgres://db/ion?password=***&sslmode=verify-full'],
    ['not a url s3cret', '(not shown: it may hold a password)'],
  ])('redacts %s', (url, shown) => {
    expect(redactDatabaseUrl(url)).toBe(shown);
  });

  it.each([
    [{ databaseUrl: 'postgres://u:flag-pw@flag-host/db', env: { DATABASE_URL: 'postgres://u:env-pw@env-host/db', PGHOST: 'pg-host' } }, 'u@flag-host/db', 'flag-pw'],
    [{ env: { DATABASE_URL: 'postgres://u:env-pw@env-host/db', PGHOST: 'pg-host' } }, 'u@env-host/db', 'env-pw'],
    [{ env: { PGHOST: 'pg-host', PGPORT: '6432', PGUSER: 'ion', PGPASSWORD: 'pg-pw', PGDATABASE: 'prod' } }, 'ion@pg-host:6432/prod', 'pg-pw'],
  ])('takes the flag, else DATABASE_URL, else PG* variables (%#)', (options, target, password) => {
    const connection = resolvePostgresConnection(options);
    expect(connection.target).toBe(target);
    expect(connection.target).not.toContain(password);
    expect(connection.redact(`failed for ${password} at ${password}`)).toBe('failed for *** at ***');
  });

  it('rejects a URL of another scheme without showing its password', () => {
    let error: unknown;
    try {
      resolvePostgresConnection({ databaseUrl: 'mysql://u:hunter2@db/x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('INVALID_INPUT');
    expect((error as IonDestError).message).toContain('--database-url');
    expect((error as IonDestError).message).not.toContain('hunter2');
  });
});

describe('schema option', () => {
  it.each([
    ['tenant_acme', 0],
    ['Tenant "Acme" 1', 0],
    ['', 1],
    ['x'.repeat(64), 1],
    ['é'.repeat(32), 1],
  ])('%j has %i problem(s)', (schema, count) => {
    expect(validatePostgresTableSourceOptions({ schema })).toHaveLength(count);
  });
});

describe('parseS3Url', () => {
  it.each([
    ['s3://fr-attachments/tenants/acme/', 'fr-attachments', 'tenants/acme/'],
    ['s3://fr-attachments/tenants/acme', 'fr-attachments', 'tenants/acme/'],
    ['s3://fr-attachments/', 'fr-attachments', ''],
    ['s3://fr-attachments', 'fr-attachments', ''],
  ])('%s → bucket %s, prefix %j', (url, bucket, prefix) => {
    expect(parseS3Url(url)).toEqual({ location: { bucket, prefix }, problems: [] });
  });

  it.each([
    ['https://fr-attachments/x/', 's3://bucket/prefix/'],
    ['s3://FR_attachments/x/', 'lowercase'],
    ['s3:///x/', '3 to 63'],
    ['s3://fr-attachments//x/', 'segment'],
    ['s3://fr-attachments/a/../b/', 'segment'],
    ['s3://fr-attachments/a\u0001/', 'control'],
  ])('rejects %j', (url, rule) => {
    const { problems } = parseS3Url(url);
    expect(problems.map((p) => p.rule).join(' ')).toContain(rule);
    expect(problems.every((p) => p.field === '--attachments')).toBe(true);
  });
});

describe('deliver: choosing the snapshot sources from flags', () => {
  const base = { region: 'us-east-1', attachments: 'attachments-dir' };
  it.each([
    [{ tables: 'tables-dir' }, 'directory tables-dir', 'directory attachments-dir'],
    [{ schema: 'tenant_acme', 'database-url': 'postgres://u:pw-1@db:5432/ion' }, 'postgres schema "tenant_acme" (u@db:5432/ion)', 'directory attachments-dir'],
    [{ schema: 'Tenant A', attachments: 's3://fr-attachments/tenants/a', 'attachments-bucket-owner': '111122223333' }, 'postgres schema "Tenant A"', 's3://fr-attachments/tenants/a/'],
  ] as [Partial<SnapshotSourceArgs>, string, string][])('%j', (flags, tables, attachments) => {
    const sources = createSnapshotSources({ ...base, ...flags });
    expect(sources.tables.description.startsWith(tables)).toBe(true);
    expect(sources.attachments.description).toBe(attachments);
  });

  it.each([
    [{}, '--tables', /--tables DIR, or --schema NAME/],
    [{ tables: 'd', schema: 's' }, '--schema', /give one/],
    [{ tables: 'd', 'database-url': 'postgres://u:pw-2@db/x' }, '--database-url', /goes with --schema/],
    [{ tables: 'd', 'attachments-bucket-owner': '111122223333' }, '--attachments-bucket-owner', /s3:\/\//],
    [{ schema: 's', attachments: 's3://fr-attachments/x/', 'attachments-bucket-owner': '1234' }, '--attachments-bucket-owner', /12 digits/],
  ] as [Partial<SnapshotSourceArgs>, string, RegExp][])('rejects %j naming %s', (flags, field, rule) => {
    let error: unknown;
    try {
      createSnapshotSources({ ...base, ...flags });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('INVALID_INPUT');
    expect((error as IonDestError).problems.map((p) => p.field)).toContain(field);
    expect((error as IonDestError).message).toMatch(rule);
    expect((error as IonDestError).message).not.toContain('pw-2');
  });
});
