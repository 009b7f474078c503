import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Nothing outside test/ may import from test/: the package, the demo, the emulator and
 * the benchmarks run without the test suite. Scans every JavaScript and TypeScript file of
 * the project outside test/ and the folders git ignores (node_modules/, build outputs).
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const TEST_DIR = join(ROOT, 'test');
const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs']);

/** Folders .gitignore names (`node_modules/`, `dist/`, …) plus .git: never project sources. */
function ignoredFolders(): Set<string> {
  const lines = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n');
  return new Set(['.git', ...lines.map((l) => l.trim()).filter((l) => /^[\w.-]+\/$/.test(l)).map((l) => l.slice(0, -1))]);
}

function sourceFiles(dir: string, skip: Set<string>): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return skip.has(entry.name) || path === TEST_DIR ? [] : sourceFiles(path, skip);
    return entry.isFile() && SOURCE_EXTENSIONS.has(extname(entry.name)) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier in `source` (static and dynamic imports, re-exports, require), found by TypeScript's own scanner. */
function specifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** The specifiers of `source`, a file at `file`, that resolve into test/. */
function importsFromTest(file: string, source: string): string[] {
  return specifiers(source).filter((s) => {
    if (!s.startsWith('.') && !s.startsWith('/')) return false;
    const target = resolve(dirname(file), s);
    return target === TEST_DIR || target.startsWith(TEST_DIR + sep);
  });
}

describe('no file outside test/ imports from test/', () => {
  it('the scanner sees every form of import', () => {
    const file = join(ROOT, 'bench', 'example.ts');
    const cases: [string, string[]][] = [
      ["import { a } from '../test/helpers/run-cli.js';", ['../test/helpers/run-cli.js']],
      ["import type { A } from '../test/x.js';", ['../test/x.js']],
      ["export { a } from '../test/x.js';", ['../test/x.js']],
      ["export * from '../test/x.js';", ['../test/x.js']],
      ["const m = await import('../test/x.js');", ['../test/x.js']],
      ["const m = require('../test/x.cjs');", ['../test/x.cjs']],
      ["import '../test/setup.js';", ['../test/setup.js']],
      ["import { a } from './test/x.js';", []],
      ["import { a } from '../emulator/test-x.js';", []],
      ["import { a } from '../tests/x.js';", []],
      ["import { describe } from 'vitest';", []],
      ["// import { a } from '../test/x.js';", []],
    ];
    for (const [source, expected] of cases) expect(importsFromTest(file, source), source).toEqual(expected);
  });

  it('holds for every source file of the project', () => {
    const files = sourceFiles(ROOT, ignoredFolders());
    // The scan reaches the product, the emulator, the benchmarks and the CLI entry point.
    for (const expected of ['index.ts', join('emulator', 'emulator.ts'), join('bench', 'delivery.ts'), join('bin', 'ion-dest.mjs'), join('cli', 'main.ts')]) {
      expect(files.map((f) => relative(ROOT, f))).toContain(expected);
    }
    const offenders = files.flatMap((f) => importsFromTest(f, readFileSync(f, 'utf8')).map((s) => `${relative(ROOT, f)}: ${s}`));
    expect(offenders).toEqual([]);
  });
});
