import { directoryAttachmentSource, directoryTableSource, type AttachmentSource, type TableSource } from '../delivery/index.js';
import { createPostgresTableSource } from '../delivery/sources/postgres-tables.js';
import { createS3AttachmentSource } from '../delivery/sources/s3-attachments.js';
import type { InputProblem } from '../errors/index.js';
import { assertNoProblems } from '../policy/index.js';

// In a module of their own, so that `deliver --help` shows them without loading the sources' drivers and clients.
export { SNAPSHOT_SOURCE_OPTIONS } from './snapshot-source-options.js';

export interface SnapshotSourceArgs {
  tables?: string;
  schema?: string;
  'database-url'?: string;
  attachments: string;
  'attachments-bucket-owner'?: string;
  'attachments-region'?: string;
  region: string;
  profile?: string;
  'endpoint-url'?: string;
}

/** Build the sources the flags name; bad or conflicting flags fail here, before any call. */
export function createSnapshotSources(args: SnapshotSourceArgs): { tables: TableSource; attachments: AttachmentSource } {
  const fromS3 = args.attachments.startsWith('s3://');
  assertNoProblems([
    args.tables === undefined && args.schema === undefined
      ? { field: '--tables', value: '', rule: 'name the tables: --tables DIR, or --schema NAME for a PostgreSQL schema' }
      : undefined,
    args.tables !== undefined && args.schema !== undefined
      ? { field: '--schema', value: args.schema, rule: '--tables and --schema are two sources of tables; give one' }
      : undefined,
    args['database-url'] !== undefined && args.schema === undefined
      ? { field: '--database-url', value: '(not shown)', rule: '--database-url goes with --schema' }
      : undefined,
    !fromS3 && args['attachments-bucket-owner'] !== undefined
      ? { field: '--attachments-bucket-owner', value: args['attachments-bucket-owner'], rule: 'goes with --attachments s3://bucket/prefix/' }
      : undefined,
  ]);
  const tables =
    args.schema !== undefined
      ? createPostgresTableSource({ schema: args.schema, ...(args['database-url'] !== undefined ? { databaseUrl: args['database-url'] } : {}) })
      : directoryTableSource(args.tables as string, '--tables');
  const attachments = fromS3
    ? createS3AttachmentSource({
        url: args.attachments,
        region: args['attachments-region'] ?? args.region,
        ...(args['attachments-bucket-owner'] ? { expectedBucketOwner: args['attachments-bucket-owner'] } : {}),
        ...(args.profile ? { profile: args.profile } : {}),
        ...(args['endpoint-url'] ? { endpointUrl: args['endpoint-url'] } : {}),
      })
    : directoryAttachmentSource(args.attachments, '--attachments');
  return { tables, attachments };
}

/**
 * The sources' pre-flight (a directory that is missing or unreadable, a file that cannot be
 * packed, a `.csv.gz` that is not gzip), before any AWS call: every problem, each naming the
 * flag and the file.
 */
export async function checkSnapshotSources(sources: { tables: TableSource; attachments: AttachmentSource }): Promise<InputProblem[]> {
  const [tables, attachments] = await Promise.all([sources.tables.check?.() ?? [], sources.attachments.check?.() ?? []]);
  return [...tables, ...attachments];
}

/** True when a PostgreSQL URL carries a password (`user:password@`, or `?password=`). */
export function databaseUrlHasPassword(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.password !== '' || parsed.searchParams.has('password');
  } catch {
    return /:[^/@]*@|[?&]password=/i.test(url);
  }
}

/**
 * A password on the command line is readable by every local user (`ps`, /proc/<pid>/cmdline)
 * for the whole delivery: the warning to show (never the password), saying what to use instead.
 * @see https://www.postgresql.org/docs/current/libpq-pgpass.html
 * @see https://www.postgresql.org/docs/current/libpq-envars.html
 */
export function commandLineSecretWarning(args: Pick<SnapshotSourceArgs, 'database-url'>): string | undefined {
  const url = args['database-url'];
  if (url === undefined || !databaseUrlHasPassword(url)) return undefined;
  return (
    '--database-url carries a password, which any user of this machine can read in the process list while the delivery runs. ' +
    'Pass the URL in DATABASE_URL instead, or leave the password out of it and use PGPASSWORD or a ~/.pgpass file (see docs/snapshot-sources.md).'
  );
}
