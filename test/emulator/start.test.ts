import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import { EMULATOR_DEFAULT_ACCOUNT, EMULATOR_ROOT_CREDENTIALS, startEmulator, type Emulator } from '../../emulator/emulator.js';

/**
 * Test files start their emulators at the same time. Each must get a server of its own:
 * the port is the one the system gave moto's socket as it bound (the launcher prints it),
 * not one found free beforehand, which another server could take first while this one's
 * caller went on talking to it.
 */
describe('emulators started at once', () => {
  const started: Emulator[] = [];
  afterAll(async () => {
    await Promise.all(started.map((e) => e.stop()));
  });

  it('each answer on a port of their own, with state of their own', async () => {
    started.push(...(await Promise.all(Array.from({ length: 4 }, () => startEmulator({ fidelity: false })))));
    expect(new Set(started.map((e) => e.port)).size).toBe(started.length);
    for (const e of started) expect(e.url).toBe(`http://127.0.0.1:${e.port}`);

    const clientOf = (e: Emulator) =>
      createS3Client({ region: 'us-east-1', endpointUrl: e.url, credentials: EMULATOR_ROOT_CREDENTIALS, expectedBucketOwner: EMULATOR_DEFAULT_ACCOUNT, maxAttempts: 1 });
    await Promise.all(started.map((e, i) => clientOf(e).send(new CreateBucketCommand({ Bucket: `only-in-emulator-${i}` }))));
    const listed = await Promise.all(started.map(async (e) => (await clientOf(e).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)));
    expect(listed).toEqual(started.map((_, i) => [`only-in-emulator-${i}`]));
  });
});
