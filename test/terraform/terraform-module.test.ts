import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { permissionPolicy } from '../../policy/index.js';
import { contractDocument } from '../fixtures/contract.js';
import { EXAMPLES, MODULE_DIR, REPO_ROOT, copyExample, copyModule, makeWorkDir, runCommand, terraform, toolEnvironment } from './terraform-harness.js';

const MODULE_TEST = join(REPO_ROOT, MODULE_DIR, 'tests', 'destination.tftest.hcl');
/** The one warning `terraform init` prints with a filesystem mirror: about the install method, not the configuration. */
const MIRROR_LOCK_NOTICE = 'Warning: Incomplete lock file information for providers';

const work = makeWorkDir('tf-module');
afterAll(() => work.remove());

/** Every warning in Terraform's output, by its title, but the mirror's lock-file notice. */
function warningsOf(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /Warning:/.test(line))
    .map((line) => line.replace(/^[\s│╷╵]*/, '').trim())
    .filter((line) => line !== MIRROR_LOCK_NOTICE);
}

describe('the example root configurations (examples/), offline', () => {
  it.each(EXAMPLES)('%s: `terraform init` and `terraform validate` succeed with no warning', async (example) => {
    const dir = copyExample(join(work.dir, example), example);
    const init = await terraform(['init', '-input=false', '-backend=false'], dir);
    expect(warningsOf(init)).toEqual([]);
    const validate = await terraform(['validate'], dir);
    expect(validate).toContain('Success! The configuration is valid.');
    expect(warningsOf(validate)).toEqual([]);
  });

  it('the for-each example calls the module twice with for_each, through an aliased provider', () => {
    const text = readFileSync(join(REPO_ROOT, 'examples', 'for-each', 'main.tf'), 'utf8');
    expect(text).toMatch(/module "ion_destination" \{[^}]*for_each\s*=\s*var\.destinations/s);
    expect(text).toMatch(/providers = \{\s*aws = aws\.eu\s*\}/);
  });
});

describe('terraform test of the module (mock provider, no AWS)', () => {
  it("the module test's expected documents are the setup guide's, filled in", () => {
    const text = readFileSync(MODULE_TEST, 'utf8');
    const quoted = (doc: unknown) => JSON.stringify(JSON.stringify(doc));
    expect(text).toContain(quoted(contractDocument('trust-policy', { frAccountId: '111122223333', externalId: 'ion-acme-7f3a9c' })));
    expect(text).toContain(quoted(contractDocument('permission-policy', { bucket: 'acme-ion-snapshots' })));
    expect(text).toContain(quoted(contractDocument('permission-policy', { bucket: 'acme-existing-snapshots' })));
  });

  it("the module test's prefix-narrowed documents are policy/'s builder output", () => {
    const text = readFileSync(MODULE_TEST, 'utf8');
    const quoted = (doc: unknown) => JSON.stringify(JSON.stringify(doc));
    const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(text).toContain(quoted(permissionPolicy({ bucket: 'acme-ion-snapshots', tenantPrefix: 'acme' })));
    expect(text).toContain(quoted(permissionPolicy({ bucket: 'acme-ion-snapshots', tenantPrefix: 'acme', kmsKeyArn: key })));
  });

  it('`terraform test` passes every run: exact policies, options, existing bucket, validation verdicts', async () => {
    const dir = join(work.dir, 'module');
    copyModule(dir);
    await terraform(['init', '-input=false', '-backend=false'], dir);
    const result = await runCommand('terraform', ['test', '-no-color'], dir, toolEnvironment());
    expect(result.output).toMatch(/Success! 16 passed, 0 failed\./);
    expect(result.code).toBe(0);
    for (const run of readFileSync(MODULE_TEST, 'utf8').matchAll(/^run "([a-z_]+)"/gm)) {
      expect(result.output).toContain(`run "${run[1]}"... pass`);
    }
  });
});
