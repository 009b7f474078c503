import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanupUploads, deliverSnapshot, directoryAttachmentSource, directoryTableSource } from '../../delivery/index.js';
import { IonDestError } from '../../errors/index.js';
import { permissionPolicy, trustPolicy } from '../../policy/index.js';
import { buildQuickCreateUrl } from '../../stacks/cloudformation/quick-create-url.js';
import { auditDestination, verifyDestination } from '../../verifier/index.js';
import { verifyFleet } from '../../verifier/fleet.js';
import { runCli } from '../helpers/run-cli.js';
import { destinationFlags, GOOD_DESTINATION, SHAPED_CREDENTIALS, SHAPED_CREDENTIALS_ENV, usePreflightWorld } from '../helpers/preflight-world.js';

/**
 * The CLI parses its flags once and leaves the checking to the library, which checks once:
 * for the same bad value, the command's message names the flag (`--bucket`) and the library
 * call's names the option (`bucket`), and neither sends a request. Every request goes to an
 * endpoint that only counts what it receives (as in test/delivery/preflight-cli.test.ts).
 */
describe('bad input: the CLI names the flag, the library the option, before any AWS request', () => {
  const world = usePreflightWorld('ion-dest-input-names-');
  const { tables, attachments } = world;
  const fleet = join(world.work, 'fleet.csv');
  const credentials = SHAPED_CREDENTIALS;
  const env = SHAPED_CREDENTIALS_ENV;
  const DESTINATION = GOOD_DESTINATION;
  const ID = DESTINATION.externalId;
  const flags = destinationFlags;
  const AUDIT = () => ['audit', '--role-name', 'ion-delivery', '--bucket', 'acme-ion-snapshots', '--region', 'us-east-1', ...at()];
  /** Every command that could call AWS is pointed at the counting endpoint. */
  const at = () => ['--endpoint-url', world.endpoint];
  const TEMPLATE_URL = 'https://fr-cfn-templates.s3.us-east-1.amazonaws.com/ion-destination/0.1.0/ion-destination.cfn.yaml';

  beforeAll(() => {
    writeFileSync(fleet, `role_arn,external_id,bucket,region,tenant\n${DESTINATION.roleArn},${ID},acme-ion-snapshots,us-east-1,acme\n`);
  });

  const sources = () => ({ tables: directoryTableSource(tables), attachments: directoryAttachmentSource(attachments) });

  /** [what, command line, the same value through the library, flag, option, the value as both show it] */
  const CASES: [string, () => string[], () => unknown, string, string, string][] = [
    [
      'verify: a bucket name with capitals',
      () => ['verify', ...flags({ '--bucket': 'Acme_Snapshots' }), ...at()],
      () => verifyDestination({ ...DESTINATION, bucket: 'Acme_Snapshots', endpointUrl: world.endpoint, credentials }),
      '--bucket',
      'bucket',
      'Acme_Snapshots',
    ],
    [
      'verify: a session shorter than AssumeRole allows',
      () => ['verify', ...flags(), '--session-duration', '60', ...at()],
      () => verifyDestination({ ...DESTINATION, sessionDurationSeconds: 60, endpointUrl: world.endpoint, credentials }),
      '--session-duration',
      'sessionDurationSeconds',
      '60',
    ],
    [
      'verify: a bucket owner that is not an account ID',
      () => ['verify', ...flags({ '--expected-bucket-owner': 'acme' }), ...at()],
      () => verifyDestination({ ...DESTINATION, expectedBucketOwner: 'acme', endpointUrl: world.endpoint, credentials }),
      '--expected-bucket-owner',
      'expectedBucketOwner',
      'acme',
    ],
    [
      'verify: the same external ID twice for a rotation',
      () => ['verify', ...flags(), '--external-id', ID, ...at()],
      () => verifyDestination({ ...DESTINATION, additionalExternalId: ID, endpointUrl: world.endpoint, credentials }),
      '--external-id (the second)',
      'additionalExternalId',
      ID,
    ],
    [
      'verify --fleet: a session shorter than AssumeRole allows',
      () => ['verify', '--fleet', fleet, '--session-duration', '60', ...at()],
      () => verifyFleet([DESTINATION], { sessionDurationSeconds: 60, endpointUrl: world.endpoint, credentials }),
      '--session-duration',
      'sessionDurationSeconds',
      '60',
    ],
    [
      'audit: a trusted account that is not an account ID',
      () => [...AUDIT(), '--trusted-account', '1234', '--external-id', ID],
      () => auditDestination({ roleName: 'ion-delivery', bucket: 'acme-ion-snapshots', region: 'us-east-1', trustedAccountId: '1234', externalIds: [ID], endpointUrl: world.endpoint, credentials }),
      '--trusted-account',
      'trustedAccountId',
      '1234',
    ],
    [
      'audit: three external IDs, more than the stacks deploy',
      () => [...AUDIT(), '--trusted-account', '111122223333', '--external-id', 'id-1', '--external-id', 'id-2', '--external-id', 'id-3'],
      () =>
        auditDestination({
          roleName: 'ion-delivery',
          bucket: 'acme-ion-snapshots',
          region: 'us-east-1',
          trustedAccountId: '111122223333',
          externalIds: ['id-1', 'id-2', 'id-3'],
          endpointUrl: world.endpoint,
          credentials,
        }),
      '--external-id',
      'externalIds',
      'id-1 id-2 id-3',
    ],
    [
      'deliver: a job ID ending in a dot',
      () => ['deliver', ...flags({ '--job-id': 'j.' }), '--tables', tables, '--attachments', attachments, ...at()],
      () => deliverSnapshot({ ...DESTINATION, jobId: 'j.', ...sources(), endpointUrl: world.endpoint, sourceCredentials: credentials, maxAttempts: 1 }),
      '--job-id',
      'jobId',
      'j.',
    ],
    [
      'deliver: a role path with an empty segment',
      () => ['deliver', ...flags({ '--role-arn': 'arn:aws:iam::444455556666:role//x', '--job-id': 'j1' }), '--tables', tables, '--attachments', attachments, ...at()],
      () =>
        deliverSnapshot({ ...DESTINATION, roleArn: 'arn:aws:iam::444455556666:role//x', jobId: 'j1', ...sources(), endpointUrl: world.endpoint, sourceCredentials: credentials, maxAttempts: 1 }),
      '--role-arn',
      'roleArn',
      'arn:aws:iam::444455556666:role//x',
    ],
    [
      'deliver: a region outside the role ARN partition',
      () => ['deliver', ...flags({ '--region': 'cn-north-1', '--job-id': 'j1' }), '--tables', tables, '--attachments', attachments, ...at()],
      () => deliverSnapshot({ ...DESTINATION, region: 'cn-north-1', jobId: 'j1', ...sources(), endpointUrl: world.endpoint, sourceCredentials: credentials, maxAttempts: 1 }),
      '--region',
      'region',
      'cn-north-1',
    ],
    [
      'cleanup: a tenant ending in a dot',
      () => ['cleanup', ...flags({ '--tenant': 'acme.' }), ...at()],
      () => cleanupUploads({ ...DESTINATION, tenant: 'acme.', endpointUrl: world.endpoint, sourceCredentials: credentials }),
      '--tenant',
      'tenant',
      'acme.',
    ],
    [
      'cleanup: an external ID AWS would refuse',
      () => ['cleanup', ...flags({ '--external-id': 'ion acme' }), ...at()],
      () => cleanupUploads({ ...DESTINATION, externalId: 'ion acme', endpointUrl: world.endpoint, sourceCredentials: credentials }),
      '--external-id',
      'externalId',
      'ion acme',
    ],
    [
      'policy trust: three external IDs',
      () => ['policy', 'trust', '--trusted-account', '111122223333', '--external-id', 'id-1', '--external-id', 'id-2', '--external-id', 'id-3'],
      () => trustPolicy({ trustedAccountId: '111122223333', externalIds: ['id-1', 'id-2', 'id-3'] }),
      '--external-id',
      'externalIds',
      'id-1 id-2 id-3',
    ],
    [
      'policy trust: a short account ID',
      () => ['policy', 'trust', '--trusted-account', '12345', '--external-id', ID],
      () => trustPolicy({ trustedAccountId: '12345', externalIds: ID }),
      '--trusted-account',
      'trustedAccountId',
      '12345',
    ],
    [
      'launch-url: a tenant prefix with a slash',
      () => ['launch-url', '--template-url', TEMPLATE_URL, '--trusted-account', '111122223333', '--external-id', ID, '--tenant-prefix', 'acme/prod'],
      () => buildQuickCreateUrl({ templateUrl: TEMPLATE_URL, trustedAccountId: '111122223333', externalIds: [ID], region: 'us-east-1', tenantPrefix: 'acme/prod' }),
      '--tenant-prefix',
      'tenantPrefix',
      'acme/prod',
    ],
    [
      'launch-url: an existing bucket whose name is not given',
      () => ['launch-url', '--template-url', TEMPLATE_URL, '--trusted-account', '111122223333', '--external-id', ID, '--use-existing-bucket'],
      () => buildQuickCreateUrl({ templateUrl: TEMPLATE_URL, trustedAccountId: '111122223333', externalIds: [ID], region: 'us-east-1', useExistingBucket: true }),
      '--bucket-name',
      'bucketName',
      '',
    ],
    [
      'policy permissions: a KMS alias instead of a key',
      () => ['policy', 'permissions', '--bucket', 'acme-ion-snapshots', '--kms-key-arn', 'arn:aws:kms:us-east-1:444455556666:alias/k'],
      () => permissionPolicy({ bucket: 'acme-ion-snapshots', kmsKeyArn: 'arn:aws:kms:us-east-1:444455556666:alias/k' }),
      '--kms-key-arn',
      'kmsKeyArn',
      'arn:aws:kms:us-east-1:444455556666:alias/k',
    ],
  ];

  it.each(CASES)('%s', async (_what, commandLine, libraryCall, flag, option, value) => {
    const cli = await runCli(commandLine(), { env });
    expect(cli.stderr).toContain(`error [INVALID_INPUT]: Invalid ${flag} ${JSON.stringify(value)}:`);
    expect(cli.stderr).not.toContain(`Invalid ${option} `);
    expect(cli.code).toBe(2);

    const error = await (async () => libraryCall())().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('INVALID_INPUT');
    expect((error as IonDestError).problems).toContainEqual(expect.objectContaining({ field: option, value }));
    expect((error as IonDestError).message).toContain(`Invalid ${option} ${JSON.stringify(value)}:`);
    expect((error as IonDestError).message).not.toContain(`Invalid ${flag} `);

    expect(world.requests).toEqual([]);
  });
});
