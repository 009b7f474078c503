import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;

/**
 * npm 11 (Node 24's) warns about every dependency whose install scripts package.json's
 * `allowScripts` does not list, and later npm releases skip those scripts. Two of ours need
 * theirs: cdktf-cli's terminal module (its prebuilt binary, for `cdktf deploy`) and esbuild
 * (tsx and vitest). A new dependency with an install script fails here until it is reviewed
 * and listed (`npm install-scripts approve <package>` on npm 11, or by hand).
 * @see https://docs.npmjs.com/cli/v11/commands/npm-approve-scripts
 */
describe("package.json's allowScripts", () => {
  it('lists exactly the locked packages that have install scripts, each allowed', () => {
    const lock = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    const allowed = read('package.json').allowScripts as Record<string, boolean>;
    expect(withScripts.length, 'the lockfile marks packages with install scripts').toBeGreaterThan(0);
    expect(Object.keys(allowed).sort()).toEqual([...new Set(withScripts)].sort());
    expect(Object.values(allowed).every((allow) => allow === true)).toBe(true);
  });
});
