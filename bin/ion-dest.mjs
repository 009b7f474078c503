#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so the checkout needs no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK pinned in package.json supports Node 20; its notice about future SDK
// releases needing Node 22 would otherwise interleave with --json output on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
