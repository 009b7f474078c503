import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand, ListObjectVersionsCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET_ACTIONS, bucketArn, bucketObjectsArn, buildTlsOnlyBucketPolicy, permissionPolicy, trustPolicy } from '../../policy/index.js';
import { CHECK_IDS, verifyDestination, type CheckId, type CheckStatus, type VerificationReport, type VerifyOptions } from '../../verifier/index.js';
import {
  CUSTOMER_ACCOUNT_ID,
  OTHER_ACCOUNT_ID,
  VENDOR_ACCOUNT_ID,
  accountAdminClients,
  createCustomerDestination,
  createVendorIdentity,
  type AccountIdentity,
  type CustomerDestination,
  type CustomerDestinationOptions,
} from '../../emulator/accounts.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { EXTERNAL_ID, TENANT, clientsFor, createCustomerAdmin, createKmsKey } from './fixtures.js';
import { identityEnv, runCli, type CliResult } from '../helpers/run-cli.js';


/** The contract's permission policy without some actions: a drifted deployment. */
function permissionsWithout(bucket: string, ...actions: string[]) {
  const doc = permissionPolicy({ bucket });
  doc.Statement[0]!.Action = BUCKET_ACTIONS.filter((a) => !actions.includes(a));
  return doc;
}

function permissionsWith(bucket: string, ...actions: string[]) {
  const doc = permissionPolicy({ bucket });
  doc.Statement[0]!.Action = [...BUCKET_ACTIONS, ...actions];
  return doc;
}

function trustWithoutCondition() {
  const doc = trustPolicy({ trustedAccountId: VENDOR_ACCOUNT_ID, externalIds: EXTERNAL_ID });
  delete doc.Statement[0]!.Condition;
  return doc;
}

/** The contract's trust policy with another condition on the external ID. */
function trustWithCondition(condition: Record<string, Record<string, string>>) {
  const doc = trustPolicy({ trustedAccountId: VENDOR_ACCOUNT_ID, externalIds: EXTERNAL_ID });
  doc.Statement[0]!.Condition = condition as never;
  return doc;
}

type Expected = Partial<Record<CheckId, [CheckStatus, string?]>>;

interface Scenario {
  name: string;
  setup: (kmsKeyArn: string) => Omit<CustomerDestinationOptions, 'roleName' | 'bucket' | 'trustedAccountId' | 'externalIds'> &
    Partial<Pick<CustomerDestinationOptions, 'trustedAccountId' | 'externalIds'>>;
  verify?: Partial<VerifyOptions>;
  ok: boolean;
  /** Checks not listed must pass. */
  expected: Expected;
  /** Substrings the named check's message must contain. */
  messages?: Partial<Record<CheckId, string>>;
  /** Further setup on the created destination (enforcement still off). */
  afterCreate?: (d: CustomerDestination) => Promise<void>;
}

const ALL_SKIPPED_AFTER_ASSUME: Expected = Object.fromEntries(
  CHECK_IDS.filter((id) => id !== 'assume-role').map((id) => [id, ['skip']]),
) as Expected;
const AFTER_BUCKET: CheckId[] = ['list', 'write', 'read', 'delete', 'multipart', 'encryption', 'versioning', 'least-privilege'];
const skipAfterBucket = Object.fromEntries(AFTER_BUCKET.map((id) => [id, ['skip']])) as Expected;

