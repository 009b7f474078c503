import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startCountingEndpoint, type CountingEndpoint } from './counting-endpoint.js';

/** A good destination; the preflight tests spoil one value of it at a time. */
export const GOOD_DESTINATION = {
  roleArn: 'arn:aws:iam::444455556666:role/ion-delivery',
  externalId: 'ion-acme-7f3a9c',
  bucket: 'acme-ion-snapshots',
  region: 'us-east-1',
  tenant: 'acme',
} as const;

/** GOOD_DESTINATION as command-line flags, with some replaced or added. */
export function destinationFlags(overrides: Record<string, string> = {}): string[] {
  const flags: Record<string, string> = {
    '--role-arn': GOOD_DESTINATION.roleArn,
    '--external-id': GOOD_DESTINATION.externalId,
    '--bucket': GOOD_DESTINATION.bucket,
    '--region': GOOD_DESTINATION.region,
    '--tenant': GOOD_DESTINATION.tenant,
    ...overrides,
  };
  return Object.entries(flags).flatMap(([flag, value]) => [flag, value]);
}

/** Source credentials of the right shape (AWS's documentation example), so a command that did call AWS would reach the endpoint. */
export const SHAPED_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } as const;
export const SHAPED_CREDENTIALS_ENV = {
  AWS_ACCESS_KEY_ID: SHAPED_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: SHAPED_CREDENTIALS.secretAccessKey,
  AWS_REGION: GOOD_DESTINATION.region,
} as const;

export interface PreflightWorld {
  /** A fresh directory, made at once (tables of cases name files in it), removed after the tests. */
  readonly work: string;
  /** `work/tables` with one CSV table and `work/attachments` with one file under `docs/`. */
  readonly tables: string;
  readonly attachments: string;
  /** The counting endpoint's URL (set before the first test). */
  readonly endpoint: string;
  /** The requests it received since the current test began: none, when input was checked first. */
  readonly requests: readonly string[];
}

/**
 * For a `describe` whose tests prove bad input is refused before any AWS call: a work
 * directory with a small snapshot, and an endpoint that only counts requests, reset before
 * each test.
 */
export function usePreflightWorld(prefix: string): PreflightWorld {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const tables = join(work, 'tables');
  const attachments = join(work, 'attachments');
  let counting: CountingEndpoint | undefined;
  beforeAll(async () => {
    counting = await startCountingEndpoint();
    mkdirSync(tables);
    mkdirSync(join(attachments, 'docs'), { recursive: true });
    writeFileSync(join(tables, 'orders.csv'), 'id\n1\n');
    writeFileSync(join(attachments, 'docs', 'a.pdf'), 'pdf');
  });
  afterAll(async () => {
    await counting?.close();
    rmSync(work, { recursive: true, force: true });
  });
  beforeEach(() => counting?.reset());
  const started = (): CountingEndpoint => {
    if (!counting) throw new Error('the counting endpoint starts in beforeAll; read it inside a test');
    return counting;
  };
  return {
    work,
    tables,
    attachments,
    get endpoint() {
      return started().url;
    },
    get requests() {
      return started().requests;
    },
  };
}
