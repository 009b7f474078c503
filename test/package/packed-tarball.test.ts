import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands/index.js';
import { plannedSteps } from '../../demo/run-demo.js';
import type { DemoSummary } from '../../demo/summary.js';
import { ERROR_CODES } from '../../errors/index.js';
import { trustPolicy } from '../../policy/index.js';
import { expectCompleteRun } from '../demo/demo-helpers.js';

/**
 * The package as a user gets it: `npm pack` (its prepack script builds dist/), `npm install
 * <tarball>` into an empty folder outside the repository, then the installed `ion-dest`
 * program and the library, from a TypeScript consumer, with nothing of the clone in reach.
 * The pack runs in a copy of the clone: its prepack build empties and rewrites dist/, which
 * the test files running beside this one (the docs test, the demo) execute.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const TRACE_LOADS = join(ROOT, 'test', 'package', 'trace-loads.mjs');
/** Every page of docs/, as a path in the package. */
const DOCS_PAGES = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);
const TYPESCRIPT = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** Command names as typed (`policy <document>` is `policy`). */
const COMMAND_NAMES = COMMANDS.map((c) => String(c.command).split(' ')[0] as string);
/** What the start-up and `--help` must not load: AWS SDK clients, cdktf, the provider bindings, the PostgreSQL driver, the worker pool. */
const HEAVY = /@aws-sdk\/client-|\/node_modules\/cdktf\/|@cdktf\/provider-aws|\/node_modules\/pg\/|\/node_modules\/piscina\//;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a program; the environment loses npm's own variables (`npm test` sets them, and a
 * nested npm would take them as its configuration, the project's folder included).
 */
function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  const env = Object.fromEntries(Object.entries({ ...process.env, ...options.env }).filter(([name]) => !/^npm_/i.test(name)));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let work: string;
let app: string;
let installed: string;
let packedFiles: string[];

/** The installed `ion-dest` (node_modules/.bin), in the consumer's folder. */
function ionDest(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  return run(join(app, 'node_modules', '.bin', 'ion-dest'), args, { cwd: app, ...(env ? { env } : {}) });
}

