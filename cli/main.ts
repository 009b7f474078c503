import { createRequire } from 'node:module';
import type yargsType from 'yargs';
import { IonDestError } from '../errors/index.js';
import { readPackageVersion } from '../stacks/cloudformation/package-version.js';
import { COMMANDS } from './commands/index.js';
import { EXIT_BAD_INPUT, EXIT_OK, commandOutcome } from './exit-codes.js';
import { reportError } from '../errors/report-error.js';

// yargs's CommonJS build: its ES module build wraps --help text in the middle of words.
const yargs = createRequire(import.meta.url)('yargs') as typeof yargsType;

/**
 * yargs reads a value that starts with `-` and a digit (`--part-size -5MiB`) as short flags
 * (`-5 -M -i -B`, "Unknown arguments: 5, M, i, B"). No flag of this program is a dash and a
 * digit, so such a word after a `--flag` is that flag's value: joined as `--flag=-5MiB`, it
 * reaches the flag's own check, which names the flag, the value and the rule.
 */
export function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i] as string;
    const next = argv[i + 1];
    if (/^--[a-z][a-z0-9-]*$/.test(word) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${word}=${next}`);
      i += 1;
    } else {
      out.push(word);
    }
  }
  return out;
}

/** A command line yargs could not parse (unknown flag, missing option, bad choice). */
class UsageError extends Error {}

/**
 * Run the `ion-dest` program with the given arguments and return its exit code.
 * A command handler reports failure by setting `commandOutcome.exitCode`; errors it
 * throws are printed with their cause and fix and mapped to exit 1 (or 2 for bad input).
 */
export async function main(argv: readonly string[]): Promise<number> {
  commandOutcome.exitCode = EXIT_OK;
  const parser = yargs(joinDashValues(argv))
    .scriptName('ion-dest')
    .usage('$0 <command> [options]')
    .epilogue('Set up, verify and deliver ION snapshots into a customer S3 destination. Exit codes: 0 success, 1 a check or job failed, 2 bad usage or input.')
    .option('debug', { type: 'boolean', default: false, describe: 'Print stack traces with errors' })
    .command(COMMANDS)
    .demandCommand(1, 'Name a command; see --help.')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    // Named here: yargs looks for a package.json near the entry script or the working directory,
    // which is not ion-dest's own once installed.
    .version(readPackageVersion())
    .wrap(Math.min(120, process.stdout.columns || 120))
    .exitProcess(false)
    .fail((message, error) => {
      // Throwing stops yargs before any handler runs.
      throw error ?? new UsageError(message);
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    if (error instanceof UsageError) {
      if (argv.includes('--json')) {
        return reportError(new IonDestError('INVALID_INPUT', error.message, { source: 'user' }), { debug: false, json: true });
      }
      process.stderr.write(`error: ${error.message}\nRun with --help for usage.\n`);
      return EXIT_BAD_INPUT;
    }
    const json = argv.includes('--json');
    const debug = argv.includes('--debug');
    return reportError(error, { debug, json });
  }
  return commandOutcome.exitCode;
}
