import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import {
  commandPath,
  extractCommands,
  flagsOf,
  ionDestPrefixLength,
  optionalVariants,
  parseFencedBlocks,
  splitWords,
  type ReadmeCommand,
} from './readme-blocks.js';
import { HELP_MARK } from './print-help.js';
import { outputDifferences } from './readme-output.js';
import { INPUT_FILE_FLAGS, README_WORLD, buildReadmeWorld, createInputFile, type ReadmeWorld } from './readme-world.js';

/**
 * Every command shown in README.md is run or checked here, so the docs cannot rot.
 * The conventions (which blocks hold commands, markers, files) are in readme-blocks.ts
 * and in README.md, "For developers".
 *
 * - `ion-dest` commands run for real, one after another in README order, against one
 *   emulator (fidelity and IAM enforcement on) holding the world of readme-world.ts.
 *   Identity: First Resonance's (vendor) by default; the customer's for the commands in
 *   CUSTOMER_COMMANDS; `<!-- run-as: customer|vendor -->` above a block overrides;
 *   an `AWS_PROFILE=` prefix picks that profile from a credentials file holding the
 *   README's profile names. `demo` is not run here (its own tests run it); its flags
 *   are checked and the main job's command must be the one test/demo/ runs.
 * - Other commands are checked against what they name: `npm test` against .ci/run,
 *   `npm run X` against package.json, `terraform`/`cdktf` subcommands, flags and
 *   variables against the tools' help and templates/terraform/main.tf.json, copied and
 *   sourced files against the repository. A command with no rule here fails the test.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BLOCKS = parseFencedBlocks(README);
const COMMANDS = BLOCKS.flatMap(extractCommands);

/** Commands the customer runs in their own account. */
const CUSTOMER_COMMANDS: readonly string[] = ['audit'];
/** Commands with tests of their own, which start their own emulator: checked, not run. */
const NOT_RUN_COMMANDS: readonly string[] = ['demo'];
/** Environment prefixes a README command may carry, and what the harness does with each. */
const KNOWN_ENV_PREFIXES: readonly string[] = ['AWS_PROFILE', 'DATABASE_URL'];
/** Environment the harness clears so nothing from the machine leaks into a run. */
const CLEARED_ENV = ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE', 'DATABASE_URL', 'PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE'];

const TERRAFORM = JSON.parse(readFileSync(join(ROOT, 'templates', 'terraform', 'main.tf.json'), 'utf8')) as {
  variable: Record<string, unknown>;
  output: Record<string, unknown>;
  resource: Record<string, Record<string, unknown>>;
};
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

function where(command: ReadmeCommand): string {
  return `README.md line ${command.block.line}: ${command.text}`;
}

function isIonDest(command: ReadmeCommand): boolean {
  return ionDestPrefixLength(command.argv) > 0;
}

