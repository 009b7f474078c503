import type { CommandModule } from 'yargs';
import { pickOptions, withFlagNames } from '../options.js';

interface CleanupArgs {
  'role-arn': string;
  'external-id': string;
  bucket: string;
  region: string;
  tenant: string;
  'older-than': string;
  'dry-run': boolean;
  'expected-bucket-owner'?: string;
  'endpoint-url'?: string;
  profile?: string;
  json: boolean;
}

/** `ion-dest cleanup`: abort incomplete multipart uploads a crashed delivery left under the tenant's prefix. */
export const cleanupCommand: CommandModule<object, CleanupArgs> = {
  command: 'cleanup',
  describe: "Abort incomplete multipart uploads under the tenant's prefix (left by deliveries that crashed), and remove this machine's spool folders of killed deliveries",
  builder: (y) =>
    y
      .options(
        pickOptions(
          ['role-arn', 'external-id', 'bucket', 'region', 'tenant', 'endpoint-url', 'profile', 'json'],
          ['role-arn', 'external-id', 'bucket', 'region', 'tenant'],
        ),
      )
      .option('older-than', { type: 'string', default: '24h', describe: 'Abort only uploads started at least this long ago (s, m, h, d)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'List what would be aborted; abort nothing' })
      .option('expected-bucket-owner', { type: 'string', describe: "Account that must own the bucket (default: the role ARN's account)" })
      .example('$0 cleanup --role-arn arn:aws:iam::444455556666:role/ion-delivery --external-id ion-acme-7f3a9c --bucket acme-ion-snapshots --region us-east-1 --tenant acme', '') as never,
  handler: async (args) => {
    // Loaded here, not at the top: `--help` and the other commands need none of it (nor the AWS SDK it loads).
    const { parseDuration } = await import('../../delivery/orchestration/parse-size.js');
    const { cleanupUploads } = await import('../../delivery/orchestration/cleanup-uploads.js');
    const olderThanMs = parseDuration(args['older-than'], '--older-than');
    const report = await withFlagNames(() => cleanupUploads({
      roleArn: args['role-arn'],
      externalId: args['external-id'],
      bucket: args.bucket,
      region: args.region,
      tenant: args.tenant,
      olderThanMs,
      dryRun: args['dry-run'],
      ...(args['expected-bucket-owner'] ? { expectedBucketOwner: args['expected-bucket-owner'] } : {}),
      ...(args['endpoint-url'] ? { endpointUrl: args['endpoint-url'] } : {}),
      ...(args.profile ? { profile: args.profile } : {}),
    }));
    if (args.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    const verb = report.dryRun ? 'would abort' : 'aborted';
    const lines = [
      `${verb} ${report.aborted.length} incomplete upload(s) under s3://${report.bucket}/${report.prefix} older than ${args['older-than']}; ${report.kept.length} younger left alone`,
      ...report.aborted.map((u) => `  ${u.key}  upload ${u.uploadId}  started ${u.initiated ?? 'unknown'}`),
      ...(report.removedSpools.length > 0
        ? [`${report.dryRun ? 'would remove' : 'removed'} ${report.removedSpools.length} spool folder(s) of killed deliveries:`, ...report.removedSpools.map((p) => `  ${p}`)]
        : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
