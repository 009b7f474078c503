import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { DeleteRoleCommand, DeleteRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudFormationClient } from '../../aws/clients.js';
import { renderCloudFormationTemplate } from '../../stacks/cloudformation/render-yaml.js';
import { deliverSnapshot, directoryAttachmentSource, directoryTableSource } from '../../delivery/index.js';
import {
  CUSTOMER_ACCOUNT_ID,
  OTHER_ACCOUNT_ID,
  TEST_POLICY_NAME,
  VENDOR_ACCOUNT_ID,
  createCustomerDestination,
  createVendorIdentity,
  type AccountIdentity,
  type CustomerDestination,
} from '../../emulator/accounts.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { newExternalId, trustPolicy } from '../../policy/index.js';
import { verifyDestination, type VerificationReport } from '../../verifier/index.js';
import { identityEnv, runCli, type CliResult } from '../helpers/run-cli.js';
import { EXTERNAL_ID, TENANT, clientsFor, createCustomerAdmin } from './fixtures.js';


let emulator: Emulator;
let vendor: AccountIdentity;
let admin: AccountIdentity;
let work: string;
const destinations = new Map<string, CustomerDestination>();

const NAMES = ['rotate', 'revoke-role', 'revoke-trust', 'revoke-policy', 'revoke-live'] as const;

beforeAll(async () => {
  emulator = await startEmulator();
  for (const name of NAMES) {
    destinations.set(name, await createCustomerDestination(emulator, { bucket: `acme-${name}`, roleName: `Ion-${name}`, trustedAccountId: VENDOR_ACCOUNT_ID, externalIds: EXTERNAL_ID }));
  }
  vendor = await createVendorIdentity(emulator);
  admin = await createCustomerAdmin(emulator, CUSTOMER_ACCOUNT_ID);
  await emulator.enableAuth();
  work = mkdtempSync(join(tmpdir(), 'ion-dest-revoke-rotate-'));
  mkdirSync(join(work, 'tables'));
  mkdirSync(join(work, 'attachments'));
  writeFileSync(join(work, 'tables', 'parts.csv'), 'id,serial\n1,SN-1\n2,SN-2\n');
  writeFileSync(join(work, 'attachments', 'note.txt'), 'attached\n');
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function dest(name: (typeof NAMES)[number]): CustomerDestination {
  return destinations.get(name)!;
}

function runVendorCli(args: string[]): Promise<CliResult> {
  return runCli(args, { exactEnv: identityEnv(vendor.credentials) });
}

function verifyArgs(d: CustomerDestination, ...extra: string[]): string[] {
  return ['verify', '--role-arn', d.roleArn, '--bucket', d.bucket, '--region', d.region, '--tenant', TENANT, '--endpoint-url', emulator.url, ...extra];
}

function iam() {
  return clientsFor(emulator, admin.credentials).iam;
}

/** The customer replaces the trust policy with the contract's, for these external IDs. */
async function setTrust(d: CustomerDestination, externalIds: string[], trustedAccountId = VENDOR_ACCOUNT_ID): Promise<void> {
  await iam().send(
    new UpdateAssumeRolePolicyCommand({ RoleName: d.roleName, PolicyDocument: JSON.stringify(trustPolicy({ trustedAccountId, externalIds })) }),
  );
}

/** Everything in the bucket that the verifier could have left: object versions, delete markers, multipart uploads. */
async function bucketTraces(d: CustomerDestination): Promise<string[]> {
  const { s3 } = clientsFor(emulator, admin.credentials);
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: d.bucket, ExpectedBucketOwner: CUSTOMER_ACCOUNT_ID }));
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: d.bucket, ExpectedBucketOwner: CUSTOMER_ACCOUNT_ID }));
  return [
    ...(versions.Versions ?? []).map((v) => `version ${v.Key}`),
    ...(versions.DeleteMarkers ?? []).map((v) => `delete marker ${v.Key}`),
    ...(uploads.Uploads ?? []).map((u) => `upload ${u.Key}`),
  ];
}

