import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AwsCredentialIdentity } from '@smithy/types';
import { IonDestError } from '../../errors/index.js';
import { assertNoProblems, parseRoleArn, validateBucketName, validateExternalId, validateRegion, validateRoleName, validateTrustedAccountId } from '../../policy/index.js';
import { ENDPOINT_ENV } from '../../stacks/cdktf/config.js';
import { OUTPUT, STACK_NAME } from '../../stacks/cdktf/destination-stack.js';
import { VARIABLE } from '../../stacks/cdktf/variables.js';
import { providerMirror, terraformProblem } from '../../stacks/cdktf/terraform-tool.js';
import type { DeployedDestination } from './deployed-destination.js';

const require = createRequire(import.meta.url);
/** Keep this much of a failed `cdktf deploy`'s output in the error: its last lines say why. */
const FAILURE_OUTPUT_CHARS = 3000;

/**
 * Check what `cdktf deploy` needs offline: terraform on PATH and the provider mirror
 * (ION_DEST_PROVIDER_MIRROR). Returns the mirror folder, or throws DEPLOY_TOOL_MISSING
 * naming each missing piece.
 */
export function checkCdktfTools(): { mirror: string; terraformVersion: string } {
  const mirror = providerMirror();
  const missing = [
    terraformProblem(),
    mirror
      ? undefined
      : `ION_DEST_PROVIDER_MIRROR (${process.env.ION_DEST_PROVIDER_MIRROR || 'unset'}) is not a folder holding registry.terraform.io/hashicorp/aws/5.100.0 (\`. scripts/dev-env.sh\` finds it)`,
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0 || !mirror) {
    throw new IonDestError('DEPLOY_TOOL_MISSING', `--method cdktf needs what is missing here: ${missing.join('; ')}.`, { source: 'user' });
  }
  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8', timeout: 30_000 });
  return { mirror, terraformVersion: (terraform.stdout.split('\n')[0] ?? '').trim() };
}

export interface DeployCdktfOptions {
  /** An empty working folder: cdktf.json, the synthesized stack and the Terraform state go here. */
  workDir: string;
  mirror: string;
  region: string;
  trustedAccountId: string;
  externalId: string;
  /** The role_name variable; none: a generated name. */
  roleName?: string;
  /** The bucket_name variable; none: a generated name. */
  bucketName?: string;
  endpointUrl?: string;
  credentials?: AwsCredentialIdentity;
  profile?: string;
  /** Each line `cdktf deploy` prints. */
  onLine?: (line: string) => void;
}

/**
 * Terraform's CLI configuration for an offline install: hashicorp/aws from the mirror
 * only, anything else (nothing, for this stack) from its registry.
 * @see https://developer.hashicorp.com/terraform/cli/config/config-file#provider-installation
 */
function terraformCliConfig(mirror: string): string {
  return `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`;
}

/**
 * Deploy the cdktf stack as the customer's DevOps team would: `cdktf deploy
 * --auto-approve --skip-provider-lock` with the inputs in `ion-dest.tfvars.json` (see
 * stacks/cdktf/config.ts), then read `role_arn`, `bucket_name`, `bucket_region`.
 *
 * @see https://developer.hashicorp.com/terraform/cdktf/cli-reference/commands#deploy
 */
