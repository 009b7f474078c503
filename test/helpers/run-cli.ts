import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The program from the sources (tsx); the compiled bin is tested from the packed tarball (test/package/). */
const ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'cli-from-source.ts');

/** Node's arguments that start `ion-dest` from the sources: `spawn(process.execPath, [...CLI_FROM_SOURCE, ...args])`. */
export const CLI_FROM_SOURCE: readonly string[] = [
  '--import',
  // By location: `--import tsx` would be looked up from the child's working directory.
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
  ENTRY,
];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables through which this process's own AWS identity and endpoint would reach a child. */
const AMBIENT_AWS_VARIABLES = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

/**
 * This process's environment with its AWS identity replaced by `credentials` (none: no keys at
 * all) and no instance metadata, so a child signs as that one test identity and nothing else.
 */
export function identityEnv(credentials: { accessKeyId: string; secretAccessKey: string } | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' };
  for (const name of AMBIENT_AWS_VARIABLES) delete env[name];
  if (credentials) {
    env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  }
  return Object.assign(env, extra);
}

/** Run the real `ion-dest` program (from its sources) in a child process, as a user would. */
export function runCli(
  args: readonly string[],
  options: {
    /** Added to this process's environment. */
    env?: NodeJS.ProcessEnv;
    /** The child's whole environment instead (e.g. identityEnv(...)). */
    exactEnv?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    /** Working directory (default: this process's). */
    cwd?: string;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_FROM_SOURCE, ...args], {
      env: options.exactEnv ?? { ...process.env, ...options.env },
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