/** The `ion-dest` arguments of a command (its prefix removed). */
function ionDestArgs(argv: readonly string[]): string[] {
  return argv.slice(ionDestPrefixLength(argv));
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

/** Inline code spans of the README outside fenced blocks. */
function inlineSpans(): string[] {
  const outside = README.replace(/^(\s*)(`{3,})[\s\S]*?^\s*\2\s*$/gm, '');
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
// Checks of commands that are not run against the emulator.

type Check = (command: ReadmeCommand) => Promise<void> | void;

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

/** What each non-`ion-dest` program in the README is checked against. */
const OTHER_CHECKS: Record<string, Check> = {
  'npm ci': () => {
    expect(existsSync(join(ROOT, 'package-lock.json')), 'npm ci needs package-lock.json').toBe(true);
  },
  'npm test': (command) => {
    // CI runs exactly the README's test command.
    expect(ciNpmCommands(), `.ci/run must run the README's "${command.chain}"`).toEqual(command.chain.split('&&').map((p) => p.trim()));
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
      if (variable && command.argv[command.argv.indexOf(word) - 1] === '-var') {
        expect(Object.keys(TERRAFORM.variable), where(command)).toContain(variable[1]);
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
  mkdir: (command) => {
    for (const dir of command.argv.slice(1)) expect(dir, where(command)).toMatch(/^[\w.-]+$/);
  },
  cd: (command) => {
    // Only into a folder the same block just made.
    expect(command.block.body.join('\n'), where(command)).toContain(`mkdir ${command.argv[1]}`);
  },
  cp: (command) => {
    expect(existsSync(join(ROOT, command.argv[1]!)), `${where(command)}: ${command.argv[1]} is not in the repository`).toBe(true);
  },
  '.': (command) => {
    expect(existsSync(join(ROOT, command.argv[1]!)), `${where(command)}: ${command.argv[1]} is not in the repository`).toBe(true);
  },
  cat: (command) => {
    expect(command.argv[1], `${where(command)}: only "cat > FILE <<EOF" is known`).toBe('>');
    expect(command.heredoc, where(command)).toBeDefined();
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
    } else {
      throw new Error(`${where(command)}: no rule for a file named ${target}`);
    }
  },
  export: (command) => {
    const [name, value] = command.argv[1]!.split('=');
    expect(name, `${where(command)}: only TF_CLI_CONFIG_FILE is known`).toBe('TF_CLI_CONFIG_FILE');
    expect(command.block.body.join('\n'), `${where(command)}: export a file the block writes`).toContain(`cat > "${value}"`);
  },
};

function otherCheckOf(command: ReadmeCommand): Check | undefined {
  const [a, b, c] = command.argv;
  if (a === 'npm' && b === 'run') return OTHER_CHECKS['npm run'];
  if (a === 'npm') return OTHER_CHECKS[`npm ${b}`];
  if (a === 'npx' && b === '--no-install' && c === 'cdktf') return OTHER_CHECKS.cdktf;
  return OTHER_CHECKS[a!];
}

// ---------------------------------------------------------------------------

describe('README.md commands', () => {
  let world: ReadmeWorld;

  beforeAll(async () => {
    world = await buildReadmeWorld();
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('finds the fenced commands wherever they are, and every one has a rule', () => {
    expect(COMMANDS.length).toBeGreaterThan(20);
    const unknown = COMMANDS.filter((c) => !isIonDest(c) && otherCheckOf(c) === undefined).map(where);
    expect(unknown, 'commands the harness does not know how to run or check').toEqual([]);
    // A command in a text block must be a `$ ` line of a transcript, not a bare line nobody checks.
    const bare = BLOCKS.filter((b) => !['bash', 'sh', 'shell'].includes(b.lang)).flatMap((b) =>
      b.body.filter((l) => /^(npx --no-install |ion-dest [a-z-]+(\s|$)|npm (ci|test|run)\b|terraform [a-z]+(\s|$)|cdktf )/.test(l)).map((l) => `README.md line ${b.line}: ${l}`),
    );
    expect(bare, 'commands outside bash blocks need a "$ " prompt').toEqual([]);
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

  it('npm scripts, Terraform variables and targets named anywhere in the README exist', () => {
    const text = inlineSpans().join('\n');
    const scripts = [...text.matchAll(/npm run ([a-z][\w:.-]*)/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(Object.keys(PACKAGE.scripts), `npm run ${s}`).toContain(s);
    // `--var name=value` is cdktf's own flag, with a placeholder.
    for (const m of README.matchAll(/(?<![-\w])-var ([a-z_]+)=/g)) expect(Object.keys(TERRAFORM.variable), m[0]).toContain(m[1]);
    for (const m of README.matchAll(/-target=(\w+)\.(\w+)/g)) expect(Object.keys(TERRAFORM.resource[m[1]!] ?? {}), m[0]).toContain(m[2]);
    for (const m of README.matchAll(/-var-file=([\w.-]+)/g)) expect(README, m[0]).toContain(`cat > ${m[1]}`);
  });

  it('the main job in the README is the command the demo test runs', () => {
    const mainJobs = COMMANDS.filter((c) => isIonDest(c) && ionDestArgs(c.argv)[0] === 'demo' && c.chain.startsWith('npm ci &&'));
    expect(mainJobs.length, 'the README shows `npm ci && npx --no-install ion-dest demo`').toBeGreaterThan(0);
    const tested = demoTestArgvs().map((a) => a.filter((w) => w !== '--json').join(' '));
    for (const job of mainJobs) expect(tested, where(job)).toContain(ionDestArgs(job.argv).join(' '));
    // The shown demo transcript is of the same command.
    for (const shown of COMMANDS.filter((c) => isIonDest(c) && c.shownOutput && ionDestArgs(c.argv)[0] === 'demo')) {
      expect(mainJobs.map((j) => ionDestArgs(j.argv).join(' ')), where(shown)).toContain(ionDestArgs(shown.argv).join(' '));
    }
  });

  it('the other commands name real files, subcommands, flags and variables', async () => {
    for (const command of COMMANDS.filter((c) => !isIonDest(c))) {
      const check = otherCheckOf(command);
      if (!check) throw new Error(`${where(command)}: no rule for this command`);
      await check(command);
    }
  });

  it('every ion-dest command runs against the README world with the exit code and output shown', async () => {
    const runnable = COMMANDS.filter((c) => isIonDest(c) && !NOT_RUN_COMMANDS.includes(ionDestArgs(c.argv)[0]!));
    expect(runnable.length).toBeGreaterThan(8);
    const failures: string[] = [];
    const publishedUrls = new Set<string>();
    for (const command of runnable) {
      for (const variant of optionalVariants(command.argv)) {
        const args = ionDestArgs(variant);
        const result = await runReadmeCommand(world, command, args);
        const expected = Number(command.block.markers['expect-exit'] ?? 0);
        const label = `${where(command)}${variant.length === command.argv.length ? '' : ` (as: ${args.join(' ')})`}`;
        if (result.code !== expected) {
          failures.push(`${label}\n  exit ${result.code}, README expects ${expected}\n  ${(result.stderr || result.stdout).trim().split('\n').slice(-6).join('\n  ')}`);
          continue;
        }
        if (args[0] === 'publish-template') publishedUrls.add(result.stdout.trim());
        if (command.shownOutput) {
          const differences = outputDifferences(command.shownOutput, `${result.stdout}\n${result.stderr}`);
          if (differences.length > 0) failures.push(`${label}\n  ${differences.join('\n  ')}`);
        }
      }
    }
    expect(failures, failures.join('\n\n')).toEqual([]);

    // The quick-create link's template URL is the one publish-template prints for this version.
    const templateUrls = runnable.filter((c) => ionDestArgs(c.argv)[0] === 'launch-url').map((c) => c.argv[c.argv.indexOf('--template-url') + 1]);
    expect(publishedUrls.size).toBeGreaterThan(0);
    for (const url of templateUrls) expect([...publishedUrls], 'launch-url --template-url in the README').toContain(url);
  });
});

/** Run one README command as a user would: its identity's credentials, its files, its environment. */
async function runReadmeCommand(world: ReadmeWorld, command: ReadmeCommand, args: string[]) {
  const unknownEnv = Object.keys(command.env).filter((name) => !KNOWN_ENV_PREFIXES.includes(name));
  if (unknownEnv.length > 0) throw new Error(`${where(command)}: no rule for the environment prefix ${unknownEnv.join(', ')}`);

  for (let i = 0; i < args.length - 1; i++) {
    const flag = args[i]!.replace(/^--/, '');
    const value = args[i + 1]!;
    if (INPUT_FILE_FLAGS.includes(flag) && !value.includes('://') && !existsSync(join(world.workDir, value))) {
      createInputFile(world.workDir, flag, value);
    }
  }

  const runAs = command.block.markers['run-as'] ?? (CUSTOMER_COMMANDS.includes(args[0]!) ? 'customer' : 'vendor');
  if (runAs !== 'customer' && runAs !== 'vendor') throw new Error(`${where(command)}: run-as must be customer or vendor, not ${runAs}`);
  const identity = runAs === 'customer' ? world.customer : world.vendor;

  const env: NodeJS.ProcessEnv = Object.fromEntries(CLEARED_ENV.map((name) => [name, undefined]));
  Object.assign(env, {
    AWS_ENDPOINT_URL: world.emulator.url,
    AWS_REGION: README_WORLD.region,
    AWS_SHARED_CREDENTIALS_FILE: world.credentialsFile,
    AWS_CONFIG_FILE: world.configFile,
  });
  if (command.env.AWS_PROFILE !== undefined) {
    // The profile alone picks the identity, as on a workstation.
    env.AWS_PROFILE = command.env.AWS_PROFILE;
  } else {
    env.AWS_ACCESS_KEY_ID = identity.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = identity.credentials.secretAccessKey;
  }
  if (command.env.DATABASE_URL !== undefined) {
    // The example's database host is the one value mapped: to the test's PostgreSQL server.
    const { exampleHost } = README_WORLD.database;
    expect(command.env.DATABASE_URL, `${where(command)}: the database URL names ${exampleHost}`).toContain(`@${exampleHost}/`);
    env.DATABASE_URL = command.env.DATABASE_URL.replace(exampleHost, `${world.postgres.host}:${world.postgres.port}`);
    env.PGPASSWORD = world.databasePassword;
  }
  return runCli(args, { env, cwd: world.workDir, timeoutMs: 60_000 });
}
