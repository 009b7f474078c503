import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The folder that holds `registry.terraform.io/hashicorp/aws/5.100.0`, from ION_DEST_PROVIDER_MIRROR. */
export function providerMirror(): string | undefined {
  const dir = process.env.ION_DEST_PROVIDER_MIRROR;
  return dir && existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0')) ? dir : undefined;
}

/** The oldest Terraform the committed configuration accepts (`required_version`; cross-variable validation). */
export const MIN_TERRAFORM_VERSION = [1, 9] as const;

/** A problem with the terraform on PATH (missing, or older than MIN_TERRAFORM_VERSION), or undefined. */
export function terraformProblem(): string | undefined {
  const want = MIN_TERRAFORM_VERSION.join('.');
  const r = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return `terraform (${want} or later) is not on PATH`;
  let version = '';
  try {
    version = String((JSON.parse(r.stdout) as { terraform_version?: string }).terraform_version ?? '');
  } catch {
    return `terraform version -json printed no version`;
  }
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [wantMajor, wantMinor] = MIN_TERRAFORM_VERSION;
  return major > wantMajor || (major === wantMajor && minor >= wantMinor) ? undefined : `terraform ${version} is older than ${want}`;
}
