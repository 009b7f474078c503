import { describe, expect, it } from 'vitest';
import { IonDestError } from '../../errors/index.js';
import { permissionPolicy, trustPolicy } from '../../policy/index.js';
import { contractDocument } from '../fixtures/contract.js';

const ACCOUNT = '111122223333';
const EXTERNAL_ID = 'ion-acme-7f3a9c';
const BUCKET = 'acme-ion-snapshots';

describe('policy builders against the setup guide contract', () => {
  it('default trust policy is exactly the guide document', () => {
    const doc = trustPolicy({ trustedAccountId: ACCOUNT, externalIds: EXTERNAL_ID });
    // JSON text equality also pins key order and the absence of extra members.
    expect(JSON.stringify(doc)).toBe(
      JSON.stringify(contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: EXTERNAL_ID })),
    );
  });

  it('a one-element external ID list renders as the guide string form', () => {
    const doc = trustPolicy({ trustedAccountId: ACCOUNT, externalIds: [EXTERNAL_ID] });
    expect(doc).toEqual(contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: EXTERNAL_ID }));
  });

  it('default permission policy is exactly the guide document', () => {
    const doc = permissionPolicy({ bucket: BUCKET });
    expect(JSON.stringify(doc)).toBe(JSON.stringify(contractDocument('permission-policy', { bucket: BUCKET })));
  });

  it('several external IDs become a StringEquals list and change nothing else', () => {
    const doc = trustPolicy({ trustedAccountId: ACCOUNT, externalIds: ['old-id-1', 'new-id-2'] });
    const expected = contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: 'PLACEHOLDER' });
    expected.Statement[0]!.Condition!.StringEquals!['sts:ExternalId'] = ['old-id-1', 'new-id-2'];
    expect(doc).toEqual(expected);
  });

  it.each([
    ['aws-us-gov', 'arn:aws-us-gov:iam::111122223333:root', 'arn:aws-us-gov:s3:::acme-ion-snapshots'],
    ['aws-cn', 'arn:aws-cn:iam::111122223333:root', 'arn:aws-cn:s3:::acme-ion-snapshots'],
  ] as const)('partition %s changes only the ARN partition', (partition, principal, bucketArn) => {
    const trust = trustPolicy({ trustedAccountId: ACCOUNT, externalIds: EXTERNAL_ID, partition });
    expect(trust.Statement[0]!.Principal).toEqual({ AWS: principal });
    const perms = permissionPolicy({ bucket: BUCKET, partition });
    expect(perms.Statement[0]!.Resource).toEqual([bucketArn, `${bucketArn}/*`]);
    const defaults = permissionPolicy({ bucket: BUCKET });
    expect({ ...perms.Statement[0], Resource: undefined }).toEqual({ ...defaults.Statement[0], Resource: undefined });
  });

  it('SSE-KMS adds a second statement with GenerateDataKey and Decrypt on the key only', () => {
    const key = 'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const doc = permissionPolicy({ bucket: BUCKET, kmsKeyArn: key });
    const base = contractDocument('permission-policy', { bucket: BUCKET });
    expect(doc.Statement[0]).toEqual(base.Statement[0]);
    expect(doc.Statement).toHaveLength(2);
    expect(doc.Statement[1]).toEqual({
      Sid: 'SnapshotDeliveryKmsKeyAccess',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: key,
    });
  });
});

describe('policy builders reject bad input before building anything', () => {
  it.each([
    ['a wildcard account', () => trustPolicy({ trustedAccountId: '*', externalIds: 'ion-acme-1' }), 'Invalid trustedAccountId "*"'],
    ['no external ID', () => trustPolicy({ trustedAccountId: ACCOUNT, externalIds: [] }), 'at least one external ID'],
    ['the same external ID twice', () => trustPolicy({ trustedAccountId: ACCOUNT, externalIds: ['id-1', 'id-1'] }), 'given once'],
    // Neither stack can deploy a third (MAX_EXTERNAL_IDS): a document with one would describe a role no stack makes.
    ['three external IDs', () => trustPolicy({ trustedAccountId: ACCOUNT, externalIds: ['id-1', 'id-2', 'id-3'] }), 'Invalid externalIds "id-1 id-2 id-3": one external ID, or up to 2 during a rotation'],
    ['a wildcard bucket', () => permissionPolicy({ bucket: '*' }), 'bucket name'],
    ['an alias instead of a key ARN', () => permissionPolicy({ bucket: BUCKET, kmsKeyArn: 'arn:aws:kms:us-east-1:444455556666:alias/k' }), 'KMS key ARN'],
  ])('%s', (_name, build, fragment) => {
    expect(build).toThrow(IonDestError);
    expect(build).toThrow(fragment);
  });
});