const SCENARIOS: Scenario[] = [
  { name: 'healthy destination', setup: () => ({}), ok: true, expected: {}, messages: { versioning: 's3:DeleteObjectVersion', encryption: 'SSE-S3' } },
  {
    name: "healthy destination with the stack's TLS-only bucket policy",
    setup: () => ({}),
    afterCreate: async (d) => {
      const { s3 } = accountAdminClients(emulator, d.accountId);
      const policy = buildTlsOnlyBucketPolicy<never>({ bucketArn: bucketArn('aws', d.bucket), bucketObjectsArn: bucketObjectsArn('aws', d.bucket) });
      await s3.send(new PutBucketPolicyCommand({ Bucket: d.bucket, Policy: JSON.stringify(policy) }));
      s3.destroy();
    },
    ok: true,
    expected: {},
  },
  {
    name: 'trust policy names another account (wrong principal)',
    setup: () => ({ trustedAccountId: OTHER_ACCOUNT_ID }),
    ok: false,
    expected: { 'assume-role': ['fail', 'ASSUME_ROLE_DENIED'], ...ALL_SKIPPED_AFTER_ASSUME },
  },
  {
    name: 'trust policy requires another external ID (external ID mismatch)',
    setup: () => ({ externalIds: 'ion-acme-other-id' }),
    ok: false,
    expected: { 'assume-role': ['fail', 'ASSUME_ROLE_DENIED'], ...ALL_SKIPPED_AFTER_ASSUME },
  },
  {
    name: 'trust policy without the external ID condition (confused deputy)',
    setup: () => ({ trustPolicy: trustWithoutCondition() }),
    ok: false,
    expected: { 'external-id-required': ['fail', 'EXTERNAL_ID_NOT_REQUIRED'], 'external-id-exact': ['fail', 'EXTERNAL_ID_NOT_EXACT'] },
  },
  {
    name: 'trust policy with a StringLike wildcard after the external ID prefix',
    setup: () => ({ trustPolicy: trustWithCondition({ StringLike: { 'sts:ExternalId': 'ion-acme-*' } }) }),
    ok: false,
    expected: { 'external-id-exact': ['fail', 'EXTERNAL_ID_NOT_EXACT'] },
    messages: { 'external-id-exact': 'succeeded with 3 of 6 wrong external IDs: the external ID with a character appended; the external ID without its last character; the external ID with its last character changed;' },
  },
  {
    name: 'trust policy with a StringLike wildcard before the external ID suffix',
    setup: () => ({ trustPolicy: trustWithCondition({ StringLike: { 'sts:ExternalId': '*-7f3a9c' } }) }),
    ok: false,
    expected: { 'external-id-exact': ['fail', 'EXTERNAL_ID_NOT_EXACT'] },
    messages: { 'external-id-exact': 'succeeded with 1 of 6 wrong external IDs: the external ID with a character put in front;' },
  },
  {
    name: 'trust policy with StringEqualsIgnoreCase on the external ID',
    setup: () => ({ trustPolicy: trustWithCondition({ StringEqualsIgnoreCase: { 'sts:ExternalId': EXTERNAL_ID } }) }),
    ok: false,
    expected: { 'external-id-exact': ['fail', 'EXTERNAL_ID_NOT_EXACT'] },
    messages: { 'external-id-exact': "succeeded with 1 of 6 wrong external IDs: the external ID with its letters' case flipped;" },
  },
  {
    name: 'trust policy in a rotation window (two exact external IDs)',
    setup: () => ({ externalIds: [EXTERNAL_ID, 'ion-acme-next-4d2e81'] }),
    ok: true,
    expected: {},
    messages: { 'external-id-exact': 'denied with each of 6 wrong external IDs' },
  },
  {
    name: 'role without a permission policy',
    setup: () => ({ permissionPolicy: null }),
    ok: false,
    expected: {
      'bucket-exists': ['fail', 'BUCKET_ACCESS_DENIED'],
      'bucket-region': ['skip'],
      list: ['fail', 'LIST_DENIED'],
      write: ['fail', 'WRITE_DENIED'],
      read: ['skip'],
      delete: ['skip'],
      encryption: ['skip'],
      versioning: ['skip'],
      multipart: ['fail', 'MULTIPART_DENIED'],
    },
  },
  {
    name: 'permission policy without s3:PutObject',
    setup: () => ({}),
    ok: false,
    expected: {
      write: ['fail', 'WRITE_DENIED'],
      read: ['skip'],
      delete: ['skip'],
      encryption: ['skip'],
      versioning: ['skip'],
      multipart: ['fail', 'MULTIPART_DENIED'],
    },
  },
  {
    name: 'permission policy without s3:DeleteObject',
    setup: () => ({}),
    ok: false,
    expected: { delete: ['fail', 'DELETE_DENIED'] },
  },
  {
    name: 'bucket does not exist',
    setup: () => ({ createBucket: false }),
    ok: false,
    expected: { 'bucket-exists': ['fail', 'BUCKET_NOT_FOUND'], 'bucket-region': ['skip'], ...skipAfterBucket },
  },
  {
    name: 'bucket in another region',
    setup: () => ({ region: 'eu-west-1' }),
    verify: { region: 'us-east-1' },
    ok: false,
    expected: { 'bucket-region': ['fail', 'BUCKET_WRONG_REGION'], ...skipAfterBucket },
    messages: { 'bucket-region': 'eu-west-1' },
  },
  {
    name: 'SSE-KMS bucket whose key the role may not use',
    setup: (key) => ({ encryption: { kmsKeyArn: key } }),
    ok: false,
    expected: {
      write: ['fail', 'KMS_KEY_DENIED'],
      read: ['skip'],
      delete: ['skip'],
      encryption: ['skip'],
      versioning: ['skip'],
      multipart: ['fail', 'KMS_KEY_DENIED'],
    },
  },
  {
    name: 'SSE-KMS bucket with the key statement',
    setup: (key) => ({ encryption: { kmsKeyArn: key } }),
    ok: true,
    expected: {},
    messages: { encryption: 'SSE-KMS' },
  },
  {
    name: 'unversioned bucket',
    setup: () => ({ versioning: false }),
    ok: true,
    expected: { versioning: ['warn', 'VERSIONING_DISABLED'] },
  },
  {
    name: 'role wider than the contract',
    setup: () => ({}),
    ok: true,
    expected: { 'least-privilege': ['warn', 'ROLE_WIDER_THAN_CONTRACT'] },
    messages: { 'least-privilege': 'GetBucketAcl' },
  },
  {
    name: 'healthy destination with --no-probes',
    setup: () => ({}),
    verify: { noProbes: true },
    ok: true,
    expected: { 'external-id-required': ['skip'], 'external-id-exact': ['skip'], 'least-privilege': ['skip'] },
    messages: { 'external-id-required': '--no-probes', 'least-privilege': '--no-probes' },
  },
  {
    name: 'bucket owned by another account than expected',
    setup: () => ({}),
    verify: { expectedBucketOwner: OTHER_ACCOUNT_ID },
    ok: false,
    expected: {
      'bucket-exists': ['fail', 'BUCKET_ACCESS_DENIED'],
      'bucket-region': ['skip'],
      list: ['fail', 'LIST_DENIED'],
      write: ['fail', 'WRITE_DENIED'],
      read: ['skip'],
      delete: ['skip'],
      encryption: ['skip'],
      versioning: ['skip'],
      multipart: ['fail', 'MULTIPART_DENIED'],
      'least-privilege': ['pass'],
    },
  },
];

