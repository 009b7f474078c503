import { EXIT_BAD_INPUT, EXIT_FAILED } from './exit-codes.js';
import { isIonDestError } from './ion-dest-error.js';
import { TROUBLESHOOTING } from './troubleshooting.js';

/**
 * Print an error the way every command does: the message, then cause and fix from
 * the troubleshooting table; the stack only with --debug. Returns the exit code.
 */
export function reportError(error: unknown, options: { debug: boolean; json: boolean }, write = (s: string) => process.stderr.write(s)): number {
  if (isIonDestError(error)) {
    const row = TROUBLESHOOTING[error.code];
    if (options.json) {
      write(
        `${JSON.stringify({
          error: {
            code: error.code,
            message: error.message,
            cause: row.cause,
            fix: row.fix,
            ...(error.problems.length ? { problems: error.problems } : {}),
            ...(error.requestId ? { requestId: error.requestId } : {}),
          },
        })}\n`,
      );
    } else {
      write(`error [${error.code}]: ${error.message}\n`);
      if (error.code !== 'INVALID_INPUT') {
        write(`  cause: ${row.cause}\n  fix:   ${row.fix}\n`);
      }
      if (error.requestId) write(`  request ID: ${error.requestId}\n`);
    }
    if (options.debug && error.stack) write(`${error.stack}\n`);
    return error.code === 'INVALID_INPUT' ? EXIT_BAD_INPUT : EXIT_FAILED;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(options.json ? `${JSON.stringify({ error: { code: 'UNEXPECTED', message } })}\n` : `error: ${message}\n`);
  if (options.debug && error instanceof Error && error.stack) write(`${error.stack}\n`);
  return EXIT_FAILED;
}
