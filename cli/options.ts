import type { Options } from 'yargs';
import { IonDestError, isIonDestError } from '../errors/index.js';
import { describeProblems } from '../policy/index.js';

/**
 * Option definitions shared by every command, so a flag means the same thing and
 * reads the same in every `--help`.
 */
export const OPTIONS = {
  'trusted-account': { type: 'string', describe: "First Resonance's 12-digit AWS account ID" },
  'external-id': {
    type: 'string',
    describe: 'External ID the role requires on AssumeRole',
  },
  bucket: { type: 'string', describe: 'S3 bucket name' },
  region: { type: 'string', describe: 'AWS region of the bucket (e.g. us-east-1)' },
  partition: {
    type: 'string',
    choices: ['aws', 'aws-us-gov', 'aws-cn'],
    describe: 'AWS partition of the ARNs (default: derived from --region, else aws)',
  },
  'kms-key-arn': { type: 'string', describe: 'Customer-managed KMS key ARN that encrypts the bucket (SSE-KMS)' },
  'role-arn': { type: 'string', describe: 'ARN of the delivery role in the customer account' },
  'role-name': { type: 'string', describe: 'Name of the delivery role' },
  tenant: { type: 'string', describe: 'Tenant (schema) prefix in the bucket' },
  'endpoint-url': {
    type: 'string',
    describe: 'Send every AWS request to this endpoint (e.g. a local emulator); AWS_ENDPOINT_URL also works',
  },
  profile: { type: 'string', describe: 'AWS profile for the source credentials (default: the standard credential chain)' },
  json: { type: 'boolean', default: false, describe: 'Print machine-readable JSON instead of text' },
} as const satisfies Record<string, Options>;

/** Pick shared options by name, optionally marking some required. */
export function pickOptions<K extends keyof typeof OPTIONS>(
  names: readonly K[],
  required: readonly K[] = [],
): Record<K, Options> {
  const picked = {} as Record<K, Options>;
  for (const name of names) {
    picked[name] = { ...OPTIONS[name], ...(required.includes(name) ? { demandOption: true } : {}) };
  }
  return picked;
}

/**
 * The flag each option of the library's calls stands for. A library call names the option
 * to fix (`roleArn`, destination/parse-destination.ts); on the command line every command
 * names the flag (`--role-arn`), the same way everywhere.
 */
export const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  // The destination (DestinationInput).
  roleArn: '--role-arn',
  externalId: '--external-id',
  additionalExternalId: '--external-id (the second)',
  retiredExternalIds: '--retired-external-id',
  bucket: '--bucket',
  region: '--region',
  tenant: '--tenant',
  expectedBucketOwner: '--expected-bucket-owner',
  sessionDurationSeconds: '--session-duration',
  endpointUrl: '--endpoint-url',
  // aws/endpoint.ts, when a client resolves the endpoint.
  'endpoint URL': '--endpoint-url',
  // deliver and cleanup.
  jobId: '--job-id',
  maxArchiveSize: '--max-archive-size',
  partSize: '--part-size',
  concurrency: '--concurrency',
  gzipLevel: '--gzip-level',
  maxAttempts: '--max-attempts',
  snapshotTime: '--snapshot-time',
  olderThanMs: '--older-than',
  // audit and the policy builders.
  roleName: '--role-name',
  trustedAccountId: '--trusted-account',
  externalIds: '--external-id',
  kmsKeyArn: '--kms-key-arn',
  tenantPrefix: '--tenant-prefix',
  partition: '--partition',
  // launch-url (the quick-create link's options).
  templateUrl: '--template-url',
  stackName: '--stack-name',
  bucketName: '--bucket-name',
  accessLogBucket: '--access-log-bucket',
};

/**
 * Run a library call; an INVALID_INPUT it throws (at once or as a rejected promise) is
 * thrown again with each field named as its flag.
 */
export function withFlagNames<T>(call: () => T): T {
  const rename = (error: unknown): never => {
    if (!isIonDestError(error) || error.code !== 'INVALID_INPUT' || error.problems.length === 0) throw error;
    const problems = error.problems.map((p) => ({ ...p, field: FLAG_OF_FIELD[p.field] ?? p.field }));
    throw new IonDestError('INVALID_INPUT', describeProblems(problems), { source: 'user', problems });
  };
  try {
    const result = call();
    return (result instanceof Promise ? result.catch(rename) : result) as T;
  } catch (error) {
    return rename(error);
  }
}
