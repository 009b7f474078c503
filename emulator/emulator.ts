import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const LAUNCHER = join(HERE, 'moto_launcher.py');
const MOTO_VERSION_CHECK = join(HERE, 'moto_version.py');

/** How long moto may take to answer its first request. */
const STARTUP_TIMEOUT_MS = 30_000;
/** What moto_launcher.py prints once its socket is bound (it is started with port 0: the system picks one). */
const PORT_LINE = /^ion-dest emulator listening on port (\d+)$/m;
/** Credentials for the emulator's default identity; moto accepts any while auth is off. */
export const EMULATOR_ROOT_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;
/** moto's account when a request names none. */
export const EMULATOR_DEFAULT_ACCOUNT = '123456789012';

/**
 * Environment variable (pass it through `env`) that caps every AssumeRole session the
 * emulator issues at N seconds, so a test can outlive several sessions. A test device:
 * AWS never issues a session shorter than 900 s. See README.md, "Session expiry".
 */
export const MAX_SESSION_SECONDS_ENV = 'ION_DEST_EMULATOR_MAX_SESSION_SECONDS';

export interface EmulatorOptions {
  /** Apply the fidelity and speed layers (default true). Off only to demonstrate moto's own behaviour. */
  fidelity?: boolean;
  /** Extra environment for the server (for example the fidelity layer's session lifetime cap). */
  env?: Record<string, string>;
}

export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** The server's process ID (benchmarks read its CPU time). */
  readonly pid: number;
  /** Turn IAM enforcement on from now on (create identities first). */
  enableAuth(): Promise<void>;
  /** Clear all state. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** The Python interpreter that has moto: ION_DEST_PYTHON, else python3. */
export function pythonExecutable(): string {
  return process.env.ION_DEST_PYTHON ?? 'python3';
}

/**
 * Whether the emulator's Python has the moto version the fidelity and speed layers were
 * tested with (pinned in requirements.txt; the launcher refuses any other): undefined when
 * it has, else the problem and what to install.
 */
export function motoVersionProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const r = spawnSync(pythonExecutable(), [MOTO_VERSION_CHECK], { env, encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `could not run ${pythonExecutable()} (set ION_DEST_PYTHON to the Python that has moto): ${r.error.message}`;
  return r.status === 0 ? undefined : `${r.stderr}${r.stdout}`.trim();
}

/** The port the launcher bound, once it has printed the line that names it. */
async function waitUntilBound(child: ChildProcess, boundPort: () => number | undefined, output: () => string, deadline: number): Promise<number> {
  while (Date.now() < deadline) {
    const port = boundPort();
    if (port !== undefined) return port;
    if (child.exitCode !== null) {
      throw new Error(`moto exited with code ${child.exitCode} before answering:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`moto did not start listening within ${STARTUP_TIMEOUT_MS} ms:\n${output()}`);
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto exited with code ${child.exitCode} before answering:\n${output()}`);
    }
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto did not answer at ${url} within ${STARTUP_TIMEOUT_MS} ms:\n${output()}`);
}

/**
 * Start moto's server (with the fidelity layer) on a loopback port the system picks as
 * the server binds it, and wait until it answers. (A port found free beforehand could be
 * taken by another server before moto binds it; this emulator would then fail to start
 * while the other one answered in its place.) Call `stop()` when done; the process is
 * also killed when this process exits.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const args = [LAUNCHER, ...(options.fidelity === false ? ['--no-fidelity'] : []), '-H', '127.0.0.1', '-p', '0'];
  const child = spawn(pythonExecutable(), args, {
    env: { ...process.env, ...options.env, PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  // stdout up to the port line, then the port it names.
  let head = '';
  let boundPort: number | undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    keep(chunk);
    if (boundPort !== undefined) return;
    head += chunk.toString();
    const line = PORT_LINE.exec(head);
    if (line) boundPort = Number(line[1]);
  });
  child.stderr?.on('data', keep);
  // A missing interpreter is an 'error' event instead of 'spawn'.
  const started = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) =>
      reject(new Error(`could not run ${pythonExecutable()} (set ION_DEST_PYTHON to the Python that has moto): ${error.message}`)),
    );
  });
  // Never signal a child that did not start: its handle's pid is 0, and kill(0) would hit our own process group.
  const killChild = (signal: NodeJS.Signals) => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const killOnExit = () => killChild('SIGKILL');
  process.once('exit', killOnExit);

  let port: number;
  let url: string;
  try {
    await started;
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    port = await waitUntilBound(child, () => boundPort, () => log, deadline);
    url = `http://127.0.0.1:${port}`;
    await waitUntilUp(url, child, () => log, deadline);
  } catch (error) {
    killChild('SIGKILL');
    process.removeListener('exit', killOnExit);
    throw error;
  }

  return {
    url,
    port,
    pid: child.pid as number,
    async enableAuth() {
      const res = await fetch(`${url}/moto-api/reset-auth`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '0',
      });
      if (!res.ok) throw new Error(`moto reset-auth failed: HTTP ${res.status}`);
    },
    async reset() {
      const res = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null) return;
      killChild('SIGTERM');
      const timer = setTimeout(() => killChild('SIGKILL'), 3_000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
}
