import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTemplateYaml } from '../../stacks/cloudformation/render-yaml.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CFN_GUARD_PACKAGE = join(REPO_ROOT, 'node_modules', '@cdklabs', 'cdk-validator-cfnguard');

/** The AWS Control Tower proactive rules for S3, as the npm package ships them. */
export const CONTROL_TOWER_S3_RULES = join(CFN_GUARD_PACKAGE, 'rules', 'control-tower', 'cfn-guard', 's3');
/** The project's own guard rule. */
export const TRUST_POLICY_RULE = join(REPO_ROOT, 'stacks', 'cloudformation', 'rules', 'trust-policy.guard');
/** The committed template. */
export const COMMITTED_TEMPLATE = join(REPO_ROOT, 'templates', 'ion-destination.cfn.yaml');

/** The cfn-guard 3 binary the npm package ships for this OS and CPU. */
export function cfnGuardBinary(): string {
  const os = process.platform === 'darwin' ? 'macos' : 'ubuntu';
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
  const binary = join(CFN_GUARD_PACKAGE, 'bin', os, arch, 'cfn-guard');
  if (!existsSync(binary)) {
    throw new Error(`cfn-guard is missing at ${binary}: run npm ci (it comes with the dev dependency @cdklabs/cdk-validator-cfnguard).`);
  }
  return binary;
}

export type GuardStatus = 'PASS' | 'FAIL' | 'SKIP';

/** Run one guard rule file against one template file and return the rule file's overall status. */
export function runGuard(templateFile: string, ruleFile: string): GuardStatus {
  const r = spawnSync(cfnGuardBinary(), ['validate', '-d', templateFile, '-r', ruleFile, '--structured', '-o', 'json', '-S', 'none'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  let reports: { status: GuardStatus }[];
  try {
    reports = JSON.parse(r.stdout) as { status: GuardStatus }[];
  } catch {
    throw new Error(`cfn-guard gave no JSON (exit ${r.status}) for ${ruleFile}:\n${r.stdout}\n${r.stderr}`);
  }
  if (reports.length !== 1 || !reports[0]) throw new Error(`cfn-guard reported ${reports.length} documents, expected 1`);
  return reports[0].status;
}

export interface LintResult {
  /** cfn-lint's exit status: a bitmask, 2 error, 4 warning, 8 informational. */
  status: number;
  output: string;
}

export function runCfnLint(templateFile: string): LintResult {
  const r = spawnSync('cfn-lint', ['--', templateFile], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw new Error(`cfn-lint could not run: ${r.error.message}`);
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}`.trim() };
}

/** A folder in the OS temp dir for templates written by a test, removed by the returned function. */
export function makeTemplateFolder(): { dir: string; write: (name: string, template: object) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ion-dest-cfn-'));
  return {
    dir,
    write: (name, template) => {
      const file = join(dir, name);
      writeFileSync(file, renderTemplateYaml(template));
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
