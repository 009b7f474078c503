import pg from 'pg';
import { IonDestError } from '../../errors/index.js';

/**
 * Where the snapshot's database is and how to log in, without ever letting the
 * password reach a log line or an error message.
 */

/** What the connection settings may come from, first match wins. */
export interface PostgresConnectionOptions {
  /** `--database-url`: `postgres://user:password@host:port/database?sslmode=…`. */
  databaseUrl?: string;
  /** Environment holding DATABASE_URL or libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface PostgresConnection {
  /** For `new pg.Client(config)`. */
  readonly config: pg.ClientConfig;
  /** `user@host:port/database`, with no secret in it. */
  readonly target: string;
  /** Remove every secret of this connection from a text (error messages from the driver or the server). */
  redact(text: string): string;
}

/** Shown instead of a password. */
export const REDACTED = '***';
/** URL schemes libpq accepts for a connection URI. @see https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING */
const POSTGRES_URL_SCHEMES = ['postgres:', 'postgresql:'];
/** Seen by the server in pg_stat_activity, so a DBA can tell whose COPY it is. */
export const APPLICATION_NAME = 'ion-dest snapshot';
/** A host that drops packets fails the delivery in half a minute, not after the kernel's TCP timeout. */
export const CONNECT_TIMEOUT_MS = 30_000;
/**
 * Every connection of a snapshot: named, with a connect timeout, and with TCP
 * keepalives so the connection holding the snapshot, idle while others read, is not
 * dropped by a firewall or NAT on a long delivery.
 */
const BASE_CONFIG = { application_name: APPLICATION_NAME, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true } as const;

/**
 * Resolve the connection: the `--database-url` given, else `DATABASE_URL`, else
 * libpq's environment variables (and `~/.pgpass` through the driver).
 * @see https://www.postgresql.org/docs/15/libpq-envars.html
 */
export function resolvePostgresConnection(options: PostgresConnectionOptions = {}): PostgresConnection {
  const env = options.env ?? process.env;
  const url = nonEmpty(options.databaseUrl) ?? nonEmpty(env.DATABASE_URL);
  if (url !== undefined) {
    const field = nonEmpty(options.databaseUrl) !== undefined ? '--database-url' : 'DATABASE_URL';
    const parsed = parseDatabaseUrl(url, field);
    const secrets = [url, parsed.password, decodeURIComponentSafe(parsed.password)];
    return {
      config: { connectionString: url, ...BASE_CONFIG },
      target: `${decodeURIComponentSafe(parsed.username) || '(default user)'}@${parsed.host || '(default host)'}${parsed.pathname || '/'}`,
      redact: (text) => redactSecrets(text, secrets),
    };
  }
  const host = nonEmpty(env.PGHOST);
  const port = nonEmpty(env.PGPORT);
  const user = nonEmpty(env.PGUSER);
  const database = nonEmpty(env.PGDATABASE);
  const password = env.PGPASSWORD;
  const config: pg.ClientConfig = {
    ...BASE_CONFIG,
    ...(host ? { host } : {}),
    ...(port ? { port: Number(port) } : {}),
    ...(user ? { user } : {}),
    ...(database ? { database } : {}),
    ...(password ? { password } : {}),
  };
  return {
    config,
    target: `${user ?? '(default user)'}@${host ?? '(default host)'}${port ? `:${port}` : ''}/${database ?? ''}`,
    redact: (text) => redactSecrets(text, password ? [password] : []),
  };
}

/** A database URL with its password replaced by `***`, for messages that must show it. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = REDACTED;
    const query = new URLSearchParams(parsed.search);
    if (query.has('password')) query.set('password', REDACTED);
    parsed.search = query.toString() ? `?${query.toString()}` : '';
    return parsed.toString().replace(encodeURIComponent(REDACTED), REDACTED);
  } catch {
    return '(not shown: it may hold a password)';
  }
}

function parseDatabaseUrl(url: string, field: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl(field, '(not shown: it may hold a password)', 'a database URL has the form postgres://user:password@host:port/database');
  }
  if (!POSTGRES_URL_SCHEMES.includes(parsed.protocol)) {
    throw invalidUrl(field, redactDatabaseUrl(url), 'a database URL starts with postgres:// or postgresql://');
  }
  const queryPassword = parsed.searchParams.get('password');
  if (queryPassword) parsed.password = queryPassword;
  return parsed;
}

function invalidUrl(field: string, value: string, rule: string): IonDestError {
  return new IonDestError('INVALID_INPUT', `Invalid ${field} ${JSON.stringify(value)}: ${rule}.`, {
    source: 'user',
    problems: [{ field, value, rule }],
  });
}

/** Replace every occurrence of each secret, longest first so a secret inside another one goes too. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const sorted = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length > 0))].sort((a, b) => b.length - a.length);
  return sorted.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