function slug(i: number): string {
  return `verify-e2e-${String(i).padStart(2, '0')}`;
}

/** Per-scenario policy overrides that need the bucket name. */
function bucketSpecific(name: string, bucket: string): Partial<CustomerDestinationOptions> {
  if (name === 'permission policy without s3:PutObject') return { permissionPolicy: permissionsWithout(bucket, 's3:PutObject') };
  if (name === 'permission policy without s3:DeleteObject') return { permissionPolicy: permissionsWithout(bucket, 's3:DeleteObject') };
  if (name === 'role wider than the contract') return { permissionPolicy: permissionsWith(bucket, 's3:GetBucketAcl') };
  if (name === 'SSE-KMS bucket whose key the role may not use') return { permissionPolicy: permissionPolicy({ bucket }) };
  return {};
}

let emulator: Emulator;
let vendor: AccountIdentity;
let admin: AccountIdentity;
const destinations = new Map<string, CustomerDestination>();

beforeAll(async () => {
  emulator = await startEmulator();
  const key = await createKmsKey(emulator, CUSTOMER_ACCOUNT_ID);
  for (const [i, scenario] of SCENARIOS.entries()) {
    const name = slug(i);
    const setup = scenario.setup(key);
    const destination = await createCustomerDestination(emulator, {
      bucket: name,
      roleName: name,
      trustedAccountId: VENDOR_ACCOUNT_ID,
      externalIds: EXTERNAL_ID,
      ...setup,
      ...bucketSpecific(scenario.name, name),
    });
    await scenario.afterCreate?.(destination);
    destinations.set(scenario.name, destination);
  }
  vendor = await createVendorIdentity(emulator);
  admin = await createCustomerAdmin(emulator, CUSTOMER_ACCOUNT_ID);
  await emulator.enableAuth();
});

