import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { devNull } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import {
  CUSTOMER_ACCOUNT_ID,
  VENDOR_ACCOUNT_ID,
  assumeRoleAs,
  createCustomerDestination,
  createVendorIdentity,
  type AccountIdentity,
  type CustomerDestination,
} from '../../emulator/accounts.js';
import type { Emulator } from '../../emulator/emulator.js';
import type { SnapshotFixture } from './snapshot-fixture.js';
import { CLI_FROM_SOURCE } from '../helpers/run-cli.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXTERNAL_ID = 'ion-acme-7f3a9c';
export const TENANT = 'acme_prod';

export interface DeliveryWorld {
  destination: CustomerDestination;
  vendor: AccountIdentity;
  /** Reads back as the delivery role (the customer's bucket, with its own policy). */
  reader: () => Promise<S3Client>;
}

/**
 * The setup guide's destination in the customer account and First Resonance's identity in
 * the vendor account, then IAM enforcement on: every delivery call is authorized as AWS would.
 */
export async function createDeliveryWorld(emulator: Emulator, bucket: string): Promise<DeliveryWorld> {
  const destination = await createCustomerDestination(emulator, {
    bucket,
    roleName: 'IonSnapshotDelivery',
    trustedAccountId: VENDOR_ACCOUNT_ID,
    externalIds: EXTERNAL_ID,
  });
  const vendor = await createVendorIdentity(emulator);
  await emulator.enableAuth();
  return {
    destination,
    vendor,
    reader: async () => {
      const session = await assumeRoleAs(emulator, vendor.credentials, { roleArn: destination.roleArn, externalId: EXTERNAL_ID });
      return createS3Client({
        region: destination.region,
        endpointUrl: emulator.url,
        credentials: session,
        expectedBucketOwner: CUSTOMER_ACCOUNT_ID,
        maxAttempts: 2,
      });
    },
  };
}

export async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
}

export async function listIncompleteUploads(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
  return (out.Uploads ?? []).map((u) => `${u.Key} ${u.UploadId}`);
}

export async function download(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

/** Extract with the system's GNU tar (not tar-stream) into `dir`. */
export function extractWithGnuTar(archive: Buffer, dir: string, name: string): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, '..', `${name}.tar`);
  writeFileSync(file, archive);
  execFileSync('tar', ['--extract', '--file', file, '--directory', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Every regular file under `dir`, as relative POSIX paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Compare extracted tables (gunzipped) and attachments with the fixture, byte for byte, and nothing extra. */
export function expectSameAsFixture(fixture: SnapshotFixture, tablesOut: string, attachmentsOut: string): void {
  const expectedTables = [...fixture.tableFiles.keys()].map((n) => `${n}.csv.gz`).sort();
  expect(listFiles(tablesOut)).toEqual(expectedTables);
  for (const [name, source] of fixture.tableFiles) {
    const packed = readFileSync(join(tablesOut, `${name}.csv.gz`));
    if (source.endsWith('.csv.gz')) {
      // An already gzipped table is packed as it is, never compressed again.
      expect(packed.equals(readFileSync(source)), `${name}.csv.gz is the source file`).toBe(true);
    } else {
      const csv = execFileSync('gzip', ['-dc'], { input: packed, maxBuffer: 1 << 30 });
      expect(csv.equals(readFileSync(source)), `${name} gunzips to its CSV`).toBe(true);
    }
  }
  expect(listFiles(attachmentsOut)).toEqual([...fixture.attachmentFiles.keys()].sort());
  for (const [path, source] of fixture.attachmentFiles) {
    expect(readFileSync(join(attachmentsOut, path)).equals(readFileSync(source)), path).toBe(true);
  }
}

/** gunzip in-process, for quick checks. */
export function gunzip(buffer: Buffer): Buffer {
  return gunzipSync(buffer);
}

export function mtimeSeconds(file: string): number {
  return Math.floor(statSync(file).mtimeMs / 1000);
}

/** Run `ion-dest` as a user would, in a child process. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  onSpawn?: (child: ChildProcess) => void,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_FROM_SOURCE, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, AWS_CONFIG_FILE: devNull, AWS_SHARED_CREDENTIALS_FILE: devNull },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    onSpawn?.(child);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Environment that makes the vendor identity the standard chain's source credentials. */
export function vendorEnv(vendor: AccountIdentity): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: vendor.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: vendor.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
}
