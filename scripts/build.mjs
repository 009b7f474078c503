/**
 * `npm run build`: compile the library and the CLI to dist/ (ES modules and .d.ts files,
 * tsconfig.build.json), then copy beside them the files the compiled code reads from its
 * own folder at run time (import.meta.url): the emulator's Python layers, the digest
 * worker. Plain JavaScript, so the build needs nothing but TypeScript.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** Source folders whose non-TypeScript files the compiled code reads beside itself. */
const ASSET_FOLDERS = ['emulator', 'delivery'];
/** What is copied: Python modules (and their pins), plain JavaScript worker modules; never caches. */
const ASSET = /\.(py|mjs|txt|json)$/;

rmSync(DIST, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

let copied = 0;
for (const folder of ASSET_FOLDERS) {
  for (const entry of readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !ASSET.test(entry.name)) continue;
    const from = join(entry.parentPath ?? entry.path, entry.name);
    if (from.includes('__pycache__')) continue;
    cpSync(from, join(DIST, relative(ROOT, from)));
    copied += 1;
  }
}
process.stdout.write(`built ${relative(ROOT, DIST)}/ (${copied} run-time files copied beside the compiled code)\n`);