afterAll(async () => {
  await emulator?.stop();
});

function verifyOptions(d: CustomerDestination, extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    roleArn: d.roleArn,
    externalId: EXTERNAL_ID,
    bucket: d.bucket,
    region: d.region,
    tenant: TENANT,
    endpointUrl: emulator.url,
    credentials: vendor.credentials,
    maxAttempts: 2,
    ...extra,
  };
}

/** What verify left under the tenant prefix: current objects, noncurrent versions, delete markers, uploads. */
async function leftovers(bucket: string, region: string) {
  const { s3 } = clientsFor(emulator, admin.credentials, region);
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: `${TENANT}/` }));
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: `${TENANT}/` }));
  s3.destroy();
  return {
    versions: versions.Versions ?? [],
    markers: versions.DeleteMarkers ?? [],
    uploads: uploads.Uploads ?? [],
  };
}

describe('verify against the emulator (two accounts, IAM enforced)', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const d = destinations.get(scenario.name)!;
    const report = await verifyDestination(verifyOptions(d, scenario.verify));
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    for (const id of CHECK_IDS) {
      const [status, code] = scenario.expected[id] ?? ['pass'];
      const check = byId.get(id)!;
      expect({ id, status: check.status, code: check.code }, check.message).toEqual({ id, status, code });
      if (status === 'fail' || status === 'warn') {
        expect(check.cause).toBeTruthy();
        expect(check.fix).toBeTruthy();
      }
    }
    for (const [id, text] of Object.entries(scenario.messages ?? {})) expect(byId.get(id as CheckId)!.message).toContain(text);
    expect(report.ok).toBe(scenario.ok);
    // The external ID stays out of reports, the probes derived from it included.
    expect(JSON.stringify(report)).not.toContain(EXTERNAL_ID);

    if (scenario.name !== 'bucket does not exist') {
      const left = await leftovers(d.bucket, d.region);
      expect(left.uploads).toEqual([]);
      if (scenario.name === 'permission policy without s3:DeleteObject') {
        // The role cannot delete: the one test object stays, and the report names it.
        expect(left.versions).toHaveLength(1);
        expect(byId.get('delete')!.details?.join('\n') ?? byId.get('delete')!.message).toContain(left.versions[0]!.Key!);
      } else {
        expect(left.markers.length).toBe(left.versions.length);
        if (byId.get('write')!.status === 'pass' && byId.get('versioning')!.status === 'pass') {
          // Versioned: the deleted test object remains as one noncurrent version behind a delete marker.
          expect(left.versions).toHaveLength(1);
          expect(left.versions[0]!.IsLatest).toBe(false);
        } else {
          expect(left.versions).toHaveLength(0);
        }
      }
    }
  });

  it('reports an unreachable endpoint as ENDPOINT_UNREACHABLE', async () => {
    const closed = await closedPort();
    const d = destinations.get('healthy destination')!;
    const report = await verifyDestination({ ...verifyOptions(d), endpointUrl: `http://127.0.0.1:${closed}`, maxAttempts: 1 });
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ id: 'assume-role', status: 'fail', code: 'ENDPOINT_UNREACHABLE' });
    // Reported once: the probes could not ask either.
    for (const probe of report.checks.slice(1, 3)) {
      expect(probe).toMatchObject({ status: 'skip', message: 'skipped: the STS endpoint could not be reached, see assume-role' });
    }
    expect(report.checks.filter((c) => c.status === 'fail')).toHaveLength(1);
  });

  it('reports source credentials STS rejects once, as SOURCE_CREDENTIALS_INVALID, and skips the probes', async () => {
    const d = destinations.get('healthy destination')!;
    const report = await verifyDestination({
      ...verifyOptions(d),
      credentials: { accessKeyId: 'AKIAIOSFODNN7NOSUCHK', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYNOSUCHKEY' },
    });
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ id: 'assume-role', status: 'fail', code: 'SOURCE_CREDENTIALS_INVALID' });
    for (const probe of report.checks.slice(1, 3)) {
      expect(probe).toMatchObject({ status: 'skip', message: 'skipped: STS rejected the source credentials, see assume-role' });
    }
    expect(report.checks.filter((c) => c.status === 'fail')).toHaveLength(1);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function runVendorCli(args: string[], credentials?: AccountIdentity['credentials'], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, { exactEnv: identityEnv(credentials, extraEnv) });
}

