/**
 * `npm run bench:delivery:pg [-- --size 1GiB --tables 20]`: a generated tenant schema
 * of about `--size` bytes of CSV over `--tables` tables, delivered end to end from a
 * real PostgreSQL server to the local emulator, against its floor on this machine:
 * `psql -c "\copy (SELECT …) to stdout csv header" | gzip` of the same tables to
 * /dev/null, run with the same parallelism and gzip level. Prints CSV MiB/s read,
 * MiB/s uploaded, peak RSS of this process, and the ratio to the floor.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DEFAULT_GZIP_LEVEL, deliverSnapshot, formatBytes, parseSize } from '../delivery/index.js';
import { createPostgresTableSource } from '../delivery/sources/postgres-tables.js';
import { createS3AttachmentSource } from '../delivery/sources/s3-attachments.js';
import { EMULATOR_REGION, VENDOR_ACCOUNT_ID, accountAdminClients, createCustomerDestination } from '../emulator/accounts.js';
import { EMULATOR_ROOT_CREDENTIALS, startEmulator } from '../emulator/emulator.js';
import { startPostgres, type PostgresServer } from '../emulator/postgres-server.js';

const SCHEMA = 'tenant_bench';
const ATTACHMENTS_BUCKET = 'fr-ion-attachments-bench';
const MiB = 1024 * 1024;

/**
 * One row of every generated table: ids, a text of varying length with quotes and
 * commas, a numeric, a timestamp and a small jsonb, close to the mix of an ION tenant.
 */
const TABLE_COLUMNS = `id bigint PRIMARY KEY, sku text, description text, qty integer, cost numeric(14,4), made_at timestamptz, spec jsonb`;
const ROW_SELECT = (table: number) => `SELECT g, 'SKU-' || lpad((g * 7919 % 1000003)::text, 7, '0'),
    repeat(md5((g + ${table})::text) || ', "part" ', 1 + (g % 5)), (g % 1000)::int, (g % 100000) / 7.0,
    TIMESTAMPTZ '2025-01-01 00:00:00+00' + g * INTERVAL '17 seconds', jsonb_build_object('lot', g % 97, 'ok', g % 3 = 0)`;

interface Args {
  size: number;
  tables: number;
  attachments: number;
  concurrency: number | undefined;
}

function readArgs(): Args {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '1GiB' },
      tables: { type: 'string', default: '20' },
      attachments: { type: 'string', default: '16MiB' },
      concurrency: { type: 'string' },
    },
  });
  return {
    size: parseSize(values.size!, '--size'),
    tables: Math.max(1, Number.parseInt(values.tables!, 10)),
    attachments: parseSize(values.attachments!, '--attachments'),
    concurrency: values.concurrency ? Number.parseInt(values.concurrency, 10) : undefined,
  };
}

/** Create the schema and fill it until its CSV is about `size` bytes. */
function generateSchema(pg: PostgresServer, args: Args): { rows: number; csvBytes: number } {
  pg.psql(`CREATE SCHEMA ${SCHEMA}; CREATE TABLE ${SCHEMA}.t00 (${TABLE_COLUMNS}); INSERT INTO ${SCHEMA}.t00 ${ROW_SELECT(0)} FROM generate_series(1, 2000) g;`);
  const sample = Number(pg.psql(`SELECT sum(octet_length(concat_ws(',', id, sku, '"' || description || '"', qty, cost, made_at, '"' || spec::text || '"')) + 1) FROM ${SCHEMA}.t00`).trim());
  const bytesPerRow = sample / 2000;
  const rowsPerTable = Math.max(1, Math.round(args.size / args.tables / bytesPerRow));
  const statements = [`TRUNCATE ${SCHEMA}.t00;`];
  for (let t = 0; t < args.tables; t++) {
    const name = `${SCHEMA}.t${String(t).padStart(2, '0')}`;
    if (t > 0) statements.push(`CREATE TABLE ${name} (${TABLE_COLUMNS});`);
    statements.push(`INSERT INTO ${name} ${ROW_SELECT(t)} FROM generate_series(1, ${rowsPerTable}) g;`);
  }
  pg.psql(statements.join('\n'));
  return { rows: rowsPerTable * args.tables, csvBytes: Math.round(rowsPerTable * args.tables * bytesPerRow) };
}

