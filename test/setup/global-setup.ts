import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingTools, providerMirror } from './tools.js';

/**
 * Before any test: fail at once, with what to install, if a tool the suite needs is
 * missing; then point Terraform at the offline provider mirror through a CLI config
 * file made for this run.
 */
export default function setup(): () => void {
  const missing = missingTools();
  if (missing.length > 0) {
    throw new Error(`The test suite needs tools that are missing:\n${missing.join('\n')}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ion-dest-tf-'));
  const config = join(dir, 'terraform.rc');
  writeFileSync(
    config,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(providerMirror())}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  process.env.TF_CLI_CONFIG_FILE = config;
  process.env.CHECKPOINT_DISABLE = '1';
  process.env.TF_IN_AUTOMATION = '1';
  return () => rmSync(dir, { recursive: true, force: true });
}
