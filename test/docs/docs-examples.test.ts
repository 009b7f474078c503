import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandPath,
  extractCommands,
  flagsOf,
  ionDestPrefixLength,
  optionalVariants,
  parseFencedBlocks,
  splitWords,
  type DocCommand,
  type FencedBlock,
} from './markdown-blocks.js';
import { HELP_MARK } from './print-help.js';
import { outputDifferences } from './readme-output.js';
import { DOCS_DATABASE, startDocsDatabase, type DocsDatabase } from './docs-database.js';
import { BIN, ROOT, clearedEnv, installInto, startKeepRunningDemo, type RunningDemo } from './running-demo.js';

/**
 * Every example in README.md and docs/*.md is run verbatim, as a reader would, so the docs
 * cannot rot. The conventions (which blocks hold commands, the markers) are in
 * markdown-blocks.ts and docs/contributing.md.
 *
 * - The test starts `npx --no-install ion-dest demo --keep-running` (the compiled program:
 *   run `npm run build` first; `npm test` does) and waits for the one line it prints that
 *   starts with `export AWS_ENDPOINT_URL=`. Nothing else is read from the demo.
 * - Pages run in the reader's order: README.md, then the docs pages in the order README.md
 *   first links them, blocks in page order, all in ONE working directory where
 *   `node_modules/.bin/ion-dest` is the repository's bin (as if the package were installed).
 * - Each command runs with `bash` as `<export line>` then the command exactly as written
 *   (here-document included), in an environment with no AWS_*, PG* or DATABASE_URL of this
 *   machine. `cd` and `export` hold for the rest of their block. The exit code must be the
 *   block's `expect-exit` (default 0) and the shown output must match (readme-output.ts).
 * - `<!-- needs: postgres -->`: the test starts a PostgreSQL server with the docs' database
 *   (docs-database.ts), points `db.internal:5432` in the command at it and sets PGPASSWORD.
 * - Not run, checked instead: `<!-- real-aws -->` blocks (ion-dest flags against `--help`,
 *   other programs by their rule below), `ion-dest demo` itself (this test runs the
 *   keep-running demo; test/demo/ runs the others: the README's main job must be one of
 *   theirs), and programs that cannot run here (npm ci/test/run, terraform, cdktf, files
 *   outside the working directory), checked against package.json, .ci/run, the tools' help
 *   and the Terraform module. A command with no rule fails the test.
 * - At the end the demo gets Ctrl-C: it must exit 0 and remove the folders the export line names.
 */

