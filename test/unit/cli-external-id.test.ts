import { describe, expect, it } from 'vitest';
import { validateExternalId } from '../../policy/index.js';
import { runCli } from '../helpers/run-cli.js';

/** What AWS allows in an external ID (API_AssumeRole, ExternalId), and the length the command promises. */
const AWS_EXTERNAL_ID = /^[\w+=,.@:/-]{32,1224}$/;

describe('ion-dest external-id new', () => {
  it.each([
    ['no tenant', [], /^ion-[^-]+$/],
    ['--tenant acme', ['--tenant', 'acme'], /^ion-acme-[^-]+$/],
  ])('with %s prints the ID alone on one line, for $(…)', async (_label, flags, shape) => {
    const r = await runCli(['external-id', 'new', ...flags]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    const lines = r.stdout.slice(0, -1).split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(AWS_EXTERNAL_ID);
    expect(lines[0]).toMatch(shape);
    expect(validateExternalId(lines[0]!)).toBeUndefined();
  });

  it('prints a different ID each run', async () => {
    const [a, b] = await Promise.all([runCli(['external-id', 'new']), runCli(['external-id', 'new'])]);
    expect(a.stdout).not.toBe(b.stdout);
  });

  it('--json prints externalId, tenant, entropyBits and createdAt', async () => {
    const before = Date.now();
    const r = await runCli(['external-id', 'new', '--tenant', 'acme', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['createdAt', 'entropyBits', 'externalId', 'tenant']);
    expect(out.externalId).toMatch(AWS_EXTERNAL_ID);
    expect(out.externalId).toMatch(/^ion-acme-/);
    expect(out.tenant).toBe('acme');
    expect(out.entropyBits).toBeGreaterThanOrEqual(128);
    expect(Date.parse(out.createdAt as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(out.createdAt).toBe(new Date(Date.parse(out.createdAt as string)).toISOString());
  });

  it('--json without a tenant gives tenant null', async () => {
    const r = await runCli(['external-id', 'new', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ tenant: null, entropyBits: expect.any(Number) });
  });

  it.each([
    ['a space', 'ac me'],
    ['a slash', 'acme/other'],
    ['nothing', ''],
  ])('rejects a tenant with %s: exit 2, naming --tenant, the value and the rule, printing no ID', async (_label, tenant) => {
    const r = await runCli(['external-id', 'new', '--tenant', tenant]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Invalid --tenant ${JSON.stringify(tenant)}: a tenant is 1 to 128 characters`);
  });

  it('with --json, reports a bad tenant as a JSON error on stderr', async () => {
    const r = await runCli(['external-id', 'new', '--tenant', 'a b', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const { error } = JSON.parse(r.stderr) as { error: { code: string; problems: unknown[] } };
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.problems).toEqual([{ field: '--tenant', value: 'a b', rule: expect.stringContaining('a tenant') }]);
  });

  it('rejects an action other than new with exit 2, naming the choices', async () => {
    const r = await runCli(['external-id', 'rotate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Argument: action, Given: "rotate", Choices: "new"');
  });
});