/** The floor: psql's \copy piped into gzip at the delivery's level, `parallel` tables at a time. */
async function measureFloor(pg: PostgresServer, tables: number, parallel: number): Promise<number> {
  const started = process.hrtime.bigint();
  let next = 0;
  const one = (t: number) =>
    new Promise<void>((resolve, reject) => {
      const table = `${SCHEMA}.t${String(t).padStart(2, '0')}`;
      const child = spawn('bash', ['-o', 'pipefail', '-c', `psql -X -q -c "\\copy (SELECT * FROM ONLY ${table}) to stdout with (format csv, header)" | gzip -${DEFAULT_GZIP_LEVEL} > /dev/null`], {
        env: { ...process.env, ...pg.env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`floor pipeline for ${table} exited ${code}`))));
    });
  await Promise.all(
    Array.from({ length: Math.min(parallel, tables) }, async () => {
      while (next < tables) await one(next++);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main(): Promise<void> {
  const args = readArgs();
  const parallel = args.concurrency ?? availableParallelism();
  process.stdout.write(`PostgreSQL delivery benchmark: ${formatBytes(args.size)} of CSV over ${args.tables} tables, ${formatBytes(args.attachments)} of attachments, ${parallel} tables at a time, gzip level ${DEFAULT_GZIP_LEVEL}\n`);
  const [pg, emulator] = await Promise.all([startPostgres(), startEmulator()]);
  try {
    let t = Date.now();
    const generated = generateSchema(pg, args);
    process.stdout.write(`generated ${generated.rows} rows (about ${formatBytes(generated.csvBytes)} of CSV) in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);

    const destination = await createCustomerDestination(emulator, {
      bucket: 'bench-destination',
      roleName: 'ion-snapshot-delivery',
      trustedAccountId: VENDOR_ACCOUNT_ID,
      externalIds: 'ion-bench-0001',
    });
    const { s3 } = accountAdminClients(emulator, VENDOR_ACCOUNT_ID);
    await s3.send(new CreateBucketCommand({ Bucket: ATTACHMENTS_BUCKET }));
    const objectSize = Math.min(4 * MiB, Math.max(1, args.attachments));
    const objectCount = Math.max(1, Math.round(args.attachments / objectSize));
    for (let i = 0; i < objectCount; i++) {
      await s3.send(new PutObjectCommand({ Bucket: ATTACHMENTS_BUCKET, Key: `tenants/${SCHEMA}/f${i}.bin`, Body: Buffer.alloc(objectSize, i) }));
    }
    s3.destroy();
    const attachmentBytes = objectCount * objectSize;
    process.env.AWS_ACCESS_KEY_ID = EMULATOR_ROOT_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = EMULATOR_ROOT_CREDENTIALS.secretAccessKey;

    t = Date.now();
    let tablesReadAt = t;
    const report = await deliverSnapshot({
      roleArn: destination.roleArn,
      externalId: 'ion-bench-0001',
      bucket: destination.bucket,
      region: EMULATOR_REGION,
      tenant: SCHEMA,
      jobId: 'bench-0001',
      endpointUrl: emulator.url,
      compressConcurrency: parallel,
      tables: createPostgresTableSource({ databaseUrl: pg.url, schema: SCHEMA, maxConnections: parallel }),
      attachments: createS3AttachmentSource({
        url: `s3://${ATTACHMENTS_BUCKET}/tenants/${SCHEMA}/`,
        region: EMULATOR_REGION,
        endpointUrl: emulator.url,
        expectedBucketOwner: VENDOR_ACCOUNT_ID,
        credentials: EMULATOR_ROOT_CREDENTIALS,
      }),
      onProgress: (event) => {
        if (event.type === 'table-ready') tablesReadAt = Date.now();
      },
    });
    const seconds = (Date.now() - t) / 1000;
    const tableCsvBytes = report.sourceBytes - attachmentBytes;
    const peakRss = process.resourceUsage().maxRSS * 1024;

    const floorSeconds = await measureFloor(pg, args.tables, parallel);
    const readSeconds = (tablesReadAt - t) / 1000;
    const readRate = tableCsvBytes / MiB / readSeconds;
    const pipelineRate = tableCsvBytes / MiB / seconds;
    const floorRate = tableCsvBytes / MiB / floorSeconds;
    const lines = [
      `delivered ${report.objects.length} object(s), ${formatBytes(report.deliveredBytes)}, in ${seconds.toFixed(2)} s`,
      `  CSV read and compressed:  ${formatBytes(tableCsvBytes)} in ${readSeconds.toFixed(2)} s, ${readRate.toFixed(1)} MiB/s (COPY → gzip → spool, while the attachments upload)`,
      `  end to end:               ${pipelineRate.toFixed(1)} MiB/s of CSV (including the tables archive's upload after the last table)`,
      `  uploaded:                 ${formatBytes(report.deliveredBytes)} at ${(report.deliveredBytes / MiB / seconds).toFixed(1)} MiB/s`,
      `  peak RSS of this process: ${(peakRss / MiB).toFixed(0)} MiB`,
      `floor (psql \\copy | gzip -${DEFAULT_GZIP_LEVEL} > /dev/null, ${parallel} at a time): ${floorSeconds.toFixed(2)} s, ${floorRate.toFixed(1)} MiB/s of CSV`,
      `ratio read stage / floor: ${(readRate / floorRate).toFixed(2)}`,
      `ratio end to end / floor: ${(pipelineRate / floorRate).toFixed(2)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.all([pg.stop(), emulator.stop()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
