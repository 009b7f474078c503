import { directoryAttachmentSource, directoryTableSource, type AttachmentSource, type TableSource } from '../delivery/index.js';
import { createPostgresTableSource } from '../delivery/sources/postgres-tables.js';
import { createS3AttachmentSource } from '../delivery/sources/s3-attachments.js';
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
      : directoryTableSource(args.tables as string);
  const attachments = fromS3
    ? createS3AttachmentSource({
        url: args.attachments,
        region: args['attachments-region'] ?? args.region,
        ...(args['attachments-bucket-owner'] ? { expectedBucketOwner: args['attachments-bucket-owner'] } : {}),
        ...(args.profile ? { profile: args.profile } : {}),
        ...(args['endpoint-url'] ? { endpointUrl: args['endpoint-url'] } : {}),
      })
    : directoryAttachmentSource(args.attachments);
  return { tables, attachments };
}
