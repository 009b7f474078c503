#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build` in a clone; the package ships it
// built). No TypeScript loader at run time.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('error: ion-dest is not built (dist/cli/main.js is missing): run `npm run build` in its folder.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
