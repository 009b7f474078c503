import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { motoVersionProblem, pythonExecutable, startEmulator } from '../../emulator/emulator.js';

/**
 * The fidelity and speed layers patch moto's internals, so the emulator refuses any moto
 * but the version they were tested with (emulator/requirements.txt). Another version is
 * simulated by a fake `moto` package placed first on PYTHONPATH.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const FAKES = mkdtempSync(join(tmpdir(), 'ion-dest-fake-moto-'));
afterAll(() => rmSync(FAKES, { recursive: true, force: true }));

/** The version pinned in emulator/requirements.txt, as the Python check reads it. */
function testedVersion(): string {
  const r = spawnSync(pythonExecutable(), ['-c', 'import moto_version; print(moto_version.tested_moto_version())'], {
    cwd: join(ROOT, 'emulator'),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** A folder holding a package named `moto` whose __init__.py is `source`, for PYTHONPATH. */
function fakeMoto(name: string, source: string): NodeJS.ProcessEnv {
  const dir = join(FAKES, name);
  mkdirSync(join(dir, 'moto'), { recursive: true });
  writeFileSync(join(dir, 'moto', '__init__.py'), source);
  return { ...process.env, PYTHONPATH: dir };
}

describe('the emulator checks the moto version', () => {
  const TESTED = testedVersion();

  it('requirements.txt pins a version, and the moto installed here is that version', () => {
    expect(TESTED).toMatch(/^\d+\.\d+\.\d+$/);
    const installed = spawnSync(pythonExecutable(), ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' });
    expect(installed.stdout.trim()).toBe(TESTED);
    expect(motoVersionProblem()).toBeUndefined();
  });

  it('the READMEs name the pinned version', () => {
    expect(readFileSync(join(ROOT, 'emulator', 'README.md'), 'utf8')).toContain(`pip install 'moto[server]==${TESTED}'`);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`\`moto[server]\` ${TESTED}`);
  });

  const cases: [string, string, RegExp[]][] = [
    ['an older moto', '__version__ = "5.1.0"\n', [/moto 5\.1\.0 is installed/, /tested with moto TESTED only/]],
    ['a newer moto', '__version__ = "6.0.0"\n', [/moto 6\.0\.0 is installed/, /tested with moto TESTED only/]],
    ['no moto', 'raise ImportError("No module named moto")\n', [/cannot import moto \(No module named moto\)/, /needs moto TESTED/]],
  ];

  describe.each(cases)('with %s', (name, source, expected) => {
    const env = fakeMoto(name.replace(/\W/g, '-'), source);
    const patterns = () => [
      ...expected.map((p) => new RegExp(p.source.replace('TESTED', TESTED.replace(/\./g, '\\.')))),
      new RegExp(`pip install 'moto\\[server\\]==${TESTED.replace(/\./g, '\\.')}'`),
    ];

    it('the tool check names the tested version, what was found and how to install', () => {
      const problem = motoVersionProblem(env);
      for (const p of patterns()) expect(problem).toMatch(p);
    });

    it('startEmulator fails before moto starts, with the same message', async () => {
      const started = startEmulator({ env: { PYTHONPATH: env.PYTHONPATH! } });
      await expect(started).rejects.toThrow(/exited with code 2 before answering/);
      const message = await started.catch((error: Error) => error.message);
      for (const p of patterns()) expect(message).toMatch(p);
    });
  });
});
