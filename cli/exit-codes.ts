import { EXIT_OK } from '../errors/exit-codes.js';

export { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from '../errors/exit-codes.js';

/** The exit code of the command being run; a handler sets it, `main` returns it. */
export const commandOutcome = { exitCode: EXIT_OK };