/** The installed program under the load tracer: its result and every module it loaded. */
async function traced(args: readonly string[]): Promise<Run & { loaded: string[] }> {
  const file = join(work, `trace-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, '');
  const result = await run(process.execPath, ['--import', pathToFileURL(TRACE_LOADS).href, join(installed, 'bin', 'ion-dest.mjs'), ...args], {
    cwd: app,
    env: { ION_DEST_TRACE_FILE: file },
  });
  return { ...result, loaded: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
}

/** What the copy to pack leaves out: installed and built output, Git, caches, local state. */
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'cdktf.out', 'coverage', '.terraform', '.bench', '.scratch', '__pycache__']);

/** The clone's sources in `into`, with its installed node_modules linked in (the build needs TypeScript). */
function copyOfClone(into: string): string {
  cpSync(ROOT, into, { recursive: true, filter: (from) => relative(ROOT, from) === '' || !NOT_COPIED.has(basename(from)) });
  symlinkSync(join(ROOT, 'node_modules'), join(into, 'node_modules'), 'dir');
  return into;
}

/** When the clone's own dist/ was last built (its CLI's modification time), or null when it is not built. */
function builtAt(): number | null {
  const main = join(ROOT, 'dist', 'cli', 'main.js');
  return existsSync(main) ? statSync(main).mtimeMs : null;
}
let builtBefore: number | null;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ion-dest-package-'));
  builtBefore = builtAt();
  const source = copyOfClone(join(work, 'source'));
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: source });
  expect(packed.code, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[\n'))) as { filename: string; files: { path: string }[] }[];
  packedFiles = info!.files.map((f) => f.path);
  app = join(work, 'consumer');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'ion-dest-consumer', private: true, type: 'module' }));
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, info!.filename)], { cwd: app });
  expect(install.code, install.stderr).toBe(0);
  installed = join(app, 'node_modules', 'ion-dest');
}, 20 * 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball, installed into an empty folder', () => {
  it("is packed from a copy: the clone's own dist/, which the tests beside this one run, is left as it was", () => {
    expect(builtAt()).toBe(builtBefore);
  });

  it('ships the compiled code with its declarations, the templates, the emulator and the docs; no tests, benchmarks, CI or TypeScript sources', () => {
    for (const path of [
      'package.json',
      'README.md',
      'bin/ion-dest.mjs',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'dist/delivery/upload/digest-worker.mjs',
      'dist/emulator/moto_launcher.py',
      'dist/emulator/speed.py',
      'dist/emulator/fidelity/__init__.py',
      'emulator/README.md',
      'templates/ion-destination.cfn.yaml',
      'templates/terraform/main.tf.json',
      // The users' pages README.md links to.
      ...DOCS_PAGES,
    ]) {
      expect(packedFiles, path).toContain(path);
    }
    expect(DOCS_PAGES.length, 'docs/ holds the pages').toBeGreaterThan(0);
    expect(packedFiles.filter((p) => /^(test|bench|\.ci|scripts|node_modules)\//.test(p) || p.includes('__pycache__'))).toEqual([]);
    expect(packedFiles.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
    expect(packedFiles.filter((p) => /(^|\/)tsconfig|vitest\.config|cdktf\.json$/.test(p))).toEqual([]);
  });

  it("`ion-dest --version` prints the package's version", async () => {
    const result = await ionDest(['--version']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
  });

  it('`ion-dest --help` lists every command', async () => {
    const result = await ionDest(['--help']);
    expect(result.code, result.stderr).toBe(0);
    for (const name of COMMAND_NAMES) expect(result.stdout).toMatch(new RegExp(`ion-dest ${name}\\b`));
  });

  it('--version and every --help load no AWS SDK client, cdktf, provider bindings, PostgreSQL driver or worker pool', async () => {
    for (const args of [['--version'], ['--help'], ...COMMAND_NAMES.map((name) => [name, '--help'])]) {
      const result = await traced(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      // The trace works: it saw the program's own modules and yargs.
      expect(result.loaded.some((m) => m.endsWith('/dist/cli/main.js'))).toBe(true);
      expect(result.loaded.some((m) => m.includes('/node_modules/yargs/'))).toBe(true);
      expect(result.loaded.filter((m) => HEAVY.test(m)), args.join(' ')).toEqual([]);
    }
    // ...and it would see the SDK: `verify` with no flags loads the verifier before it rejects them.
    const verify = await traced(['verify']);
    expect(verify.code).toBe(2);
    expect(verify.loaded.some((m) => m.includes('@aws-sdk/client-sts'))).toBe(true);
  });

  it('`ion-dest demo` runs the whole job on the emulator inside the package, without loading cdktf', async () => {
    const result = await traced(['demo', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expectCompleteRun(JSON.parse(result.stdout) as DemoSummary, plannedSteps({ target: { kind: 'emulator', region: 'us-east-1' }, method: 'cloudformation', keepRunning: false }));
    const files = result.loaded.filter((m) => m.startsWith('file:')).map((m) => fileURLToPath(m));
    // Everything it ran came from the installed package and its dependencies, nothing from the clone.
    expect(files.filter((f) => !f.startsWith(app) && f !== TRACE_LOADS && !f.endsWith('trace-hooks.mjs'))).toEqual([]);
    expect(files).toContain(join(installed, 'dist', 'emulator', 'emulator.js'));
    expect(result.loaded.filter((m) => /\/node_modules\/cdktf\/|@cdktf\/provider-aws/.test(m))).toEqual([]);
  });

  it("the demo's cdktf app is the compiled JavaScript of the package, and synthesizes the stack with node alone", async () => {
    const deployCdktf = pathToFileURL(join(installed, 'dist', 'demo', 'steps', 'deploy-cdktf.js')).href;
    const asked = await run(process.execPath, ['-e', `import(${JSON.stringify(deployCdktf)}).then((m) => console.log(JSON.stringify(m.cdktfAppCommand())))`], { cwd: app });
    expect(asked.code, asked.stderr).toBe(0);
    const command = JSON.parse(asked.stdout) as string[];
    expect(command).toEqual([process.execPath, join(installed, 'dist', 'stacks', 'cdktf', 'main.js')]);
    const outdir = join(work, 'cdktf.out');
    const synth = await run(command[0]!, command.slice(1), {
      cwd: app,
      env: { CDKTF_OUTDIR: outdir, ION_DEST_TRUSTED_ACCOUNT_ID: '111122223333', ION_DEST_EXTERNAL_ID: 'ion-acme-7f3a9c' },
    });
    expect(synth.code, synth.stdout + synth.stderr).toBe(0);
    const stacks = readdirSync(join(outdir, 'stacks'));
    expect(stacks).toHaveLength(1);
    expect(existsSync(join(outdir, 'stacks', stacks[0]!, 'cdk.tf.json'))).toBe(true);
  });

  it('the library imports, type-checks and runs in a TypeScript consumer; only its entry point is reachable', async () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      `import {
  auditDestination,
  buildQuickCreateUrl,
  cleanupUploads,
  deliverSnapshot,
  ERROR_CODES,
  IonDestError,
  isIonDestError,
  permissionPolicy,
  renderCloudFormationTemplate,
  renderTerraformTemplate,
  TROUBLESHOOTING,
  trustPolicy,
  verifyDestination,
  verifyFleet,
  type DeliveryReport,
  type ErrorCode,
  type PolicyDocument,
  type VerificationReport,
} from 'ion-dest';

const trust: PolicyDocument = trustPolicy({ trustedAccountId: '111122223333', externalIds: ['ion-acme-7f3a9c'] });
const permissions: PolicyDocument = permissionPolicy({ bucket: 'acme-ion-snapshots' });
let code: ErrorCode | undefined;
try {
  trustPolicy({ trustedAccountId: 'not-an-account', externalIds: ['ion-acme-7f3a9c'] });
} catch (error) {
  if (error instanceof IonDestError && isIonDestError(error)) code = error.code;
}
const passed = (report: VerificationReport | DeliveryReport): boolean => ('ok' in report ? report.ok : report.objects.length > 0);
let internal = 'reachable';
try {
  await import('ion-dest/dist/cli/main.js' as string);
} catch (error) {
  internal = (error as { code?: string }).code ?? String(error);
}
console.log(
  JSON.stringify({
    trust,
    permissions,
    code,
    fix: code ? TROUBLESHOOTING[code].fix.length > 0 : false,
    codes: ERROR_CODES.length,
    functions: [verifyDestination, auditDestination, verifyFleet, deliverSnapshot, cleanupUploads, buildQuickCreateUrl, passed].map((f) => typeof f),
    cloudFormation: renderCloudFormationTemplate(),
    terraform: await renderTerraformTemplate(),
    internal,
  }),
);
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, types: ['node'], outDir: 'out' },
        files: ['consumer.ts'],
      }),
    );
    const compiled = await run(process.execPath, [TYPESCRIPT, '-p', 'tsconfig.json'], { cwd: app });
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);

    const result = await run(process.execPath, [join(app, 'out', 'consumer.js')], { cwd: app });
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(out.trust).toEqual(trustPolicy({ trustedAccountId: '111122223333', externalIds: ['ion-acme-7f3a9c'] }));
    expect(out).toMatchObject({ code: 'INVALID_INPUT', fix: true, codes: ERROR_CODES.length, internal: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
    expect(out.functions).toEqual(Array(7).fill('function'));
    // The generators give what templates/ holds (generated from the same sources).
    expect(out.cloudFormation).toBe(readFileSync(join(ROOT, 'templates', 'ion-destination.cfn.yaml'), 'utf8'));
    expect(out.terraform).toBe(readFileSync(join(ROOT, 'templates', 'terraform', 'main.tf.json'), 'utf8'));
  });
});
