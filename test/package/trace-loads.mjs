/**
 * Preloaded with `node --import` to record every module a program loads: ES modules through a
 * resolve hook (each resolved URL is appended to the file named by ION_DEST_TRACE_FILE, from the
 * hooks thread, so none is lost when the process exits), CommonJS modules from the require
 * cache at exit. Used by test/package/lazy-loading.test.ts.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.ION_DEST_TRACE_FILE;
if (!file) throw new Error('ION_DEST_TRACE_FILE names the file the loaded modules are written to');
register(new URL('./trace-hooks.mjs', import.meta.url), { data: { file } });
process.on('exit', () => {
  const cached = Object.keys(createRequire(import.meta.url).cache);
  if (cached.length > 0) appendFileSync(file, `${cached.join('\n')}\n`);
});
