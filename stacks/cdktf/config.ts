import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveEndpointUrl } from '../../aws/endpoint.js';
import type { InputProblem } from '../../errors/index.js';
import { assertNoProblems } from '../../policy/index.js';
import {
  VARIABLE_SPECS,
  isBooleanVariable,
  type DestinationInputs,
  type VariableName,
} from './variables.js';

/**
 * Where `cdktf deploy` takes the stack's inputs from, highest precedence first:
 *
 * 1. environment variables `ION_DEST_<NAME>` (`ION_DEST_TRUSTED_ACCOUNT_ID`, ...);
 * 2. a JSON file with the Terraform variable names as keys (the `.tfvars.json` form,
 *    so the same file serves `terraform apply -var-file=`): the file named by
 *    `ION_DEST_CONFIG`, else `ion-dest.tfvars.json` in the directory cdktf runs in;
 * 3. the `context` object of `cdktf.json`, with the same keys.
 *
 * Every value found is checked with policy/'s validators before anything is
 * synthesized; an input found nowhere stays a Terraform variable without a default,
 * which `cdktf deploy --var name=value` can still set.
 */
export const CONFIG_ENV_PREFIX = 'ION_DEST_';
/** Environment variable naming the configuration file. */
export const CONFIG_FILE_ENV = 'ION_DEST_CONFIG';
/** The configuration file looked for in the working directory when ION_DEST_CONFIG is unset. */
export const DEFAULT_CONFIG_FILE = 'ion-dest.tfvars.json';
/**
 * Endpoint for every provider call (a local emulator), read at synth time; AWS_ENDPOINT_URL
 * is the fallback. Never written into the committed Terraform.
 */
export const ENDPOINT_ENV = 'ION_DEST_AWS_ENDPOINT_URL';

/** The stack inputs' environment variable, e.g. `ION_DEST_TRUSTED_ACCOUNT_ID`. */
export function environmentVariableOf(name: VariableName): string {
  return `${CONFIG_ENV_PREFIX}${name.toUpperCase()}`;
}

export interface ConfigSources {
  env?: NodeJS.ProcessEnv;
  /** The directory a relative config file path and the default file are resolved from. */
  cwd?: string;
  /** `cdktf.json` context (cdktf hands it to the app; `app.node.tryGetContext`). */
  context?: Record<string, unknown>;
}

export interface DeployConfig {
  inputs: DestinationInputs;
  /** Where each input came from, for messages. */
  origins: Partial<Record<VariableName, string>>;
  endpointUrl: string | undefined;
}

const NAMES = Object.keys(VARIABLE_SPECS) as VariableName[];

/**
 * Read and check `cdktf deploy`'s configuration. Throws one INVALID_INPUT error
 * naming every bad field (with where it came from), its value and the rule.
 */
export function readDeployConfig(sources: ConfigSources = {}): DeployConfig {
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  const problems: (InputProblem | undefined)[] = [];
  const raw: Partial<Record<VariableName, { value: unknown; origin: string }>> = {};

  for (const [key, value] of Object.entries(sources.context ?? {})) {
    if (isVariableName(key)) raw[key] = { value, origin: `cdktf.json context "${key}"` };
  }
  const file = readConfigFile(env, cwd, problems);
  if (file) {
    for (const [key, value] of Object.entries(file.values)) {
      if (isVariableName(key)) raw[key] = { value, origin: `${file.path} "${key}"` };
      else problems.push({ field: `${file.path} "${key}"`, value: key, rule: `a key is one of ${NAMES.join(', ')}` });
    }
  }
  for (const name of NAMES) {
    const value = env[environmentVariableOf(name)];
    if (value !== undefined) raw[name] = { value, origin: environmentVariableOf(name) };
  }

  const inputs: DestinationInputs = {};
  const origins: DeployConfig['origins'] = {};
  for (const [name, found] of Object.entries(raw) as [VariableName, { value: unknown; origin: string }][]) {
    origins[name] = found.origin;
    const field = `${name} (${found.origin})`;
    if (isBooleanVariable(name)) {
      const flag = toBoolean(found.value);
      if (flag === undefined) problems.push({ field, value: String(found.value), rule: 'the value is true or false' });
      else (inputs as Record<string, boolean>)[name] = flag;
      continue;
    }
    if (typeof found.value !== 'string') {
      problems.push({ field, value: JSON.stringify(found.value), rule: 'the value is a string' });
      continue;
    }
    // Empty means "not set" for every optional input, as in the Terraform variables.
    const spec = VARIABLE_SPECS[name];
    if (found.value !== '' || spec.default === undefined) problems.push(spec.validate?.(found.value, field));
    (inputs as Record<string, string>)[name] = found.value;
  }
  if (inputs.use_existing_bucket === true && !inputs.bucket_name) {
    problems.push({
      field: `use_existing_bucket (${origins.use_existing_bucket})`,
      value: 'true',
      rule: 'use_existing_bucket is true only together with bucket_name naming the existing bucket',
    });
  }
  if (inputs.additional_external_id && inputs.additional_external_id === inputs.external_id) {
    problems.push({
      field: `additional_external_id (${origins.additional_external_id})`,
      value: inputs.additional_external_id,
      rule: 'additional_external_id differs from external_id',
    });
  }
  assertNoProblems(problems);
  return { inputs, origins, endpointUrl: resolveEndpointUrl(env[ENDPOINT_ENV], env) };
}

function isVariableName(key: string): key is VariableName {
  return (NAMES as string[]).includes(key);
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function readConfigFile(
  env: NodeJS.ProcessEnv,
  cwd: string,
  problems: (InputProblem | undefined)[],
): { path: string; values: Record<string, unknown> } | undefined {
  const named = env[CONFIG_FILE_ENV];
  const path = named !== undefined && named !== '' ? named : DEFAULT_CONFIG_FILE;
  const field = named ? CONFIG_FILE_ENV : 'configuration file';
  const absolute = resolve(cwd, path);
  if (!existsSync(absolute)) {
    if (named) problems.push({ field: CONFIG_FILE_ENV, value: named, rule: 'the configuration file exists' });
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    problems.push({ field, value: path, rule: `the configuration file is JSON (${(error as Error).message})` });
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push({ field, value: path, rule: 'the configuration file holds one JSON object' });
    return undefined;
  }
  return { path, values: parsed as Record<string, unknown> };
}