/** The pages, README.md first, then docs/*.md in the order README.md links them. */
function docsPages(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const linked = [...readme.matchAll(/\]\(\.?\/?(docs\/[\w.-]+\.md)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
  return ['README.md', ...new Set(linked)];
}

const PAGES = docsPages();
const TEXT = new Map(PAGES.map((page) => [page, readFileSync(join(ROOT, page), 'utf8')]));
const BLOCKS = PAGES.flatMap((page) => parseFencedBlocks(TEXT.get(page)!, page));
const COMMANDS = BLOCKS.flatMap(extractCommands);
const ALL_TEXT = [...TEXT.values()].join('\n');

/** Environment prefixes a docs command may carry. */
const KNOWN_ENV_PREFIXES: readonly string[] = ['AWS_PROFILE', 'DATABASE_URL', 'ION_DEST_BENCH_BIN'];
/** Shell commands that run in the working directory as written (what they touch is checked by the run). */
const RUN_SHELL: readonly string[] = ['mkdir', 'printf', 'cd', 'export', 'echo', 'ls', 'cat'];
/** How long one command may take. */
const COMMAND_TIMEOUT_MS = 120_000;

const TERRAFORM = JSON.parse(readFileSync(join(ROOT, 'templates', 'terraform', 'main.tf.json'), 'utf8')) as {
  variable: Record<string, unknown>;
  output: Record<string, unknown>;
  resource: Record<string, Record<string, unknown>>;
};
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

function where(command: DocCommand): string {
  return `${command.block.page} line ${command.block.line}: ${command.text}`;
}

function isIonDest(command: DocCommand): boolean {
  return ionDestPrefixLength(command.argv) > 0;
}

/** The `ion-dest` arguments of a command (its prefix removed). */
function ionDestArgs(argv: readonly string[]): string[] {
  return argv.slice(ionDestPrefixLength(argv));
}

const isRealAws = (block: FencedBlock) => 'real-aws' in block.markers;
const needsPostgres = (block: FencedBlock) => block.markers.needs === 'postgres';

/** A `cat > FILE` or `printf … > FILE` whose file is outside the working directory (`$HOME/…`, `/…`). */
function writesOutside(command: DocCommand): boolean {
  const i = command.argv.indexOf('>');
  const target = i >= 0 ? command.argv[i + 1] ?? '' : '';
  return target.includes('$') || target.includes('~') || isAbsolute(target) || target.split('/').includes('..');
}

/** How the test treats a command: run it against the demo, or check it (and why). */
function treatment(command: DocCommand): { run: true } | { run: false; why: string } {
  if (isRealAws(command.block)) return { run: false, why: 'real AWS' };
  if (isIonDest(command)) return ionDestArgs(command.argv)[0] === 'demo' ? { run: false, why: 'the demo (run by test/demo/)' } : { run: true };
  const program = command.argv[0]!;
  if (RUN_SHELL.includes(program)) {
    if (writesOutside(command)) return { run: false, why: 'writes outside the working directory' };
    if (program === 'cat' && command.argv[1] === '>' && command.heredoc === undefined) return { run: false, why: 'cat > without a here-document' };
    return { run: true };
  }
  return { run: false, why: 'cannot run here' };
}

/**
 * `ion-dest <path> --help` for each command path, all from one process
 * (test/docs/print-help.ts), keyed by the path joined with spaces.
 */
function ionDestHelps(paths: readonly string[][]): Map<string, string> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'docs', 'print-help.ts'), JSON.stringify(paths)], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`print-help.ts exited ${r.status ?? r.signal}: ${r.stderr}`);
  const helps = new Map<string, string>();
  for (const section of r.stdout.split(`\n${HELP_MARK}`).slice(1)) {
    const newline = section.indexOf('\n');
    helps.set(section.slice(0, newline), section.slice(newline + 1));
  }
  return helps;
}

function flagsInHelp(help: string): Set<string> {
  return new Set([...help.matchAll(/^\s+(?:-\w, )?--([a-z0-9-]+)/gm)].map((m) => m[1]!));
}

/** Flags of `args` that `ion-dest <command> --help` does not list (`--no-x` counts as `--x`). */
function unknownIonDestFlags(helps: Map<string, string>, args: readonly string[]): string[] {
  const help = helps.get(commandPath(args).join(' '));
  if (help === undefined || /^exit \d+$/m.test(help)) return [`(ion-dest ${commandPath(args).join(' ')} --help failed)`];
  const known = flagsInHelp(help);
  return flagsOf(args).filter((f) => !known.has(f) && !(f.startsWith('no-') && known.has(f.slice(3))));
}

function toolOutput(command: string, args: string[], cwd = ROOT): string {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new Error(`${command} ${args.join(' ')} could not run: ${r.error.message}`);
  return `${r.stdout}${r.stderr}`;
}

