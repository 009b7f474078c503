import { describe, expect, it } from 'vitest';
import { BUCKET_ACTIONS, accountRootArn, bucketArn, permissionPolicy, roleArn, trustPolicy, type PolicyDocument } from '../../policy/index.js';
import { diffPermissionPolicy, diffTrustPolicy, matchesPattern, type DeployedPolicy } from '../../verifier/diff-policy.js';

const FR = '111122223333';
const STRANGER = '777788889999';
const ID = 'ion-acme-7f3a9c';
const BUCKET = 'acme-ion-snapshots';
const expectation = { trustedAccountId: FR, externalIds: [ID], partition: 'aws' as const };

function trust(edit: (doc: PolicyDocument) => void = () => {}): PolicyDocument {
  const doc = trustPolicy({ trustedAccountId: FR, externalIds: ID });
  edit(doc);
  return doc;
}

function perms(edit: (doc: PolicyDocument) => void = () => {}, bucket = BUCKET): DeployedPolicy[] {
  const doc = permissionPolicy({ bucket });
  edit(doc);
  return [{ source: 'inline policy p', document: JSON.parse(JSON.stringify(doc)) }];
}

describe('diffTrustPolicy', () => {
  it('finds nothing in the contract document', () => {
    expect(diffTrustPolicy(expectation, trust())).toEqual([]);
  });

  it('accepts the bare account ID form of the principal', () => {
    expect(diffTrustPolicy(expectation, trust((d) => (d.Statement[0]!.Principal = { AWS: FR })))).toEqual([]);
  });

  it.each<[string, (d: PolicyDocument) => void, string[], RegExp]>([
    ['another account', (d) => (d.Statement[0]!.Principal = { AWS: accountRootArn('aws', STRANGER) }), ['TRUST_PRINCIPAL_MISMATCH'], new RegExp(`account ${STRANGER}`)],
    ['a wildcard principal', (d) => (d.Statement[0]!.Principal = '*'), ['TRUST_PRINCIPAL_WILDCARD'], /every AWS account/],
    ['an AWS wildcard principal', (d) => (d.Statement[0]!.Principal = { AWS: '*' }), ['TRUST_PRINCIPAL_WILDCARD'], /every AWS account/],
    ['one role of the trusted account only', (d) => (d.Statement[0]!.Principal = { AWS: roleArn('aws', FR, 'x') }), ['TRUST_PRINCIPAL_MISMATCH'], /trusts only/],
    ['no condition', (d) => delete d.Statement[0]!.Condition, ['TRUST_EXTERNAL_ID_MISSING'], /no StringEquals condition on sts:ExternalId/],
    ['another external ID', (d) => (d.Statement[0]!.Condition = { StringEquals: { 'sts:ExternalId': 'other-id' } }), ['TRUST_EXTERNAL_ID_MISMATCH'], /requires sts:ExternalId "other-id"; expected "ion-acme-7f3a9c"/],
    ['an extra external ID', (d) => (d.Statement[0]!.Condition = { StringEquals: { 'sts:ExternalId': [ID, 'leftover'] } }), ['TRUST_EXTERNAL_ID_MISMATCH'], /also accepts sts:ExternalId "leftover"/],
    ['a StringLike wildcard', (d) => (d.Statement[0]!.Condition = { StringLike: { 'sts:ExternalId': 'ion-*' } }), ['TRUST_EXTERNAL_ID_MISMATCH'], /StringLike/],
    ['an IfExists condition', (d) => (d.Statement[0]!.Condition = { StringEqualsIfExists: { 'sts:ExternalId': ID } }), ['TRUST_EXTERNAL_ID_MISSING'], /StringEqualsIfExists/],
    ['an extra action', (d) => (d.Statement[0]!.Action = ['sts:AssumeRole', 'sts:TagSession']), ['TRUST_POLICY_WIDER'], /allows sts:TagSession/],
  ])('reports %s', (_name, edit, codes, message) => {
    const differences = diffTrustPolicy(expectation, trust(edit));
    expect(differences.map((d) => d.code)).toEqual(codes);
    expect(differences[0]!.message).toMatch(message);
    expect(differences[0]!.message).toContain('trust policy Statement[0]');
  });

  it('reports a missing trust statement', () => {
    expect(diffTrustPolicy(expectation, { Version: '2012-10-17', Statement: [] }).map((d) => d.code)).toEqual(['TRUST_PRINCIPAL_MISMATCH']);
  });
});

