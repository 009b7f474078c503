#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build`; `npm ci` in a clone builds it, and the
// package ships it built). No TypeScript loader at run time.
import { existsSync } from 'node:fs';

// The AWS SDK pinned in package.json supports Node 20; its notice about future SDK
// releases needing Node 22 would otherwise interleave with --json output on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('error: ion-dest is not built (dist/cli/main.js is missing): run `npm run build` in its folder.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