/** Inline code spans of the pages outside fenced blocks. */
function inlineSpans(): string[] {
  const outside = ALL_TEXT.replace(/^(\s*)(`{3,})[\s\S]*?^\s*\2\s*$/gm, '');
  return [...outside.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
}

/** Words of the `.ci/run` script that run npm. */
function ciNpmCommands(): string[] {
  return readFileSync(join(ROOT, '.ci', 'run'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^npm\s/.test(l));
}

/** The argv lists test/demo/*.test.ts passes to the CLI (`runCli([...])`, `startCli([...])`). */
function demoTestArgvs(): string[][] {
  const dir = join(ROOT, 'test', 'demo');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/(?:runCli|startCli)\(\s*\[([^\]]*)\]/g)])
    .map((m) => [...m[1]!.matchAll(/'([^']*)'/g)].map((w) => w[1]!));
}

// ---------------------------------------------------------------------------
// Checks of commands that are not run, and extra checks of some that are.

type Check = (command: DocCommand) => Promise<void> | void;

/** Each tool's help, asked once. */
const toolHelp = (() => {
  const cache = new Map<string, string>();
  return (command: string, args: string[]): string => {
    const key = [command, ...args].join(' ');
    if (!cache.has(key)) cache.set(key, toolOutput(command, args));
    return cache.get(key)!;
  };
})();
const terraformSubcommands = () => new Set([...toolHelp('terraform', ['-help']).matchAll(/^\s{2}([a-z-]+)\s{2,}/gm)].map((m) => m[1]!));
const cdktfSubcommands = () => new Set([...toolHelp('npx', ['--no-install', 'cdktf', '--help']).matchAll(/^\s+cdktf ([a-z-]+)/gm)].map((m) => m[1]!));

/** What each non-`ion-dest` program in the docs is checked against (run or not). */
const OTHER_CHECKS: Record<string, Check> = {
  'npm ci': () => {
    expect(existsSync(join(ROOT, 'package-lock.json')), 'npm ci needs package-lock.json').toBe(true);
  },
  'npm test': (command) => {
    // CI runs exactly the README's test command.
    expect(ciNpmCommands(), `.ci/run must run the docs' "${command.chain}"`).toEqual(command.chain.split('&&').map((p) => p.trim()));
  },
  'npm run': (command) => {
    expect(Object.keys(PACKAGE.scripts), where(command)).toContain(command.argv[2]);
  },
  terraform: (command) => {
    const sub = command.argv[1]!;
    expect([...terraformSubcommands()], where(command)).toContain(sub);
    for (const word of command.argv.slice(2)) {
      if (word === '-var') continue;
      const variable = /^(\w+)=/.exec(word);
      const varFile = /^-var-file=([\w.-]+)$/.exec(word);
      if (variable && command.argv[command.argv.indexOf(word) - 1] === '-var') {
        expect(Object.keys(TERRAFORM.variable), where(command)).toContain(variable[1]);
      } else if (varFile) {
        expect(ALL_TEXT, `${where(command)}: an example writes ${varFile[1]}`).toContain(`cat > ${varFile[1]}`);
      } else {
        throw new Error(`${where(command)}: no rule for the terraform argument ${word}`);
      }
    }
  },
  cdktf: (command) => {
    expect(existsSync(join(ROOT, 'cdktf.json')), 'cdktf.json').toBe(true);
    const sub = command.argv[3]!;
    expect([...cdktfSubcommands()], where(command)).toContain(sub);
    const help = toolHelp('npx', ['--no-install', 'cdktf', sub, '--help']);
    for (const flag of flagsOf(command.argv.slice(4))) expect(help, where(command)).toContain(`--${flag}`);
  },
  cp: (command) => {
    expect(existsSync(join(ROOT, command.argv.filter((w) => !w.startsWith('-'))[1]!)), `${where(command)}: ${command.argv[1]} is not in the repository`).toBe(true);
  },
  '.': (command) => {
    expect(existsSync(join(ROOT, command.argv[1]!)), `${where(command)}: ${command.argv[1]} is not in the repository`).toBe(true);
  },
  cat: (command) => {
    if (command.argv[1] !== '>') return; // reading a file: the run shows it is there
    expect(command.heredoc, `${where(command)}: cat > FILE needs a here-document`).toBeDefined();
    const target = command.argv[2]!;
    if (target.endsWith('.tfvars.json')) {
      // The same file serves cdktf and `terraform apply -var-file=`: every key is a Terraform variable.
      const values = JSON.parse(command.heredoc!) as Record<string, unknown>;
      for (const key of Object.keys(values)) expect(Object.keys(TERRAFORM.variable), where(command)).toContain(key);
    } else if (target.endsWith('.terraformrc')) {
      // A Terraform CLI config naming the mirror that scripts/dev-env.sh exports.
      const variables = [...command.heredoc!.matchAll(/\$(\w+)/g)].map((m) => m[1]!);
      const devEnv = readFileSync(join(ROOT, 'scripts', 'dev-env.sh'), 'utf8');
      expect(variables.length, where(command)).toBeGreaterThan(0);
      for (const v of variables) expect(devEnv, `${where(command)}: $${v}`).toMatch(new RegExp(`export ${v}\\b`));
      expect(command.heredoc, where(command)).toMatch(/provider_installation\s*\{[\s\S]*filesystem_mirror/);
    } else if (writesOutside(command)) {
      throw new Error(`${where(command)}: no rule for a file named ${target} outside the working directory`);
    }
  },
  export: (command) => {
    const [name, value] = command.argv[1]!.split('=');
    if (name === 'TF_CLI_CONFIG_FILE') expect(command.block.body.join('\n'), `${where(command)}: export a file the block writes`).toContain(`cat > "${value}"`);
  },
  mkdir: () => undefined,
  printf: () => undefined,
  cd: () => undefined,
  echo: () => undefined,
  ls: () => undefined,
};

function otherCheckOf(command: DocCommand): Check | undefined {
  const [a, b, c] = command.argv;
  if (a === 'npm' && b === 'run') return OTHER_CHECKS['npm run'];
  if (a === 'npm') return OTHER_CHECKS[`npm ${b}`];
  if (a === 'npx' && b === '--no-install' && c === 'cdktf') return OTHER_CHECKS.cdktf;
  return OTHER_CHECKS[a!];
}

// ---------------------------------------------------------------------------
// Running a command.

interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The text of each `[optional]` variant of a command: none of the parts, then all of them. */
function variantTexts(command: DocCommand): string[] {
  if (!isIonDest(command) || optionalVariants(command.argv).length === 1) return [command.text];
  return [command.text.replace(/\s*\[[^\]]*\]/g, ''), command.text.replace(/\[([^\]]*)\]/g, '$1')];
}

