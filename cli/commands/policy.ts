import type { CommandModule } from 'yargs';
import {
  assertNoProblems,
  isPartition,
  partitionOfRegion,
  permissionPolicy,
  trustPolicy,
  validateRegion,
  validateRegionInPartition,
  type Partition,
} from '../../policy/index.js';
import { pickOptions, withFlagNames } from '../options.js';

interface PolicyArgs {
  document: 'trust' | 'permissions';
  'trusted-account'?: string;
  'external-id'?: string[];
  bucket?: string;
  partition?: string;
  region?: string;
  'kms-key-arn'?: string;
}

/** `ion-dest policy trust|permissions`: print the exact IAM documents, for a customer who sets up by hand. */
export const policyCommand: CommandModule<object, PolicyArgs> = {
  command: 'policy <document>',
  describe: 'Print the exact trust or permission policy JSON for the delivery role',
  builder: (y) =>
    y
      .positional('document', { choices: ['trust', 'permissions'] as const, demandOption: true })
      .options(pickOptions(['trusted-account', 'bucket', 'partition', 'region', 'kms-key-arn']))
      .option('external-id', {
        type: 'string',
        array: true,
        describe: 'External ID; repeat during a rotation to accept several',
      })
      .option('tenant-prefix', {
        type: 'string',
        describe: "permissions: narrow the grant to keys under <prefix>/ (the tenant); default: the setup guide's policy on the whole bucket",
      })
      .example('$0 policy trust --trusted-account 111122223333 --external-id ion-acme-7f3a9c', '')
      .example('$0 policy permissions --bucket acme-ion-snapshots', '')
      .example('$0 policy permissions --bucket acme-ion-snapshots --tenant-prefix acme', '') as never,
  handler: (args) => {
    // A region names its partition; a --partition that says otherwise would print ARNs the region cannot use.
    assertNoProblems([
      args.region === undefined ? undefined : validateRegion(args.region, '--region'),
      args.region !== undefined && args.partition !== undefined && isPartition(args.partition)
        ? validateRegionInPartition(args.region, args.partition, '--region')
        : undefined,
    ]);
    const partition = resolvePartition(args.partition, args.region);
    const doc =
      args.document === 'trust'
        ? (() => {
            const account = required(args['trusted-account'], '--trusted-account');
            // The builder checks the account and the IDs (how many, each, no two the same), naming its options.
            return withFlagNames(() => trustPolicy({ trustedAccountId: account, externalIds: args['external-id'] ?? [], partition }));
          })()
        : (() => {
            const bucket = required(args.bucket, '--bucket');
            const key = args['kms-key-arn'];
            const tenantPrefix = args['tenant-prefix'] as string | undefined;
            return withFlagNames(() =>
              permissionPolicy({
                bucket,
                partition,
                ...(key !== undefined ? { kmsKeyArn: key } : {}),
                ...(tenantPrefix !== undefined ? { tenantPrefix } : {}),
              }),
            );
          })();
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  },
};

function required(value: string | undefined, field: string): string {
  if (value === undefined || value === '') {
    assertNoProblems([{ field, value: '', rule: `${field} is required for this document` }]);
  }
  return value as string;
}

/** The partition named, else the region's, else `aws`. */
export function resolvePartition(partition: string | undefined, region: string | undefined): Partition {
  if (partition !== undefined && isPartition(partition)) return partition;
  return (region && partitionOfRegion(region)) || 'aws';
}
