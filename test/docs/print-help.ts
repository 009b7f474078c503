/**
 * Prints `ion-dest <path> --help` for every command path given as JSON in argv[2],
 * each after a `HELP_MARK` line, in one process: one tsx start instead of one per command.
 */
import { pathToFileURL } from 'node:url';
import { main } from '../../cli/main.js';

/** Starts each command's section of the output; no help text begins with it. */
export const HELP_MARK = '@@ion-dest-help@@ ';

// Only when run as a program, not when imported for HELP_MARK.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === undefined) throw new Error('usage: print-help.ts \'[["verify"], ["policy", "trust"]]\'');
  const paths = JSON.parse(process.argv[2]) as string[][];
  for (const path of paths) {
    process.stdout.write(`\n${HELP_MARK}${path.join(' ')}\n`);
    const code = await main([...path, '--help']);
    if (code !== 0) process.stdout.write(`exit ${code}\n`);
  }
}