interface Harness {
  demo: RunningDemo;
  workDir: string;
  database?: DocsDatabase;
  publishedUrls: Set<string>;
}

/** Run one page's commands in order; return what went wrong, one entry per command. */
async function runPage(h: Harness, page: string): Promise<string[]> {
  const failures: string[] = [];
  for (const block of BLOCKS.filter((b) => b.page === page)) {
    // `cd` and `export` hold for the rest of their block, as in the reader's shell.
    const blockState: string[] = [];
    for (const command of extractCommands(block)) {
      const how = treatment(command);
      if (!how.run) continue;
      const unknownEnv = Object.keys(command.env).filter((name) => !KNOWN_ENV_PREFIXES.includes(name));
      if (unknownEnv.length > 0) {
        failures.push(`${where(command)}\n  no rule for the environment prefix ${unknownEnv.join(', ')}`);
        continue;
      }
      const lines = [h.demo.exportLine, ...blockState];
      if (needsPostgres(block)) {
        if (!h.database) throw new Error('the PostgreSQL server did not start');
        lines.push(`export PGPASSWORD='${h.database.password}'`);
      } else if (command.env.DATABASE_URL !== undefined) {
        failures.push(`${where(command)}\n  names a database: mark its block <!-- needs: postgres -->`);
        continue;
      }
      for (const text of variantTexts(command)) {
        let run = text;
        if (needsPostgres(block)) {
          const { exampleHost } = DOCS_DATABASE;
          if (!run.includes(`@${exampleHost}/`)) {
            failures.push(`${where(command)}\n  a <!-- needs: postgres --> example names the database postgres://${DOCS_DATABASE.user}@${exampleHost}/${DOCS_DATABASE.name}`);
            continue;
          }
          // The one value the test maps: the docs' database host, to the server it started.
          run = run.replaceAll(exampleHost, `${h.database!.postgres.host}:${h.database!.postgres.port}`);
        }
        const script = [...lines, command.heredoc === undefined ? run : `${run}\n${command.heredoc}\n${command.heredocEnd}`, ''].join('\n');
        const result = await bash(script, h.workDir, clearedEnv());
        const expected = Number(block.markers['expect-exit'] ?? 0);
        const label = `${where(command)}${text === command.text ? '' : ` (as: ${text})`}`;
        if (result.code !== expected) {
          failures.push(`${label}\n  exit ${result.code}, the docs expect ${expected}\n  ${(result.stderr || result.stdout).trim().split('\n').slice(-8).join('\n  ')}`);
          continue;
        }
        if (isIonDest(command) && ionDestArgs(command.argv)[0] === 'publish-template') h.publishedUrls.add(result.stdout.trim());
        if (command.shownOutput) {
          const differences = outputDifferences(command.shownOutput, `${result.stdout}\n${result.stderr}`);
          if (differences.length > 0) failures.push(`${label}\n  ${differences.join('\n  ')}`);
        }
      }
      if (command.argv[0] === 'cd' || command.argv[0] === 'export') blockState.push(command.text);
    }
  }
  return failures;
}