export async function deployCdktfStack(options: DeployCdktfOptions): Promise<DeployedDestination> {
  assertNoProblems([
    validateRegion(options.region, '--region'),
    validateTrustedAccountId(options.trustedAccountId, '--trusted-account'),
    validateExternalId(options.externalId, 'external ID'),
    options.roleName === undefined ? undefined : validateRoleName(options.roleName, 'role name'),
    options.bucketName === undefined ? undefined : validateBucketName(options.bucketName, 'bucket name'),
  ]);
  const dir = options.workDir;
  const cdktfCli = cdktfCliPath();
  const app = cdktfAppCommand().map((part) => JSON.stringify(part)).join(' ');
  writeFileSync(
    join(dir, 'cdktf.json'),
    JSON.stringify({ language: 'typescript', app, sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }, null, 2),
  );
  writeFileSync(
    join(dir, 'ion-dest.tfvars.json'),
    JSON.stringify(
      {
        [VARIABLE.trustedAccountId]: options.trustedAccountId,
        [VARIABLE.externalId]: options.externalId,
        [VARIABLE.region]: options.region,
        ...(options.roleName ? { [VARIABLE.roleName]: options.roleName } : {}),
        ...(options.bucketName ? { [VARIABLE.bucketName]: options.bucketName } : {}),
      },
      null,
      2,
    ),
  );
  writeFileSync(join(dir, 'terraform.rc'), terraformCliConfig(options.mirror));

  const env: NodeJS.ProcessEnv = { ...process.env };
  // Only the side's own credentials: nothing from the caller's environment may stand in for them.
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', ENDPOINT_ENV]) delete env[name];
  Object.assign(env, {
    TF_CLI_CONFIG_FILE: join(dir, 'terraform.rc'),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    AWS_REGION: options.region,
    ...(options.endpointUrl ? { [ENDPOINT_ENV]: options.endpointUrl } : {}),
    ...(options.profile ? { AWS_PROFILE: options.profile } : {}),
    ...(options.credentials
      ? {
          AWS_ACCESS_KEY_ID: options.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
          ...(options.credentials.sessionToken ? { AWS_SESSION_TOKEN: options.credentials.sessionToken } : {}),
        }
      : {}),
  });
  const result = await runCdktf(cdktfCli, ['deploy', '--auto-approve', '--skip-provider-lock', '--outputs-file', 'outputs.json'], dir, env, options.onLine);
  if (result.code !== 0) {
    throw new IonDestError('STACK_DEPLOY_FAILED', `cdktf deploy exited with ${result.code}; its last output:\n${result.output.slice(-FAILURE_OUTPUT_CHARS)}`, {
      source: 'destination',
    });
  }
  const outputs = (JSON.parse(readFileSync(join(dir, 'outputs.json'), 'utf8')) as Record<string, Record<string, string>>)[STACK_NAME] ?? {};
  const roleArn = outputs[OUTPUT.roleArn];
  const role = roleArn ? parseRoleArn(roleArn) : undefined;
  const bucket = outputs[OUTPUT.bucketName];
  const bucketRegion = outputs[OUTPUT.bucketRegion];
  if (!role || !bucket || !bucketRegion) {
    throw new IonDestError('STACK_DEPLOY_FAILED', `cdktf deploy finished but its outputs lack ${Object.values(OUTPUT).join(', ')}: ${JSON.stringify(outputs)}`, {
      source: 'toolkit',
    });
  }
  return { method: 'cdktf', stackName: STACK_NAME, roleArn: roleArn!, roleName: role.roleName, accountId: role.accountId, bucket, bucketRegion };
}

/**
 * The command that runs the cdktf app (cdktf.json's `app`): the compiled `stacks/cdktf/main.js`
 * beside this module in an installed package, or the TypeScript source through tsx (a
 * development dependency) when this module itself runs from the sources in a clone.
 */
export function cdktfAppCommand(): string[] {
  const fromSources = import.meta.url.endsWith('.ts');
  const main = fileURLToPath(new URL(`../../stacks/cdktf/main.${fromSources ? 'ts' : 'js'}`, import.meta.url));
  return fromSources ? [process.execPath, require.resolve('tsx/cli'), main] : [process.execPath, main];
}

/** The `cdktf` program of the cdktf-cli package, or DEPLOY_TOOL_MISSING when it is not installed. */
function cdktfCliPath(): string {
  let manifest: string;
  try {
    manifest = require.resolve('cdktf-cli/package.json');
  } catch {
    throw new IonDestError('DEPLOY_TOOL_MISSING', '--method cdktf needs the cdktf CLI: install it beside ion-dest (npm install cdktf-cli@0.21.0).', { source: 'user' });
  }
  return join(dirname(manifest), (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin.cdktf!);
}

function runCdktf(
  cli: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  onLine?: (line: string) => void,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let pending = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') onLine?.(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}
