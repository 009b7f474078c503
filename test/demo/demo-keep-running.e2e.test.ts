import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DemoSummary } from '../../demo/summary.js';
import { CHECK_IDS } from '../../verifier/index.js';
import { runCli } from '../helpers/run-cli.js';
import { exitOf, isListening, portOf, startCli } from './demo-helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** How long the test leaves the demo idle before Ctrl-C, at least: the summary's duration must not count it. */
const IDLE_MS = 8_000;

/** This process's environment without any AWS_* variable: nothing of the machine's AWS setup may help. */
function withoutAws(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
}

/** The environment a shell has after running `line`: the printed export line, evaluated by bash as a reader's shell would. */
function shellEnvAfter(line: string): NodeJS.ProcessEnv {
  const result = spawnSync('bash', ['-c', `${line}\nenv -0`], { env: withoutAws(), encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return Object.fromEntries(
    result.stdout
      .split('\0')
      .filter((entry) => entry.includes('='))
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

/**
 * Plain AWS SDK calls signed by whatever the environment names (no keys, endpoint or
 * region passed in): as the customer, read the delivered archives; as First Resonance,
 * list its attachments and reach its templates bucket.
 */
const SDK_SCRIPT = `
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
const s3 = new S3Client({ forcePathStyle: true });
const [mode] = process.argv.slice(1);
const out = {};
if (mode === 'customer') {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'acme-ion-snapshots', Prefix: 'acme/', ExpectedBucketOwner: '444455556666' }));
  out.read = [];
  for (const o of listed.Contents ?? []) {
    if (!o.Key.endsWith('.tar')) continue;
    const got = await s3.send(new GetObjectCommand({ Bucket: 'acme-ion-snapshots', Key: o.Key, ExpectedBucketOwner: '444455556666' }));
    out.read.push({ key: o.Key, size: o.Size, bytes: (await got.Body.transformToByteArray()).length });
  }
} else {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'fr-ion-attachments', Prefix: 'tenants/tenant_acme/', ExpectedBucketOwner: '111122223333' }));
  out.attachments = (listed.Contents ?? []).map((o) => o.Key).sort();
  await s3.send(new HeadBucketCommand({ Bucket: 'fr-cfn-templates', ExpectedBucketOwner: '111122223333' }));
  out.templatesBucket = true;
}
process.stdout.write(JSON.stringify(out));
`;

function sdkAs(profile: string, mode: 'customer' | 'vendor', env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', SDK_SCRIPT, mode], { cwd: ROOT, env: { ...env, AWS_PROFILE: profile }, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('ion-dest demo --keep-running', () => {
  it("builds the docs' world and prints one export line with which each docs profile does its part; Ctrl-C removes the profile files and exits 0", async () => {
    const started = Date.now();
    const run = startCli(['demo', '--keep-running', '--json'], withoutAws());
    try {
      const line = (await run.waitFor(/^[ \t]*(export AWS_ENDPOINT_URL=.*)$/m, 120_000))[1]!;
      await run.waitFor(/press Ctrl-C to stop the emulator/);
      const activeSeconds = (Date.now() - started) / 1000;
      expect(line).toMatch(
        /^export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+ AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=\S+\/config AWS_SHARED_CREDENTIALS_FILE=\S+\/credentials$/,
      );
      const env = shellEnvAfter(line);
      const endpointUrl = env.AWS_ENDPOINT_URL!;
      const profileDir = dirname(env.AWS_CONFIG_FILE!);
      expect(dirname(env.AWS_SHARED_CREDENTIALS_FILE!)).toBe(profileDir);
      expect(Object.keys(env).filter((name) => name.startsWith('AWS_')).sort()).toEqual(
        ['AWS_CONFIG_FILE', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_SHARED_CREDENTIALS_FILE'],
      );
      expect(statSync(env.AWS_SHARED_CREDENTIALS_FILE!).mode & 0o777).toBe(0o600);
      expect(statSync(profileDir).mode & 0o077).toBe(0);
      expect(readFileSync(env.AWS_CONFIG_FILE!, 'utf8')).toBe('[profile fr-delivery]\nregion = us-east-1\n\n[profile acme-admin]\nregion = us-east-1\n');
      const credentials = readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8');
      expect([...credentials.matchAll(/^\[([a-z-]+)\]$/gm)].map((m) => m[1])).toEqual(['fr-delivery', 'acme-admin']);
      const keys = [...credentials.matchAll(/^aws_(?:access_key_id|secret_access_key) = (\S+)$/gm)].map((m) => m[1]!);
      expect(keys).toHaveLength(4);

      // First Resonance, by profile: assumes ion-delivery with the external ID and writes under acme/ (the verify checklist).
      const verified = await runCli(
        ['verify', '--role-arn', 'arn:aws:iam::444455556666:role/ion-delivery', '--external-id', 'ion-acme-7f3a9c', '--bucket', 'acme-ion-snapshots', '--region', 'us-east-1', '--tenant', 'acme', '--json'],
        { exactEnv: { ...env, AWS_PROFILE: 'fr-delivery' } },
      );
      expect(verified.code, verified.stderr).toBe(0);
      const report = JSON.parse(verified.stdout) as { ok: boolean; checks: { id: string; status: string }[] };
      expect(report.checks.map((c) => [c.id, c.status])).toEqual(CHECK_IDS.map((id) => [id, 'pass']));

      // The customer, by profile: reads what was delivered.
      const customer = sdkAs('acme-admin', 'customer', env) as { read: { key: string; size: number; bytes: number }[] };
      expect(customer.read).toHaveLength(2);
      for (const o of customer.read) {
        expect(o.key).toMatch(/^acme\/demo-\d{8}T\d{6}Z\/snapshot_(tables|attachments)_demo-\d{8}T\d{6}Z\.tar$/);
        expect(o.bytes).toBe(o.size);
      }

      // First Resonance's own buckets: the templates bucket, and the attachments under the tenant's prefix.
      expect(sdkAs('fr-delivery', 'vendor', env)).toEqual({
        attachments: ['tenants/tenant_acme/WO-1001/photos/weld-seam.bin', 'tenants/tenant_acme/WO-1001/traveler.txt', 'tenants/tenant_acme/parts/P-200/drawing-rev-C.csv'],
        templatesBucket: true,
      });

      const idleUntil = started + activeSeconds * 1000 + IDLE_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, idleUntil - Date.now())));
      run.child.kill('SIGINT');
      expect(await exitOf(run.child), run.output()).toBe(0);

      const summary = JSON.parse(run.stdout()) as DemoSummary;
      expect(summary.ok).toBe(true);
      expect(summary.explore).toEqual({
        exportLine: line,
        profiles: { vendor: 'fr-delivery', customer: 'acme-admin' },
        configFile: env.AWS_CONFIG_FILE,
        credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE,
      });
      // The run's time up to the wait (and the clean-up after it), not the idle time.
      expect(summary.durationSeconds).toBeGreaterThan(0);
      expect(summary.durationSeconds).toBeLessThan(activeSeconds + 3);
      expect(summary.steps.find((s) => s.id === 'keep-running')?.durationMs).toBeGreaterThanOrEqual(IDLE_MS);

      const output = run.output();
      expect(output.split('\n').filter((l) => l.trimStart().startsWith('export AWS_ENDPOINT_URL='))).toEqual([expect.stringContaining(line)]);
      for (const key of keys) expect(output).not.toContain(key);
      expect(output).toContain(`removed the AWS profiles folder ${profileDir.split('/').pop()}`);
      expect(existsSync(profileDir)).toBe(false);
      expect(await isListening(portOf(endpointUrl))).toBe(false);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 240_000);
});
