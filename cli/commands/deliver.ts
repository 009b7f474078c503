import type { CommandModule } from 'yargs';
import { DEFAULT_GZIP_LEVEL } from '../../delivery/compress-table.js';
import { formatBytes } from '../../delivery/parse-size.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE } from '../../delivery/upload-defaults.js';
import { IonDestError, isIonDestError, type InputProblem } from '../../errors/index.js';
import { assertNoProblems } from '../../policy/index.js';
import { pickOptions } from '../options.js';
import { SNAPSHOT_SOURCE_OPTIONS } from '../snapshot-source-options.js';

interface DeliverArgs {
  'role-arn': string;
  'external-id': string;
  bucket: string;
  region: string;
  tenant: string;
  'job-id': string;
  tables?: string;
  schema?: string;
  'database-url'?: string;
  attachments: string;
  'attachments-bucket-owner'?: string;
  'attachments-region'?: string;
  'max-archive-size': string;
  'part-size'?: string;
  concurrency: number;
  'gzip-level': number;
  manifest: boolean;
  'snapshot-time'?: string;
  'expected-bucket-owner'?: string;
  'max-attempts'?: number;
  'endpoint-url'?: string;
  profile?: string;
  json: boolean;
}

/** `ion-dest deliver`: pack a snapshot's tables and attachments and stream them into the customer's bucket. */
export const deliverCommand: CommandModule<object, DeliverArgs> = {
  command: 'deliver',
  describe: 'Deliver a snapshot (tables from a directory or a PostgreSQL schema, attachments from a directory or s3://) into a customer bucket under <tenant>/<job-id>/',
  builder: (y) =>
    y
      .options(
        pickOptions(
          ['role-arn', 'external-id', 'bucket', 'region', 'tenant', 'endpoint-url', 'profile', 'json'],
          ['role-arn', 'external-id', 'bucket', 'region', 'tenant'],
        ),
      )
      .option('job-id', { type: 'string', demandOption: true, describe: 'Snapshot job ID: the folder under the tenant and part of every key' })
      .options(SNAPSHOT_SOURCE_OPTIONS)
      .option('max-archive-size', {
        type: 'string',
        default: '5GiB',
        describe: 'Split an archive into numbered parts above this size (bytes, or with a unit: 512MiB, 5GiB)',
      })
      .option('part-size', { type: 'string', describe: `Multipart part size (default ${formatBytes(DEFAULT_PART_SIZE)}; grown to stay within 10,000 parts)` })
      .option('concurrency', { type: 'number', default: DEFAULT_CONCURRENCY, describe: 'Parts uploaded at once' })
      .option('gzip-level', { type: 'number', default: DEFAULT_GZIP_LEVEL, describe: 'gzip level for CSV tables, 1 (fastest) to 9 (smallest)' })
      .option('manifest', { type: 'boolean', default: false, describe: 'Write manifest_<job-id>.json (every key, size, checksum) after the archives' })
      .option('snapshot-time', { type: 'string', describe: 'Time of the snapshot, ISO 8601 (mtime of every entry; default now)' })
      .option('expected-bucket-owner', { type: 'string', describe: "Account that must own the bucket (default: the role ARN's account)" })
      .option('max-attempts', { type: 'number', describe: 'Attempts per AWS request before giving up (default 8)' })
      .example(
        '$0 deliver --role-arn arn:aws:iam::444455556666:role/ion-delivery --external-id ion-acme-7f3a9c --bucket acme-ion-snapshots --region us-east-1 --tenant acme --job-id 20260101-0200 --tables ./tables --attachments ./attachments --manifest',
        '',
      )
      .example(
        '$0 deliver --role-arn arn:aws:iam::444455556666:role/ion-delivery --external-id ion-acme-7f3a9c --bucket acme-ion-snapshots --region us-east-1 --tenant acme --job-id 20260101-0200 --schema tenant_acme --attachments s3://fr-ion-attachments/tenants/acme/',
        'Tables from PostgreSQL (DATABASE_URL or PG* variables) and attachments from S3',
      ) as never,
  handler: async (args) => {
    // Loaded here, not at the top: `--help` and the other commands need none of it (nor the AWS SDK,
    // the PostgreSQL driver and the worker pool it loads).
    const { deliverSnapshot, formatDeliveryReport, validateDeliveryOptions, parseSize } = await import('../../delivery/index.js');
    const { createSnapshotSources } = await import('../snapshot-sources.js');
    const { createProgressDisplay } = await import('../deliver-progress.js');
    // Every input problem at once, destination and sources alike, before anything starts.
    const problems: InputProblem[] = [];
    const collect = <T>(check: () => T): T | undefined => {
      try {
        return check();
      } catch (error) {
        if (!isIonDestError(error) || error.code !== 'INVALID_INPUT') throw error;
        problems.push(...error.problems);
        return undefined;
      }
    };
    const maxArchiveSize = collect(() => parseSize(args['max-archive-size'], '--max-archive-size'));
    const partSize = args['part-size'] === undefined ? undefined : collect(() => parseSize(args['part-size'] as string, '--part-size'));
    const snapshotTime = args['snapshot-time'] === undefined ? undefined : new Date(args['snapshot-time']);
    if (snapshotTime && Number.isNaN(snapshotTime.getTime())) {
      problems.push({ field: '--snapshot-time', value: args['snapshot-time'] ?? '', rule: 'a snapshot time is an ISO 8601 date and time, e.g. 2026-01-01T02:00:00Z' });
    }
    const settings = {
      roleArn: args['role-arn'],
      externalId: args['external-id'],
      bucket: args.bucket,
      region: args.region,
      tenant: args.tenant,
      jobId: args['job-id'],
      concurrency: args.concurrency,
      gzipLevel: args['gzip-level'],
      manifest: args.manifest,
      ...(maxArchiveSize !== undefined ? { maxArchiveSize } : {}),
      ...(partSize !== undefined ? { partSize } : {}),
      ...(snapshotTime && !Number.isNaN(snapshotTime.getTime()) ? { snapshotTime } : {}),
      ...(args['expected-bucket-owner'] ? { expectedBucketOwner: args['expected-bucket-owner'] } : {}),
      ...(args['max-attempts'] !== undefined ? { maxAttempts: args['max-attempts'] } : {}),
      ...(args['endpoint-url'] ? { endpointUrl: args['endpoint-url'] } : {}),
      ...(args.profile ? { profile: args.profile } : {}),
    };
    collect(() => validateDeliveryOptions(settings));
    const sources = collect(() => createSnapshotSources(args));
    assertNoProblems(problems);
    const display = createProgressDisplay({ json: args.json, tty: Boolean(process.stderr.isTTY) });
    // The first Ctrl-C stops cleanly (abort the upload, remove the spool); a second one kills at once.
    const interrupted = new AbortController();
    const onSignal = (signal: NodeJS.Signals) =>
      interrupted.abort(
        new IonDestError('DELIVERY_INTERRUPTED', `Delivery stopped by ${signal}; the upload in progress was aborted and no manifest was written.`, {
          source: 'user',
        }),
      );
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let report;
    try {
      report = await deliverSnapshot({
        ...settings,
        ...(sources as NonNullable<typeof sources>),
        onProgress: display.listener,
        signal: interrupted.signal,
      });
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      display.stop();
    }
    process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : formatDeliveryReport(report));
  },
};
