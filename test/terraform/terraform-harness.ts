import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TERRAFORM_TEMPLATE_PATH } from '../../stacks/cdktf/write.js';
import { EMULATOR_ROOT_CREDENTIALS } from '../../emulator/emulator.js';

/** The repository root, from this file's location. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The committed Terraform configuration. */
export const COMMITTED_TERRAFORM = join(REPO_ROOT, TERRAFORM_TEMPLATE_PATH);
/** The region the end-to-end deployments use. */
export const TEST_REGION = 'us-east-1';

export interface CommandResult {
  code: number;
  output: string;
}

/**
 * The environment for terraform and cdktf in tests: the emulator's credentials, the
 * offline provider mirror (TF_CLI_CONFIG_FILE, from the global setup), no telemetry,
 * no prompts.
 */
export function toolEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  if (!process.env.TF_CLI_CONFIG_FILE) {
    throw new Error('TF_CLI_CONFIG_FILE is unset: run through vitest, whose global setup points Terraform at the provider mirror.');
  }
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: EMULATOR_ROOT_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_ROOT_CREDENTIALS.secretAccessKey,
    AWS_REGION: TEST_REGION,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    NO_COLOR: '1',
    ...extra,
  };
}

/** Run a command; resolves with its exit code and combined output (never rejects on a non-zero exit). */
export function runCommand(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(input ?? '');
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** Run a command that must succeed; its output is in the error when it does not. */
export async function runOrThrow(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runCommand(command, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${result.output.slice(-6000)}`);
  }
  return result.output;
}

export function terraform(args: readonly string[], cwd: string, env = toolEnvironment()): Promise<string> {
  return runOrThrow('terraform', [...args, '-no-color'], cwd, env);
}

/** A fresh working directory under the OS temp folder; `remove()` deletes it with its state. */
export function makeWorkDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `ion-dest-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The committed module's folder, relative to the repository root (it holds main.tf.json and tests/). */
export const MODULE_DIR = dirname(TERRAFORM_TEMPLATE_PATH);
/** The example root configurations, each calling the module from `../../templates/terraform`. */
export const EXAMPLES = ['new-bucket', 'existing-bucket', 'sse-kms', 'for-each'] as const;
export type Example = (typeof EXAMPLES)[number];

/** Copy the committed Terraform into a working directory. */
export function copyCommittedTerraform(dir: string): void {
  copyFileSync(COMMITTED_TERRAFORM, join(dir, 'main.tf.json'));
}

/** Copy the module (with its tests) into `<dir>`, to run it on its own (`terraform test`). */
export function copyModule(dir: string): void {
  cpSync(join(REPO_ROOT, MODULE_DIR), dir, { recursive: true });
}

/**
 * Copy the module and one example into a working directory, in the repository's
 * layout so the example's relative `source` resolves; returns the example's folder.
 */
export function copyExample(dir: string, example: Example): string {
  cpSync(join(REPO_ROOT, MODULE_DIR), join(dir, MODULE_DIR), { recursive: true });
  const target = join(dir, 'examples', example);
  cpSync(join(REPO_ROOT, 'examples', example), target, { recursive: true });
  return target;
}

/**
 * Point the AWS provider at the emulator with a Terraform override file, which
 * Terraform merges over the committed configuration without changing it.
 * @see https://developer.hashicorp.com/terraform/language/files/override
 */
export function writeEmulatorOverride(dir: string, endpointUrl: string, aliases: readonly string[] = []): void {
  const settings = {
    endpoints: { s3: endpointUrl, iam: endpointUrl, sts: endpointUrl },
    s3_use_path_style: true,
    skip_credentials_validation: true,
    skip_metadata_api_check: true,
    skip_requesting_account_id: true,
  };
  // Override blocks merge into the configuration's provider blocks by name and alias.
  const override = { provider: { aws: [settings, ...aliases.map((alias) => ({ alias, ...settings }))] } };
  writeFileSync(join(dir, 'emulator_override.tf.json'), `${JSON.stringify(override, null, 2)}\n`);
}

/** `-var name=value` arguments. */
export function varArgs(values: Record<string, string | boolean>): string[] {
  return Object.entries(values).flatMap(([name, value]) => ['-var', `${name}=${String(value)}`]);
}

/** `terraform output -json` as plain values. */
export async function readOutputs(dir: string): Promise<Record<string, unknown>> {
  const text = await terraform(['output', '-json'], dir);
  const parsed = JSON.parse(text) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
}
