import type { Options } from 'yargs';

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
