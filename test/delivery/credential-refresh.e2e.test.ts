import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import { deliverSnapshot, directoryTableSource, type AttachmentSource, type DeliveryProgressEvent } from '../../delivery/index.js';
import { IonDestError } from '../../errors/index.js';
import { assumeDeliveryRole } from '../../destination/assume-role.js';
import { createStsClient } from '../../aws/clients.js';
import { CUSTOMER_ACCOUNT_ID, assumeRoleAs } from '../../emulator/accounts.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { EXTERNAL_ID, TENANT, createDeliveryWorld, download, extractWithGnuTar, listFiles, type DeliveryWorld } from './helpers.js';
import { writeSnapshotFixture, type SnapshotFixture } from './snapshot-fixture.js';

const BUCKET = 'acme-ion-sessions';
/** The emulator caps every role session at this many seconds (a test device: AWS's minimum is 900). */
const SESSION_SECONDS = 3;
const ATTACHMENTS = 10;
/** With minimum-size parts, a part upload (a signed request) happens every few attachments. */
const ATTACHMENT_BYTES = 1.5 * 2 ** 20;
const PART_SIZE = 5 * 2 ** 20;
/** Each attachment trickles in over this long, so the delivery outlives several sessions. */
const ATTACHMENT_DELAY_MS = 900;

/** Attachments that arrive slowly, as from a slow remote store. */
function slowAttachments(): AttachmentSource {
  const body = (i: number) => Buffer.alloc(ATTACHMENT_BYTES, `attachment ${i}\n`);
  return {
    description: 'slow test attachments',
    async list() {
      return Array.from({ length: ATTACHMENTS }, (_, i) => ({ path: `slow/${String(i).padStart(2, '0')}.txt`, size: body(i).length }));
    },
    async openAttachment(ref) {
      const i = Number(ref.path.slice(5, 7));
      return Readable.from(
        (async function* () {
          await new Promise((r) => setTimeout(r, ATTACHMENT_DELAY_MS));
          yield body(i);
        })(),
      );
    },
  };
}

describe('deliver: role sessions are refreshed before they expire', () => {
  let emulator: Emulator;
  let world: DeliveryWorld;
  let work: string;
  let fixture: SnapshotFixture;

  beforeAll(async () => {
    emulator = await startEmulator({ env: { ION_DEST_EMULATOR_MAX_SESSION_SECONDS: String(SESSION_SECONDS) } });
    world = await createDeliveryWorld(emulator, BUCKET);
    work = mkdtempSync(join(tmpdir(), 'ion-dest-sessions-'));
    fixture = writeSnapshotFixture(join(work, 'snapshot'), 0.2);
  });

  afterAll(async () => {
    await emulator?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the emulator rejects a request signed with an expired session', async () => {
    const session = await assumeRoleAs(emulator, world.vendor.credentials, { roleArn: world.destination.roleArn, externalId: EXTERNAL_ID });
    expect(session.expiration.getTime() - Date.now()).toBeLessThanOrEqual(SESSION_SECONDS * 1000 + 1000);
    const client = createS3Client({ region: 'us-east-1', endpointUrl: emulator.url, credentials: session, expectedBucketOwner: CUSTOMER_ACCOUNT_ID, maxAttempts: 1 });
    await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${TENANT}/` }));
    await new Promise((r) => setTimeout(r, session.expiration.getTime() - Date.now() + 500));
    await expect(client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${TENANT}/` }))).rejects.toMatchObject({ name: 'ExpiredToken' });
    client.destroy();
  });

  it('a refused AssumeRole fails the delivery as the verifier reports it: ASSUME_ROLE_DENIED, the same message, nothing written', async () => {
    const wrongId = 'ion-acme-not-this-one';
    const sts = createStsClient({ region: 'us-east-1', endpointUrl: emulator.url, credentials: world.vendor.credentials, maxAttempts: 1 });
    const verifierError = await assumeDeliveryRole(sts, { roleArn: world.destination.roleArn, externalId: wrongId, durationSeconds: 900, sessionName: 'probe' }).catch((e: unknown) => e);
    sts.destroy();
    const delivery = deliverSnapshot({
      roleArn: world.destination.roleArn,
      externalId: wrongId,
      bucket: BUCKET,
      region: 'us-east-1',
      tenant: TENANT,
      jobId: 'job-denied',
      tables: directoryTableSource(fixture.tablesDir),
      attachments: slowAttachments(),
      endpointUrl: emulator.url,
      sourceCredentials: world.vendor.credentials,
    });
    const error = await delivery.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IonDestError);
    expect(verifierError).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('ASSUME_ROLE_DENIED');
    expect((error as IonDestError).message).toMatch(new RegExp(`^AssumeRole on ${world.destination.roleArn} failed: AccessDenied \\(HTTP 403\\)`));
    expect((error as IonDestError).message).toBe((verifierError as IonDestError).message);
    const reader = await world.reader();
    expect((await reader.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${TENANT}/job-denied/` }))).KeyCount ?? 0).toBe(0);
    reader.destroy();
  });

  it('a delivery that outlives several sessions goes on and completes', async () => {
    const events: DeliveryProgressEvent[] = [];
    const started = Date.now();
    const report = await deliverSnapshot({
      roleArn: world.destination.roleArn,
      externalId: EXTERNAL_ID,
      bucket: BUCKET,
      region: 'us-east-1',
      tenant: TENANT,
      jobId: 'job-long',
      tables: directoryTableSource(fixture.tablesDir),
      attachments: slowAttachments(),
      manifest: true,
      partSize: PART_SIZE,
      endpointUrl: emulator.url,
      sourceCredentials: world.vendor.credentials,
      onProgress: (e) => events.push(e),
    });
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(3 * SESSION_SECONDS);
    expect(report.sessions).toBeGreaterThanOrEqual(3);
    const sessions = events.filter((e) => e.type === 'session');
    expect(sessions.length).toBe(report.sessions);
    expect(report.objects.map((o) => o.kind)).toEqual(['attachments', 'tables', 'manifest']);

    const out = join(work, 'out');
    // A fresh reader: any session made earlier has expired by now.
    const reader = await world.reader();
    extractWithGnuTar(await download(reader, BUCKET, `${TENANT}/job-long/snapshot_attachments_job-long.tar`), out, 'attachments');
    reader.destroy();
    expect(listFiles(out)).toEqual(Array.from({ length: ATTACHMENTS }, (_, i) => `slow/${String(i).padStart(2, '0')}.txt`));
  });
});