function statuses(report: VerificationReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

interface Deliveries {
  /** Resolves once one more delivery has ended (delivered or failed). */
  next(): Promise<void>;
  /** Stop after the delivery in progress; what happened. */
  stop(): Promise<{ delivered: number; failures: string[]; used: string[] }>;
}

/**
 * Small deliveries back to back through the library, each with the external ID First
 * Resonance holds at its start (`currentId()`), until stopped.
 */
function startDeliveries(d: { roleArn: string; bucket: string; region: string }, currentId: () => string, oldId: string): Deliveries {
  const failures: string[] = [];
  const used = new Set<string>();
  let delivered = 0;
  let running = true;
  const loop = (async () => {
    for (let n = 0; running; n++) {
      const externalId = currentId();
      const which = externalId === oldId ? 'old' : 'new';
      try {
        await deliverSnapshot({
          roleArn: d.roleArn,
          externalId,
          bucket: d.bucket,
          region: d.region,
          tenant: TENANT,
          jobId: `job-${n}`,
          tables: directoryTableSource(join(work, 'tables')),
          attachments: directoryAttachmentSource(join(work, 'attachments')),
          endpointUrl: emulator.url,
          sourceCredentials: vendor.credentials,
          maxAttempts: 1,
        });
        delivered += 1;
        used.add(which);
      } catch (error) {
        failures.push(`delivery ${n} with the ${which} ID: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return {
    async next() {
      const before = delivered + failures.length;
      while (delivered + failures.length === before) await new Promise((r) => setTimeout(r, 20));
    },
    async stop() {
      running = false;
      await loop;
      return { delivered, failures, used: [...used].sort() };
    },
  };
}

describe('rotation: a new external ID with deliveries running throughout', () => {
  it('issues, adds, verifies both, switches, removes the old one and proves it refused, with no failed delivery', async () => {
    const d = dest('rotate');
    const oldId = EXTERNAL_ID;
    let current = oldId;
    const deliveries = startDeliveries(d, () => current, oldId);
    try {
      await deliveries.next();
      // (1) First Resonance issues the new ID; the customer's trust holds old and new.
      const newId = newExternalId({ tenant: TENANT }).externalId;
      await setTrust(d, [oldId, newId]);
      await deliveries.next();
      // (2) verify with both: each accepted, wrong ones refused.
      const both = await runVendorCli(verifyArgs(d, '--external-id', oldId, '--external-id', newId, '--json'));
      expect(both.code, both.stderr + both.stdout).toBe(0);
      const bothReport = JSON.parse(both.stdout) as VerificationReport;
      expect(bothReport.checks.find((c) => c.id === 'assume-role')!.message).toContain('each of the 2 external IDs');
      expect(bothReport.checks.find((c) => c.id === 'external-id-exact')).toMatchObject({ status: 'pass' });
      // Before the switch, claiming the old one is retired is caught.
      const early = await runVendorCli(verifyArgs(d, '--external-id', newId, '--retired-external-id', oldId, '--json'));
      expect(early.code).toBe(1);
      const earlyExact = (JSON.parse(early.stdout) as VerificationReport).checks.find((c) => c.id === 'external-id-exact')!;
      expect(earlyExact).toMatchObject({ status: 'fail', code: 'EXTERNAL_ID_NOT_EXACT' });
      expect(earlyExact.message).toContain('retired external ID 1');
      expect(earlyExact.message).not.toContain(oldId);
      // (3) First Resonance switches its stored ID.
      current = newId;
      await deliveries.next();
      await deliveries.next();
      // (4) The customer removes the old ID; verify proves it refused and the new one working.
      await setTrust(d, [newId]);
      await deliveries.next();
      const after = await runVendorCli(verifyArgs(d, '--external-id', newId, '--retired-external-id', oldId, '--json'));
      expect(after.code, after.stdout).toBe(0);
      const afterReport = JSON.parse(after.stdout) as VerificationReport;
      expect(afterReport.checks.find((c) => c.id === 'external-id-exact')!.message).toContain('1 retired external ID');
      const oldAlone = await verifyDestination({ roleArn: d.roleArn, externalId: oldId, bucket: d.bucket, region: d.region, tenant: TENANT, endpointUrl: emulator.url, credentials: vendor.credentials, noProbes: true });
      expect(statuses(oldAlone)['assume-role']).toBe('fail');
    } catch (error) {
      await deliveries.stop();
      throw error;
    }
    const { delivered, failures, used } = await deliveries.stop();
    expect(failures).toEqual([]);
    expect(used).toEqual(['new', 'old']);
    expect(delivered).toBeGreaterThanOrEqual(6);
  }, 240_000);

  it('through CloudFormation stack updates (AdditionalExternalId, then ExternalId), and offboarding by deleting the stack', async () => {
    const cfn = createCloudFormationClient({ region: 'us-east-1', endpointUrl: emulator.url, credentials: admin.credentials, maxAttempts: 2 });
    const wait = { client: cfn, maxWaitTime: 120, minDelay: 1, maxDelay: 2 };
    const stackName = 'ion-rotate-cfn';
    const bucket = 'acme-cfn-rotate';
    const oldId = EXTERNAL_ID;
    const newId = newExternalId({ tenant: TENANT }).externalId;
    const stack = (values: Record<string, string>) => ({
      StackName: stackName,
      TemplateBody: renderCloudFormationTemplate(),
      Parameters: Object.entries({ TrustedAccountId: VENDOR_ACCOUNT_ID, BucketName: bucket, RoleName: 'ion-delivery-cfn', ...values }).map(
        ([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }),
      ),
      Capabilities: ['CAPABILITY_NAMED_IAM' as const],
    });
    try {
      await cfn.send(new CreateStackCommand(stack({ ExternalId: oldId })));
      await waitUntilStackCreateComplete(wait, { StackName: stackName });
      const outputs = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0]?.Outputs ?? [];
      const roleArn = outputs.find((o) => o.OutputKey === 'RoleArn')?.OutputValue as string;
      expect(roleArn).toMatch(/:role\/ion-delivery-cfn$/);
      const d = { roleArn, bucket, region: 'us-east-1' };
      const base = { ...d, tenant: TENANT, endpointUrl: emulator.url, credentials: vendor.credentials };
      let current = oldId;
      const deliveries = startDeliveries(d, () => current, oldId);
      try {
        await deliveries.next();
        await cfn.send(new UpdateStackCommand(stack({ ExternalId: oldId, AdditionalExternalId: newId })));
        await waitUntilStackUpdateComplete(wait, { StackName: stackName });
        const both = await verifyDestination({ ...base, externalId: oldId, additionalExternalId: newId });
        expect(both.ok, JSON.stringify(both.checks.filter((c) => c.status === 'fail'))).toBe(true);
        current = newId;
        await deliveries.next();
        await deliveries.next();
        await cfn.send(new UpdateStackCommand(stack({ ExternalId: newId, AdditionalExternalId: '' })));
        await waitUntilStackUpdateComplete(wait, { StackName: stackName });
        await deliveries.next();
        const after = await verifyDestination({ ...base, externalId: newId, retiredExternalIds: [oldId] });
        expect(after.ok, JSON.stringify(after.checks.filter((c) => c.status === 'fail'))).toBe(true);
      } catch (error) {
        await deliveries.stop();
        throw error;
      }
      const { failures, used } = await deliveries.stop();
      expect(failures).toEqual([]);
      expect(used).toEqual(['new', 'old']);
      const live = await verifyDestination({ ...base, externalId: newId, expectRevoked: true });
      expect(live.ok).toBe(false);
      await cfn.send(new DeleteStackCommand({ StackName: stackName }));
      await waitUntilStackDeleteComplete(wait, { StackName: stackName });
      const proof = await verifyDestination({ ...base, externalId: newId, retiredExternalIds: [oldId], expectRevoked: true });
      expect(proof.ok, JSON.stringify(proof.checks)).toBe(true);
      expect(proof.checks[0]).toMatchObject({ id: 'assume-role', status: 'pass' });
      // The bucket and the delivered data stay (DeletionPolicy: Retain).
      const { s3 } = clientsFor(emulator, admin.credentials);
      const kept = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: `${TENANT}/`, ExpectedBucketOwner: CUSTOMER_ACCOUNT_ID }));
      expect((kept.Versions ?? []).length).toBeGreaterThan(0);
    } finally {
      cfn.destroy();
    }
  }, 300_000);
});

describe('verify --expect-revoked', () => {
  it('exits 1 naming what still works while the role exists, writing nothing; 0 once the customer deletes the role', async () => {
    const d = dest('revoke-role');
    const before = await bucketTraces(d);
    const live = await runVendorCli(verifyArgs(d, '--external-id', EXTERNAL_ID, '--expect-revoked', '--json'));
    expect(live.code, live.stderr).toBe(1);
    const report = JSON.parse(live.stdout) as VerificationReport;
    expect(report).toMatchObject({ ok: false, expectation: 'revoked' });
    expect(report.checks.map((c) => c.id)).toEqual(['assume-role', 'list', 'write', 'read']);
    expect(statuses(report)).toEqual({ 'assume-role': 'fail', list: 'fail', write: 'fail', read: 'fail' });
    expect(report.checks[0]).toMatchObject({ code: 'ACCESS_NOT_REVOKED' });
    expect(report.checks[0]!.message).toContain('list, write, read');
    expect(report.checks.find((c) => c.id === 'write')!.message).toContain('BadDigest');
    expect(report.checks.find((c) => c.id === 'read')!.message).toContain('404');
    expect(await bucketTraces(d)).toEqual(before);

    const text = await runVendorCli(verifyArgs(d, '--external-id', EXTERNAL_ID, '--expect-revoked'));
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Proving First Resonance can no longer reach');
    expect(text.stdout).toContain('ACCESS_NOT_REVOKED');

    await iam().send(new DeleteRolePolicyCommand({ RoleName: d.roleName, PolicyName: TEST_POLICY_NAME }));
    await iam().send(new DeleteRoleCommand({ RoleName: d.roleName }));
    const gone = await runVendorCli(verifyArgs(d, '--external-id', EXTERNAL_ID, '--expect-revoked', '--json'));
    expect(gone.code, gone.stdout).toBe(0);
    const proof = JSON.parse(gone.stdout) as VerificationReport;
    expect(proof.ok).toBe(true);
    expect(Date.parse(proof.checkedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(proof.checks[0]).toMatchObject({ id: 'assume-role', status: 'pass' });
    expect(proof.checks[0]!.requestId).toMatch(/\S/);
    expect(statuses(proof)).toEqual({ 'assume-role': 'pass', list: 'skip', write: 'skip', read: 'skip' });
    expect(await bucketTraces(d)).toEqual(before);
  }, 120_000);

  it('exits 0 once the customer removes First Resonance from the trust policy', async () => {
    const d = dest('revoke-trust');
    await setTrust(d, [EXTERNAL_ID], OTHER_ACCOUNT_ID);
    const report = await verifyDestination({ roleArn: d.roleArn, externalId: EXTERNAL_ID, bucket: d.bucket, region: d.region, tenant: TENANT, endpointUrl: emulator.url, credentials: vendor.credentials, expectRevoked: true });
    expect(report.ok).toBe(true);
    expect(report.checks[0]).toMatchObject({ id: 'assume-role', status: 'pass' });
    expect(report.checks[0]!.message).toContain('was refused');
  });

  it('exits 0 with a warning when the role can be assumed but its permission policy is gone', async () => {
    const d = dest('revoke-policy');
    await iam().send(new DeleteRolePolicyCommand({ RoleName: d.roleName, PolicyName: TEST_POLICY_NAME }));
    const before = await bucketTraces(d);
    const run = await runVendorCli(verifyArgs(d, '--external-id', EXTERNAL_ID, '--expect-revoked', '--json'));
    expect(run.code, run.stdout).toBe(0);
    const report = JSON.parse(run.stdout) as VerificationReport;
    expect(statuses(report)).toEqual({ 'assume-role': 'warn', list: 'pass', write: 'pass', read: 'pass' });
    expect(report.checks[0]).toMatchObject({ code: 'ROLE_STILL_ASSUMABLE' });
    expect(report.checks[0]!.message).toContain('role can be assumed but has no access to the bucket');
    for (const check of report.checks.slice(1)) {
      expect(check.message).toContain('was refused');
      expect(check.requestId).toMatch(/\S/);
    }
    expect(await bucketTraces(d)).toEqual(before);
  });

  it('a retired external ID still accepted keeps the revocation from passing', async () => {
    const d = dest('revoke-live');
    const newId = newExternalId().externalId;
    await setTrust(d, [newId]);
    const report = await verifyDestination({ roleArn: d.roleArn, externalId: EXTERNAL_ID, retiredExternalIds: [newId], bucket: d.bucket, region: d.region, tenant: TENANT, endpointUrl: emulator.url, credentials: vendor.credentials, expectRevoked: true });
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ id: 'assume-role', status: 'fail', code: 'ACCESS_NOT_REVOKED' });
  });

  it('refuses bad input before any AWS call: a third --external-id, a retired ID that is also current', async () => {
    const d = dest('revoke-live');
    const three = await runVendorCli(verifyArgs(d, '--external-id', 'ion-a-1', '--external-id', 'ion-b-2', '--external-id', 'ion-c-3'));
    expect(three.code).toBe(2);
    expect(three.stderr).toContain('--external-id');
    const same = await runVendorCli(verifyArgs(d, '--external-id', EXTERNAL_ID, '--retired-external-id', EXTERNAL_ID));
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('--retired-external-id');
    const fleet = await runVendorCli(['verify', '--fleet', 'destinations.csv', '--expect-revoked', '--endpoint-url', emulator.url]);
    expect(fleet.code).toBe(2);
    expect(fleet.stderr).toContain('--expect-revoked proves one destination at a time');
  });
});
