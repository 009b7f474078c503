import type { Options } from 'yargs';

/**
 * Where `deliver` takes a snapshot from: tables from a directory or a PostgreSQL
 * schema, attachments from a directory or an `s3://` prefix.
 */
export const SNAPSHOT_SOURCE_OPTIONS = {
  tables: { type: 'string', describe: 'Directory of tables: each <table>.csv (gzipped here) or <table>.csv.gz (packed as is). Or use --schema' },
  schema: {
    type: 'string',
    describe: 'PostgreSQL schema whose tables are the snapshot (exact, case-sensitive name), read in one consistent snapshot. Instead of --tables',
  },
  'database-url': {
    type: 'string',
    describe: 'PostgreSQL URL for --schema (postgres://user:password@host:port/db); default DATABASE_URL, else PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE. Never printed',
  },
  attachments: {
    type: 'string',
    demandOption: true,
    describe: "Attachments: a directory (every file below it, by relative path) or s3://bucket/prefix/ in First Resonance's own bucket, read with its own credentials",
  },
  'attachments-bucket-owner': {
    type: 'string',
    describe: "Account that must own the s3:// attachments bucket (default: the account of First Resonance's credentials)",
  },
  'attachments-region': { type: 'string', describe: 'Region of the s3:// attachments bucket (default: --region; found from the bucket when it differs)' },
} as const satisfies Record<string, Options>;
