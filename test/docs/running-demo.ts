import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitWords } from './markdown-blocks.js';

/**
 * `npx --no-install ion-dest demo --keep-running` as a reader runs it, and the folder the
 * docs' examples run in: the docs' world (see demo/docs-world.ts) and the one line that
 * points a shell at it.
 */

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The compiled program (`npm run build` writes the dist/ it runs). */
export const BIN = join(ROOT, 'bin', 'ion-dest.mjs');
/** How long the demo may take to build the world and print the export line. */
const START_TIMEOUT_MS = 300_000;
/** How long the demo may take to stop after Ctrl-C. */
const STOP_TIMEOUT_MS = 60_000;

/** Whose values are cleared from a child's environment: no identity, endpoint or database from this machine. */
export const MACHINE_VARIABLE = /^(AWS_|PG)|^DATABASE_URL$/;

/** This process's environment without any AWS, PostgreSQL or database variable. */
export function clearedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !MACHINE_VARIABLE.test(name)));
}

/** Make `dir` look like a project that installed ion-dest: `node_modules/.bin/ion-dest` is the repository's bin. */
export function installInto(dir: string): void {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(BIN, join(dir, 'node_modules', '.bin', 'ion-dest'));
}

export interface RunningDemo {
  /** The line as printed, leading whitespace removed: `export AWS_ENDPOINT_URL=… AWS_CONFIG_FILE=…`. */
  exportLine: string;
  /** The variables it sets, in order. */
  variables: [string, string][];
  /** Everything the demo printed so far (stdout and stderr, interleaved). */
  output(): string;
  /**
   * SIGINT to the demo program (the `node …/ion-dest demo` process under npx), as Ctrl-C
   * gives it; resolves with npx's exit code, which is the program's. (Sent to npx's whole
   * process group, as a terminal does, npm itself answers with 130 whatever the program returns.)
   */
  interrupt(): Promise<number | null>;
  /** SIGKILL the process group if it is still running (after a failed test). */
  kill(): void;
}

/** The process under `root` (itself included) whose command line runs `ion-dest demo`, not npm. */
function demoProcess(root: number): number | undefined {
  const ps = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const rows = ps.stdout.split('\n').map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m) => m !== null).map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) if (tree.has(r.ppid) && !tree.has(r.pid)) (tree.add(r.pid), (grew = true));
  }
  return rows.find((r) => tree.has(r.pid) && /^node\s.*ion-dest demo/.test(r.args))?.pid;
}

/** Start the demo in `dir` (with ion-dest installed there) and wait for its export line. */
export function startKeepRunningDemo(dir: string): Promise<RunningDemo> {
  const child: ChildProcess = spawn('npx', ['--no-install', 'ion-dest', 'demo', '--keep-running'], {
    cwd: dir,
    env: clearedEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that a failed test can kill npx, node and the emulator at once.
    detached: true,
  });
  let output = '';
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = code ?? (signal ? -1 : null);
      resolve(exited);
    }),
  );
  const kill = () => {
    if (exited === undefined && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`the demo printed no export line within ${START_TIMEOUT_MS / 1000} s:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (d: Buffer) => {
      output += d.toString();
      const line = output.split('\n').map((l) => l.trimStart()).find((l) => l.startsWith('export AWS_ENDPOINT_URL=') && output.includes(`${l}\n`));
      if (line === undefined) return;
      clearTimeout(timer);
      const variables = splitWords(line).slice(1).map((w): [string, string] => {
        const eq = w.indexOf('=');
        return [w.slice(0, eq), w.slice(eq + 1)];
      });
      resolve({
        exportLine: line,
        variables,
        output: () => output,
        async interrupt() {
          if (exited === undefined && child.pid !== undefined) {
            const pid = demoProcess(child.pid);
            if (pid === undefined) throw new Error(`no ion-dest demo process under npx (pid ${child.pid})`);
            process.kill(pid, 'SIGINT');
          }
          const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS).unref());
          const code = await Promise.race([exit, timeout]);
          if (code === 'timeout') {
            kill();
            throw new Error(`the demo did not stop within ${STOP_TIMEOUT_MS / 1000} s of Ctrl-C:\n${output}`);
          }
          return code;
        },
        kill,
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}) before printing its export line:\n${output}`));
    });
  });
}