/** How long a page may take: its commands that run (each variant), generously. */
function pageTimeoutMs(page: string): number {
  const runs = COMMANDS.filter((c) => c.block.page === page && treatment(c).run).reduce((n, c) => n + variantTexts(c).length, 0);
  return 60_000 + runs * 90_000;
}

// ---------------------------------------------------------------------------

describe('the docs\' commands', () => {
  it('finds the fenced commands wherever they are, and every one has a rule', () => {
    expect(COMMANDS.length).toBeGreaterThan(20);
    const unknown = COMMANDS.filter((c) => !isIonDest(c) && otherCheckOf(c) === undefined).map(where);
    expect(unknown, 'commands the harness does not know how to run or check').toEqual([]);
    // A command in a text block must be a `$ ` line of a transcript, not a bare line nobody checks.
    const bare = BLOCKS.filter((b) => !['bash', 'sh', 'shell'].includes(b.lang)).flatMap((b) =>
      b.body.filter((l) => /^(npx --no-install |ion-dest [a-z-]+(\s|$)|npm (ci|test|run)\b|terraform [a-z]+(\s|$)|cdktf )/.test(l)).map((l) => `${b.page} line ${b.line}: ${l}`),
    );
    expect(bare, 'commands outside bash blocks need a "$ " prompt').toEqual([]);
  });

  it('README.md links every docs page', () => {
    const dir = join(ROOT, 'docs');
    const pages = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : [];
    expect(pages.filter((p) => !PAGES.includes(p)), 'docs pages README.md does not link').toEqual([]);
  });

  it('every flag shown for ion-dest, fenced or inline, is in that command\'s --help', () => {
    const inline = inlineSpans()
      .filter((s) => /^(npx --no-install )?ion-dest [a-z]/.test(s))
      .map((s) => splitWords(s.replace(/<[^>]*>/g, 'X')));
    const argvs = [...COMMANDS.filter(isIonDest).map((c) => c.argv), ...inline];
    const problems: string[] = [];
    const paths = [...new Map(argvs.flatMap(optionalVariants).map((v) => commandPath(ionDestArgs(v))).map((p) => [p.join(' '), p])).values()];
    const helps = ionDestHelps(paths);
    for (const argv of argvs) {
      for (const variant of optionalVariants(argv)) {
        const unknown = unknownIonDestFlags(helps, ionDestArgs(variant));
        if (unknown.length > 0) problems.push(`${argv.join(' ')}: unknown ${unknown.map((f) => `--${f}`).join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('npm scripts, Terraform variables and targets named anywhere in the docs exist', () => {
    const text = inlineSpans().join('\n');
    const scripts = [...text.matchAll(/npm run ([a-z][\w:.-]*)/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(Object.keys(PACKAGE.scripts), `npm run ${s}`).toContain(s);
    // `--var name=value` is cdktf's own flag, with a placeholder.
    for (const m of ALL_TEXT.matchAll(/(?<![-\w])-var ([a-z_]+)=/g)) expect(Object.keys(TERRAFORM.variable), m[0]).toContain(m[1]);
    for (const m of ALL_TEXT.matchAll(/-target=(\w+)\.(\w+)/g)) expect(Object.keys(TERRAFORM.resource[m[1]!] ?? {}), m[0]).toContain(m[2]);
    for (const m of ALL_TEXT.matchAll(/-var-file=([\w.-]+)/g)) expect(ALL_TEXT, m[0]).toContain(`cat > ${m[1]}`);
  });

  it('the main job in the README is the command the demo test runs', () => {
    const mainJobs = COMMANDS.filter((c) => isIonDest(c) && ionDestArgs(c.argv)[0] === 'demo' && c.chain.startsWith('npm ci &&'));
    expect(mainJobs.length, 'the README shows `npm ci && … npx --no-install ion-dest demo`').toBeGreaterThan(0);
    const tested = demoTestArgvs().map((a) => a.filter((w) => w !== '--json').join(' '));
    for (const job of mainJobs) expect(tested, where(job)).toContain(ionDestArgs(job.argv).join(' '));
    // A shown demo transcript is of the same command.
    for (const shown of COMMANDS.filter((c) => isIonDest(c) && c.shownOutput && ionDestArgs(c.argv)[0] === 'demo')) {
      expect(mainJobs.map((j) => ionDestArgs(j.argv).join(' ')), where(shown)).toContain(ionDestArgs(shown.argv).join(' '));
    }
  });

  it('every other command keeps its rule: real files, subcommands, flags and variables', async () => {
    for (const command of COMMANDS.filter((c) => !isIonDest(c))) {
      const check = otherCheckOf(command);
      if (!check) throw new Error(`${where(command)}: no rule for this command`);
      await check(command);
    }
  });
});

describe('every example against `ion-dest demo --keep-running`', () => {
  const h = { publishedUrls: new Set<string>() } as Harness;
  let demoDir: string | undefined;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error(`${BIN} runs dist/: run \`npm run build\` first (npm test does)`);
    demoDir = mkdtempSync(join(tmpdir(), 'ion-dest-docs-demo-'));
    h.workDir = mkdtempSync(join(tmpdir(), 'ion-dest-docs-'));
    installInto(demoDir);
    installInto(h.workDir);
    const [demo, database] = await Promise.all([
      startKeepRunningDemo(demoDir),
      BLOCKS.some(needsPostgres) ? startDocsDatabase() : Promise.resolve(undefined),
    ]);
    h.demo = demo;
    if (database) h.database = database;
  }, 420_000);

  afterAll(async () => {
    h.demo?.kill();
    await h.database?.postgres.stop();
    for (const dir of [demoDir, h.workDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the export line sets the endpoint, the region and the AWS config and credentials files, and nothing secret', () => {
    expect(h.demo.variables.map(([name]) => name)).toEqual(['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']);
    expect(h.demo.output()).not.toMatch(/aws_secret_access_key|AWS_SECRET_ACCESS_KEY/i);
  });

  for (const page of PAGES) {
    it(`runs ${page}'s examples in order, with the exit codes and output shown`, async () => {
      const failures = await runPage(h, page);
      expect(failures, failures.join('\n\n')).toEqual([]);
    }, pageTimeoutMs(page));
  }

  it('the quick-create link\'s template URL is the one publish-template printed', () => {
    const templateUrls = COMMANDS.filter((c) => isIonDest(c) && ionDestArgs(c.argv)[0] === 'launch-url' && !isRealAws(c.block)).map(
      (c) => c.argv[c.argv.indexOf('--template-url') + 1],
    );
    for (const url of templateUrls) expect([...h.publishedUrls], 'launch-url --template-url in the docs').toContain(url);
  });

  it('stops on Ctrl-C with exit 0 and removes the folders the export line names', async () => {
    const folders = h.demo.variables.filter(([name]) => name.endsWith('_FILE')).map(([, value]) => dirname(value));
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) expect(existsSync(folder), folder).toBe(true);
    const code = await h.demo.interrupt();
    expect(code, h.demo.output().split('\n').slice(-15).join('\n')).toBe(0);
    for (const folder of folders) expect(existsSync(folder), `${folder} is left after the demo stopped`).toBe(false);
  }, 90_000);
});