function cliArgs(d: CustomerDestination, externalId = EXTERNAL_ID): string[] {
  return ['verify', '--role-arn', d.roleArn, '--external-id', externalId, '--bucket', d.bucket, '--region', d.region, '--tenant', TENANT, '--endpoint-url', emulator.url];
}

describe('ion-dest verify (the program)', () => {
  it('--json prints the report and exits 0 for a healthy destination, 1 for a failing one', async () => {
    const d = destinations.get('healthy destination')!;
    const [ok, bad] = await Promise.all([
      runVendorCli([...cliArgs(d), '--json'], vendor.credentials),
      runVendorCli([...cliArgs(d, 'ion-acme-wrong-id'), '--json'], vendor.credentials),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout) as VerificationReport;
    expect(Object.keys(report)).toEqual(['ok', 'destination', 'checks']);
    expect(report.ok).toBe(true);
    expect(report.destination).toEqual({ roleArn: d.roleArn, bucket: d.bucket, region: d.region, tenant: TENANT, expectedBucketOwner: CUSTOMER_ACCOUNT_ID });
    for (const check of report.checks) {
      expect(Object.keys(check)).toEqual(expect.arrayContaining(['id', 'status', 'message', 'durationMs']));
      expect(typeof check.durationMs).toBe('number');
    }
    expect(bad.code).toBe(1);
    const failed = JSON.parse(bad.stdout) as VerificationReport;
    expect(failed.ok).toBe(false);
    expect(failed.checks[0]).toMatchObject({ id: 'assume-role', status: 'fail', code: 'ASSUME_ROLE_DENIED' });
    expect(failed.checks[0]!.fix).toContain('ion-dest audit');
    expect(failed.checks[0]!.requestId).toBeTruthy();
  });

  it('exits 1 naming the accepted variant when the trust policy matches the external ID with a wildcard, and never prints the ID', async () => {
    const d = destinations.get('trust policy with a StringLike wildcard after the external ID prefix')!;
    const [json, text] = await Promise.all([runVendorCli([...cliArgs(d), '--json'], vendor.credentials), runVendorCli(cliArgs(d), vendor.credentials)]);
    expect(json.code, json.stderr).toBe(1);
    expect(text.code, text.stderr).toBe(1);
    const report = JSON.parse(json.stdout) as VerificationReport;
    const exact = report.checks.find((c) => c.id === 'external-id-exact')!;
    expect(exact).toMatchObject({ status: 'fail', code: 'EXTERNAL_ID_NOT_EXACT' });
    expect(exact.message).toContain('the external ID with a character appended');
    expect(exact.fix).toContain('StringEquals');
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['external-id-exact']);
    expect(text.stdout).toMatch(/FAIL\s+external-id-exact\s+AssumeRole on \S+ succeeded with 3 of 6 wrong external IDs/);
    expect(text.stdout).toContain('- accepted: the external ID without its last character');
    for (const run of [json, text]) expect(run.stdout + run.stderr).not.toContain(EXTERNAL_ID);
  });

  it('with no credentials at all, reports the failure once under assume-role and skips the probes saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ion-dest-no-credentials-'));
    try {
      // Empty shared files, no key in the environment, no instance or container role.
      writeFileSync(join(dir, 'credentials'), '');
      writeFileSync(join(dir, 'config'), '');
      const empty: NodeJS.ProcessEnv = {
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_DEFAULT_PROFILE: undefined,
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
        AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
        AWS_ROLE_ARN: undefined,
      };
      for (const [name, value] of Object.entries(empty)) if (value === undefined) delete empty[name];
      const d = destinations.get('healthy destination')!;
      const run = await runVendorCli([...cliArgs(d), '--json'], undefined, empty);
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(run.stdout) as VerificationReport;
      const byId = new Map(report.checks.map((c) => [c.id, c]));
      expect(byId.get('assume-role')).toMatchObject({ status: 'fail', code: 'SOURCE_CREDENTIALS_MISSING' });
      expect(byId.get('assume-role')!.cause).toBeTruthy();
      expect(byId.get('assume-role')!.fix).toBeTruthy();
      for (const id of ['external-id-required', 'external-id-exact'] as const) {
        expect(byId.get(id)).toMatchObject({ status: 'skip', message: 'skipped: no credentials to call STS, see assume-role' });
        expect(byId.get(id)!.code).toBeUndefined();
      }
      expect(report.checks.filter((c) => c.status === 'fail')).toHaveLength(1);
      expect(report.checks.filter((c) => c.status === 'skip')).toHaveLength(CHECK_IDS.length - 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--fleet verifies a CSV of destinations, prints a summary and exits 1 when one fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ion-dest-fleet-'));
    try {
      const rows = ['healthy destination', 'unversioned bucket', 'bucket does not exist'].map((n) => destinations.get(n)!);
      const file = join(dir, 'fleet.csv');
      writeFileSync(file, ['role_arn,external_id,bucket,region,tenant', ...rows.map((d) => `${d.roleArn},${EXTERNAL_ID},${d.bucket},${d.region},${TENANT}`)].join('\n'));
      const run = await runVendorCli(['verify', '--fleet', file, '--concurrency', '2', '--endpoint-url', emulator.url], vendor.credentials);
      expect(run.code, run.stderr).toBe(1);
      const lines = run.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^#\s+tenant\s+bucket\s+region\s+result/);
      expect(lines[1]).toMatch(new RegExp(`${rows[0]!.bucket}\\s+us-east-1\\s+ok\\s+13/0/0/0`));
      expect(lines[2]).toContain('versioning:VERSIONING_DISABLED');
      expect(lines[3]).toContain('bucket-exists:BUCKET_NOT_FOUND');
      expect(lines.at(-1)).toBe('3 destinations: 2 ok, 1 failed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad input with exit 2 before any AWS call', async () => {
    let requests = 0;
    const server: Server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const run = await runVendorCli(
        ['verify', '--role-arn', 'arn:aws:iam::12345:role/x', '--external-id', 'x', '--bucket', 'Bad_Bucket', '--region', 'us-east-1', '--tenant', '../up', '--endpoint-url', url, '--json'],
        vendor.credentials,
      );
      expect(run.code).toBe(2);
      const error = JSON.parse(run.stderr.trim().split('\n').at(-1)!) as { error: { code: string; problems: { field: string }[] } };
      expect(error.error.code).toBe('INVALID_INPUT');
      expect(error.error.problems.map((p) => p.field)).toEqual(['--role-arn', '--external-id', '--bucket', '--tenant']);
      expect(requests).toBe(0);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
