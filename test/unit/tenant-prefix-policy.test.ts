import { describe, expect, it } from 'vitest';
import { IonDestError } from '../../errors/index.js';
import { permissionPolicy } from '../../policy/index.js';
import { contractDocument } from '../fixtures/contract.js';

describe('permissionPolicy with a tenant prefix', () => {
  it('without a prefix is the setup guide policy, byte for byte', () => {
    expect(JSON.stringify(permissionPolicy({ bucket: 'acme-ion-exports' }))).toBe(
      JSON.stringify(contractDocument('permission-policy', { bucket: 'acme-ion-exports' })),
    );
  });

  it.each([
    { partition: 'aws' as const, prefix: 'acme', objects: 'arn:aws:s3:::acme-ion-exports/acme/*' },
    { partition: 'aws-us-gov' as const, prefix: 'acme-prod', objects: 'arn:aws-us-gov:s3:::acme-ion-exports/acme-prod/*' },
    { partition: 'aws-cn' as const, prefix: 'a.b_c', objects: 'arn:aws-cn:s3:::acme-ion-exports/a.b_c/*' },
  ])('narrows objects and listing to $prefix/ in $partition', ({ partition, prefix, objects }) => {
    const bucket = `arn:${partition}:s3:::acme-ion-exports`;
    expect(permissionPolicy({ bucket: 'acme-ion-exports', partition, tenantPrefix: prefix })).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SnapshotDeliveryTenantObjects',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          Resource: objects,
        },
        {
          Sid: 'SnapshotDeliveryTenantListing',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: bucket,
          Condition: { StringLike: { 's3:prefix': `${prefix}/*` } },
        },
        { Sid: 'SnapshotDeliveryBucketUploads', Effect: 'Allow', Action: ['s3:ListBucketMultipartUploads'], Resource: bucket },
      ],
    });
  });

  it('keeps the KMS statement after the narrowed statements', () => {
    const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const doc = permissionPolicy({ bucket: 'acme-ion-exports', kmsKeyArn: key, tenantPrefix: 'acme' });
    expect(doc.Statement.map((s) => s.Sid)).toEqual([
      'SnapshotDeliveryTenantObjects',
      'SnapshotDeliveryTenantListing',
      'SnapshotDeliveryBucketUploads',
      'SnapshotDeliveryKmsKeyAccess',
    ]);
  });

  it.each(['', 'acme/prod', 'ac*me', '..', 'acme.', '-acme', 'a'.repeat(129)])(
    'refuses the tenant prefix %j with the field, the value and the rule',
    (prefix) => {
      let error: unknown;
      try {
        permissionPolicy({ bucket: 'acme-ion-exports', tenantPrefix: prefix });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(IonDestError);
      expect((error as IonDestError).code).toBe('INVALID_INPUT');
      expect((error as Error).message).toContain(`Invalid tenantPrefix ${JSON.stringify(prefix)}`);
      expect((error as Error).message).toContain('a tenant is 1 to 128 characters');
    },
  );
});
