import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { CleanupStack } from '../cleanup-stack.js';

/** A named profile of the shared AWS files: its name and the keys it signs with. */
export interface NamedProfile {
  name: string;
  credentials: AwsCredentialIdentity;
}

/** Where the demo wrote the shared AWS files, and the environment that points at them. */
export interface ProfileFiles {
  configFile: string;
  credentialsFile: string;
}

/**
 * Write an AWS config file (`[profile <name>]` with the region) and a shared credentials
 * file (`[<name>]` with the keys, mode 0600) into a new private temporary folder, which
 * `cleanup` removes when the demo stops. The keys go into the file only, never to output.
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
 */
export async function writeProfileFiles(profiles: readonly NamedProfile[], region: string, cleanup: CleanupStack): Promise<ProfileFiles> {
  // mkdtemp creates the folder readable by its owner only (0700).
  const dir = await mkdtemp(join(tmpdir(), 'ion-dest-demo-aws-'));
  cleanup.add(`remove the AWS profiles folder ${basename(dir)}`, `removed the AWS profiles folder ${basename(dir)}`, () => rm(dir, { recursive: true, force: true }));
  const configFile = join(dir, 'config');
  const credentialsFile = join(dir, 'credentials');
  await writeFile(configFile, profiles.map((p) => `[profile ${p.name}]\nregion = ${region}\n`).join('\n'), { mode: 0o600 });
  await writeFile(
    credentialsFile,
    profiles.map((p) => `[${p.name}]\naws_access_key_id = ${p.credentials.accessKeyId}\naws_secret_access_key = ${p.credentials.secretAccessKey}\n`).join('\n'),
    { mode: 0o600 },
  );
  return { configFile, credentialsFile };
}

/**
 * One value for a POSIX shell: as is when it holds only characters no shell treats
 * specially, otherwise in single quotes (a single quote inside becomes `'\''`).
 */
export function shellQuote(value: string): string {
  return value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The one line that points a shell at the emulator and the profile files: the endpoint,
 * the region (as AWS_REGION for the SDKs and AWS_DEFAULT_REGION for the aws CLI), the
 * config and credentials files. No profile and no keys: each command names its side with
 * `AWS_PROFILE=`.
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 * @see https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html
 */
export function exportLine(endpointUrl: string, region: string, files: ProfileFiles): string {
  const variables: [string, string][] = [
    ['AWS_ENDPOINT_URL', endpointUrl],
    ['AWS_REGION', region],
    ['AWS_DEFAULT_REGION', region],
    ['AWS_CONFIG_FILE', files.configFile],
    ['AWS_SHARED_CREDENTIALS_FILE', files.credentialsFile],
  ];
  return `export ${variables.map(([name, value]) => `${name}=${shellQuote(value)}`).join(' ')}`;
}