describe('diffPermissionPolicy', () => {
  const expected = permissionPolicy({ bucket: BUCKET });
  const bucket = bucketArn('aws', BUCKET);

  it('finds nothing in the contract document', () => {
    expect(diffPermissionPolicy(expected, perms())).toEqual([]);
  });

  it('finds nothing when the contract is split over two policies', () => {
    const [first] = perms();
    const a = JSON.parse(JSON.stringify(first!.document)) as PolicyDocument;
    const b = JSON.parse(JSON.stringify(first!.document)) as PolicyDocument;
    a.Statement[0]!.Action = BUCKET_ACTIONS.slice(0, 3);
    b.Statement[0]!.Action = BUCKET_ACTIONS.slice(3);
    expect(diffPermissionPolicy(expected, [{ source: 'inline a', document: a }, { source: 'attached b', document: b }])).toEqual([]);
  });

  it('reports no policy at all', () => {
    expect(diffPermissionPolicy(expected, []).map((d) => d.code)).toEqual(['PERMISSION_POLICY_MISSING']);
  });

  it('reports a missing action on both resources', () => {
    const differences = diffPermissionPolicy(expected, perms((d) => (d.Statement[0]!.Action = BUCKET_ACTIONS.filter((a) => a !== 's3:PutObject'))));
    expect(differences.map((d) => d.message)).toEqual([
      `s3:PutObject on ${bucket} is not allowed by any statement`,
      `s3:PutObject on ${bucket}/* is not allowed by any statement`,
    ]);
    expect(differences.every((d) => d.code === 'PERMISSION_ACTION_MISSING')).toBe(true);
  });

  it('reports an extra action', () => {
    const differences = diffPermissionPolicy(expected, perms((d) => (d.Statement[0]!.Action = [...BUCKET_ACTIONS, 's3:GetBucketAcl'])));
    expect(differences).toEqual([
      {
        kind: 'extra-action',
        severity: 'fail',
        code: 'PERMISSION_ACTION_EXTRA',
        message: `inline policy p Statement[0] (SnapshotDeliveryBucketAccess) allows s3:GetBucketAcl on ${bucket}, ${bucket}/*, with no condition: an action the delivery does not use`,
      },
    ]);
  });

  it('reports s3:* as an extra action, not as missing ones', () => {
    const differences = diffPermissionPolicy(expected, perms((d) => (d.Statement[0]!.Action = 's3:*')));
    expect(differences.map((d) => d.code)).toEqual(['PERMISSION_ACTION_EXTRA']);
  });

  it('reports a wider resource', () => {
    const differences = diffPermissionPolicy(expected, perms((d) => (d.Statement[0]!.Resource = '*')));
    expect(differences.map((d) => [d.code, d.message])).toEqual([['PERMISSION_RESOURCE_WIDER', expect.stringContaining('names resource *')]]);
  });

  it('reports the policy of another bucket as missing and wider', () => {
    const codes = diffPermissionPolicy(expected, perms(() => {}, 'other-bucket')).map((d) => d.code);
    expect(codes.filter((c) => c === 'PERMISSION_ACTION_MISSING')).toHaveLength(14);
    expect(codes.filter((c) => c === 'PERMISSION_RESOURCE_WIDER')).toHaveLength(2);
  });

  it('reports an action that a Deny statement takes away', () => {
    const deployed = perms((d) => d.Statement.push({ Effect: 'Deny', Action: 's3:DeleteObject', Resource: `${bucket}/*` }));
    expect(diffPermissionPolicy(expected, deployed).map((d) => d.message)).toEqual([`s3:DeleteObject on ${bucket}/* is denied by inline policy p Statement[1]`]);
  });

  it('reports an action granted only under a condition', () => {
    const deployed = perms((d) => (d.Statement[0]!.Condition = { Bool: { 'aws:SecureTransport': 'true' } }));
    const differences = diffPermissionPolicy(expected, deployed);
    expect(differences).toHaveLength(14);
    expect(differences[0]!.message).toMatch(/allowed only under the condition of inline policy p Statement\[0\]/);
  });

  it('reports NotAction and NotResource as wider than the contract', () => {
    const deployed: DeployedPolicy[] = [{ source: 'inline n', document: { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', NotResource: bucketArn('aws', 'x') }] } }];
    const codes = diffPermissionPolicy(expected, deployed).map((d) => d.code);
    expect(codes).toEqual(['PERMISSION_ACTION_EXTRA', 'PERMISSION_RESOURCE_WIDER']);
  });
});

describe('matchesPattern', () => {
  it.each([
    ['s3:*', 's3:PutObject', true, true],
    ['S3:putobject', 's3:PutObject', true, true],
    ['s3:Put?bject', 's3:PutObject', true, true],
    ['s3:Get*', 's3:PutObject', true, false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/t/x', false, true],
    ['arn:aws:s3:::b', 'arn:aws:s3:::b/t/x', false, false],
    ['arn:aws:s3:::B', 'arn:aws:s3:::b', false, false],
  ] as const)('%s against %s', (pattern, value, caseInsensitive, expected) => {
    expect(matchesPattern(pattern, value, caseInsensitive)).toBe(expected);
  });
});

describe('diffPermissionPolicy against the prefix-narrowed policy', () => {
  const narrowed = () => permissionPolicy({ bucket: BUCKET, tenantPrefix: 'acme' });
  const deployed = (edit: (doc: PolicyDocument) => void = () => {}): DeployedPolicy[] => {
    const doc = narrowed();
    edit(doc);
    return [{ source: 'inline policy ion', document: doc }];
  };
  const severe = (diffs: ReturnType<typeof diffPermissionPolicy>) => diffs.filter((d) => d.severity !== 'note').map((d) => d.kind);

  it.each([
    ['the narrowed document itself', () => {}, []],
    [
      'the same condition written as a one-item list, operator keys in another case',
      (doc: PolicyDocument) => {
        doc.Statement[1]!.Condition = { StringLike: { 'S3:Prefix': ['acme/*'] } };
      },
      [],
    ],
    [
      'ListBucket without its s3:prefix condition',
      (doc: PolicyDocument) => {
        delete doc.Statement[1]!.Condition;
      },
      ['missing-action', 'wider-resource'],
    ],
    [
      'ListBucket for another prefix',
      (doc: PolicyDocument) => {
        doc.Statement[1]!.Condition = { StringLike: { 's3:prefix': 'globex/*' } };
      },
      ['missing-action', 'wider-resource'],
    ],
    [
      'object actions on the whole bucket',
      (doc: PolicyDocument) => {
        doc.Statement[0]!.Resource = `${bucketArn('aws', BUCKET)}/*`;
      },
      ['wider-resource'],
    ],
    [
      'object actions under another prefix',
      (doc: PolicyDocument) => {
        doc.Statement[0]!.Resource = `${bucketArn('aws', BUCKET)}/globex/*`;
      },
      ['missing-action', 'missing-action', 'missing-action', 'missing-action', 'missing-action', 'wider-resource'],
    ],
  ] as const)('%s: %j', (_, edit, kinds) => {
    expect(severe(diffPermissionPolicy(narrowed(), deployed(edit as (doc: PolicyDocument) => void)))).toEqual(kinds);
  });

  it('the whole-bucket contract, audited against the narrowed policy, fails as wider', () => {
    expect(severe(diffPermissionPolicy(narrowed(), perms()))).toContain('wider-resource');
  });
});
