import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/**
 * A throwaway PostgreSQL server for one test file: `initdb` in a fresh temporary
 * folder, the server on a free loopback port, stopped and the folder removed by
 * `stop()` (and on process exit, should a test run die first).
 */

/** The unprivileged system user the server runs as when tests run as root (postgres refuses root). */
export const POSTGRES_SYSTEM_USER = 'postgres';
/** The superuser the harness creates; it logs in over TCP with a password (scram-sha-256). */
export const POSTGRES_SUPERUSER = 'ion_test';
/** How long the server may take to accept connections (pg_ctl -w waits this long). */
const STARTUP_TIMEOUT_S = 60;
/** Ports tried before giving up, when another server takes the one found free first. */
const PORT_ATTEMPTS = 3;

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** `postgres://user:password@127.0.0.1:port/database` */
  readonly url: string;
  /** Environment for libpq tools (psql): PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE. */
  readonly env: Record<string, string>;
  /** Run SQL through psql (stops on the first error) and return its output. */
  psql(sql: string): string;
  stop(): Promise<void>;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The command and arguments that run `command` as the unprivileged user when we are root. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', POSTGRES_SYSTEM_USER, '--', command, ...args]] : [command, args];
}

function runChecked(command: string, args: string[], what: string): string {
  const [cmd, argv] = asServerUser(command, args);
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: STARTUP_TIMEOUT_S * 1000 });
  if (r.status !== 0) {
    throw new Error(`${what} failed (${cmd} ${argv.join(' ')}, exit ${r.status ?? r.signal}):\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`);
  }
  return r.stdout;
}

function systemUserIds(name: string): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(`the system user "${name}" does not exist; PostgreSQL refuses to run as root, so create it (useradd --system ${name}) or run the tests as a non-root user`);
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Start a PostgreSQL server on loopback in a temporary folder; resolves when it accepts connections. */
export async function startPostgres(): Promise<PostgresServer> {
  const root = mkdtempSync(join(tmpdir(), 'ion-dest-pg-'));
  const dataDir = join(root, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  const pwFile = join(root, 'pwfile');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (isRoot()) {
    const { uid, gid } = systemUserIds(POSTGRES_SYSTEM_USER);
    chownSync(root, uid, gid);
    chownSync(pwFile, uid, gid);
    const reach = spawnSync('runuser', ['-u', POSTGRES_SYSTEM_USER, '--', 'test', '-w', root]);
    if (reach.status !== 0) {
      rmSync(root, { recursive: true, force: true });
      throw new Error(`the "${POSTGRES_SYSTEM_USER}" user cannot reach the temporary folder ${root} (a parent folder is closed to it); point TMPDIR at a folder every user can traverse, such as the system temp folder`);
    }
  }

  let started = false;
  const stopNow = () => {
    if (started) {
      const [cmd, argv] = asServerUser('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
      spawnSync(cmd, argv, { stdio: 'ignore', timeout: 30_000 });
      started = false;
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', stopNow);

  try {
    runChecked(
      'initdb',
      ['-D', dataDir, '-U', POSTGRES_SUPERUSER, `--pwfile=${pwFile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      'initdb',
    );
    const serverLog = join(root, 'server.log');
    let port: number;
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      const serverOptions = [
        `-p ${port}`,
        "-c listen_addresses='127.0.0.1'",
        `-c unix_socket_directories='${root}'`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=50',
      ].join(' ');
      try {
        runChecked('pg_ctl', ['start', '-D', dataDir, '-w', '-t', String(STARTUP_TIMEOUT_S), '-l', serverLog, '-o', serverOptions], 'pg_ctl start');
        break;
      } catch (error) {
        // PostgreSQL takes no port 0, so the port is found free first; another server may
        // bind it before this one does. Then the server exits at once: try another port.
        const log = existsSync(serverLog) ? readFileSync(serverLog, 'utf8') : '';
        if (attempt >= PORT_ATTEMPTS || !log.includes('Address already in use')) throw error;
      }
    }
    started = true;

    const host = '127.0.0.1';
    const database = 'postgres';
    const env = { PGHOST: host, PGPORT: String(port), PGUSER: POSTGRES_SUPERUSER, PGPASSWORD: password, PGDATABASE: database };
    return {
      host,
      port,
      user: POSTGRES_SUPERUSER,
      password,
      database,
      url: `postgres://${POSTGRES_SUPERUSER}:${encodeURIComponent(password)}@${host}:${port}/${database}`,
      env,
      psql(sql: string): string {
        const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At'], {
          input: sql,
          encoding: 'utf8',
          env: { ...process.env, ...env },
          timeout: 120_000,
          maxBuffer: 64 * 1024 * 1024,
        });
        if (r.status !== 0) throw new Error(`psql failed (exit ${r.status ?? r.signal}): ${r.stderr}`);
        return r.stdout;
      },
      async stop() {
        process.removeListener('exit', stopNow);
        if (started) {
          const [cmd, argv] = asServerUser('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w']);
          await new Promise<void>((resolve) => {
            const child = spawn(cmd, argv, { stdio: 'ignore' });
            child.on('exit', () => resolve());
            child.on('error', () => resolve());
          });
          started = false;
        }
        stopNow();
      },
    };
  } catch (error) {
    process.removeListener('exit', stopNow);
    stopNow();
    throw error;
  }
}
