import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ACCOUNT_ID_PATTERN,
  BUCKET_NAME_PATTERN,
  EXTERNAL_ID_PATTERN,
  KEY_SEGMENT_PATTERN,
  KMS_KEY_ARN_PATTERN,
  permissionPolicy,
  ROLE_NAME_PATTERN,
  validateBucketName,
  validateExternalId,
  validateKmsKeyArn,
  validateRoleName,
  validateTenant,
  validateTrustedAccountId,
  type PolicyDocument,
  type Validator,
} from '../../policy/index.js';
import { GENERATED_HEADER, renderCloudFormationTemplate } from '../../stacks/cloudformation/render-yaml.js';
import { buildCloudFormationTemplate } from '../../stacks/cloudformation/template.js';
import { writeCloudFormationTemplates } from '../../stacks/cloudformation/write.js';
import { contractDocument } from '../fixtures/contract.js';
import { COMMITTED_TEMPLATE, makeTemplateFolder, runCfnLint } from './checkers.js';
import { resolveValue, specializeTemplate, type StackContext } from './resolve-template.js';

const TEMPLATE = buildCloudFormationTemplate();
const ACCOUNT = '111122223333';
const EXTERNAL_ID = 'ion-acme-7f3a9c';
const BUCKET = 'acme-ion-snapshots';
const KMS_KEY = 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const REQUIRED = { TrustedAccountId: ACCOUNT, ExternalId: EXTERNAL_ID };

/** What AWS reports for the created bucket, given its name. */
function createdBucket(name: string, partition = 'aws'): Pick<StackContext, 'resourceRefs' | 'attributes'> {
  return { resourceRefs: { DestinationBucket: name }, attributes: { 'DestinationBucket.Arn': `arn:${partition}:s3:::${name}` } };
}

function role(ctx: StackContext) {
  const specialized = specializeTemplate(TEMPLATE, ctx.parameters) as { Resources: Record<string, unknown> };
  const props = TEMPLATE.Resources.DeliveryRole!.Properties as {
    AssumeRolePolicyDocument: unknown;
    Policies: { PolicyName: string; PolicyDocument: unknown }[];
  };
  return {
    resources: Object.keys(specialized.Resources),
    trust: resolveValue(TEMPLATE, props.AssumeRolePolicyDocument, ctx) as unknown as PolicyDocument,
    policies: props.Policies.map((p) => ({
      name: p.PolicyName,
      document: resolveValue(TEMPLATE, p.PolicyDocument, ctx) as unknown as PolicyDocument,
    })),
  };
}

const text = (doc: unknown) => JSON.stringify(doc);

describe('generated CloudFormation template', () => {
  it('the committed file is exactly what the generator writes (no drift)', () => {
    const committed = readFileSync(COMMITTED_TEMPLATE, 'utf8');
    expect(committed.split('\n')[0]).toBe(GENERATED_HEADER);
    expect(committed).toBe(renderCloudFormationTemplate());
  });

  it('writeCloudFormationTemplates writes that file and returns its repo-relative path', async () => {
    const folder = makeTemplateFolder();
    try {
      const written = await writeCloudFormationTemplates(folder.dir);
      expect(written).toEqual(['templates/ion-destination.cfn.yaml']);
      expect(readFileSync(join(folder.dir, written[0]!), 'utf8')).toBe(renderCloudFormationTemplate());
    } finally {
      folder.remove();
    }
  });

  it('the YAML reads back (YAML 1.1, as CloudFormation and cfn-lint read it) as the template object', () => {
    const parsed = parse(renderCloudFormationTemplate(), { version: '1.1' }) as unknown;
    expect(parsed).toEqual(JSON.parse(JSON.stringify(TEMPLATE)));
    expect(renderCloudFormationTemplate()).toContain('Version: "2012-10-17"');
  });

  it('passes cfn-lint: exit status 0, no error and no warning', () => {
    const lint = runCfnLint(COMMITTED_TEMPLATE);
    expect(lint.output).toBe('');
    expect(lint.status & 2).toBe(0);
    expect(lint.status & 4).toBe(0);
    expect(lint.status).toBe(0);
  });
});

describe('parameters', () => {
  it('has exactly the parameter names outside tools rely on, each shown once in the console interface', () => {
    expect(Object.keys(TEMPLATE.Parameters).sort()).toEqual(
      [
        'AccessLogBucket',
        'AdditionalExternalId',
        'BucketName',
        'EventBridgeNotifications',
        'ExternalId',
        'KmsKeyArn',
        'RoleName',
        'TenantPrefix',
        'TrustedAccountId',
        'UseExistingBucket',
      ].sort(),
    );
    const iface = TEMPLATE.Metadata['AWS::CloudFormation::Interface'] as {
      ParameterGroups: { Parameters: string[] }[];
      ParameterLabels: Record<string, unknown>;
    };
    const grouped = iface.ParameterGroups.flatMap((g) => g.Parameters);
    expect([...grouped].sort()).toEqual(Object.keys(TEMPLATE.Parameters).sort());
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(Object.keys(iface.ParameterLabels).sort()).toEqual(Object.keys(TEMPLATE.Parameters).sort());
  });

  it('ExternalId is not NoEcho (quick-create links cannot prefill NoEcho parameters)', () => {
    for (const p of Object.values(TEMPLATE.Parameters)) expect(p).not.toHaveProperty('NoEcho');
  });

  it.each([
    ['TrustedAccountId', ACCOUNT_ID_PATTERN, false],
    ['ExternalId', EXTERNAL_ID_PATTERN, false],
    ['AdditionalExternalId', EXTERNAL_ID_PATTERN, true],
    ['BucketName', BUCKET_NAME_PATTERN, true],
    ['AccessLogBucket', BUCKET_NAME_PATTERN, true],
    ['KmsKeyArn', KMS_KEY_ARN_PATTERN, true],
    ['RoleName', ROLE_NAME_PATTERN, true],
    ['TenantPrefix', KEY_SEGMENT_PATTERN, true],
  ] as const)('%s takes its AllowedPattern from policy/ (optional: %s)', (name, pattern, optional) => {
    const p = TEMPLATE.Parameters[name]!;
    expect(p.AllowedPattern).toBe(optional ? `^$|${pattern}` : pattern);
    expect(p.ConstraintDescription).toBeTruthy();
    expect(p.Default).toBe(optional ? '' : undefined);
  });

  // The pattern and policy/'s validator agree on each case (the validator checks more
  // bucket rules than a pattern can, so only pattern-level cases are listed for buckets).
  const CASES: [string, Validator, string[], string[]][] = [
    ['TrustedAccountId', validateTrustedAccountId, ['111122223333'], ['11112222333', '11112222333a', '']],
    ['ExternalId', validateExternalId, ['ab', 'a+b=c,d.e@f:g/h-i_j'], ['a', 'has space', 'semi;colon', '']],
    ['BucketName', validateBucketName, ['abc', 'acme-ion-snapshots', 'a.b-c1'], ['ab', 'Acme', 'acme_snap', '-acme', 'acme-']],
    ['RoleName', validateRoleName, ['IonSnapshotDelivery', 'r_o+l=e,.@-'], ['with space', 'path/name', 'x'.repeat(65)]],
    ['KmsKeyArn', validateKmsKeyArn, [KMS_KEY], ['arn:aws:kms:us-east-1:444455556666:alias/my-key', 'not-an-arn']],
    ['TenantPrefix', validateTenant, ['acme', 'acme-prod_1.a', 'a.b.c'], ['acme/prod', 'ac*me', 'acme.', '-acme', 'a..b', 'x'.repeat(129)]],
  ];
  it.each(CASES)('%s: AllowedPattern and the validator agree', (name, validate, good, bad) => {
    const pattern = new RegExp(TEMPLATE.Parameters[name]!.AllowedPattern!);
    const optional = TEMPLATE.Parameters[name]!.Default === '';
    for (const value of good) {
      expect(validate(value)).toBeUndefined();
      expect(pattern.test(value)).toBe(true);
    }
    for (const value of bad) {
      expect(validate(value)).toBeDefined();
      expect(pattern.test(value)).toBe(value === '' && optional);
    }
  });
});

describe('policies, resolved for each variant, against the contract', () => {
  const trustContract = contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: EXTERNAL_ID });
  const permissionContract = (bucket: string) => contractDocument('permission-policy', { bucket });

  it('default (new bucket, named): exactly the contract trust and permission documents', () => {
    const r = role({ parameters: { ...REQUIRED, BucketName: BUCKET }, ...createdBucket(BUCKET) });
    expect(r.resources).toEqual(['DestinationBucket', 'DestinationBucketPolicy', 'DeliveryRole']);
    expect(text(r.trust)).toBe(text(trustContract));
    expect(r.policies.map((p) => p.name)).toEqual(['IonSnapshotDelivery']);
    expect(text(r.policies[0]!.document)).toBe(text(permissionContract(BUCKET)));
  });

  it('new bucket with a generated name: the contract, scoped to the generated name', () => {
    const generated = 'ion-snapshot-destination-destinationbucket-1a2b3c4d5e6f';
    const r = role({ parameters: REQUIRED, ...createdBucket(generated) });
    expect(text(r.policies[0]!.document)).toBe(text(permissionContract(generated)));
  });

  it('existing bucket: only the role, scoped to that bucket by name', () => {
    const r = role({ parameters: { ...REQUIRED, BucketName: BUCKET, UseExistingBucket: 'true' } });
    expect(r.resources).toEqual(['DeliveryRole']);
    expect(text(r.trust)).toBe(text(trustContract));
    expect(text(r.policies[0]!.document)).toBe(text(permissionContract(BUCKET)));
  });

  it('KMS key: the contract statement, then one statement with GenerateDataKey and Decrypt on that key', () => {
    for (const existing of [false, true]) {
      const r = role({
        parameters: { ...REQUIRED, BucketName: BUCKET, KmsKeyArn: KMS_KEY, ...(existing ? { UseExistingBucket: 'true' } : {}) },
        ...createdBucket(BUCKET),
      });
      const expected = permissionContract(BUCKET);
      expected.Statement.push({
        Sid: 'SnapshotDeliveryKmsKeyAccess',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: KMS_KEY,
      });
      expect(text(r.policies[0]!.document)).toBe(text(expected));
    }
  });

  it('external ID rotation: both IDs as a StringEquals list, nothing else changes', () => {
    const r = role({ parameters: { ...REQUIRED, AdditionalExternalId: 'ion-acme-old-1' }, ...createdBucket(BUCKET) });
    const expected = contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: 'PLACEHOLDER' });
    expected.Statement[0]!.Condition!.StringEquals!['sts:ExternalId'] = [EXTERNAL_ID, 'ion-acme-old-1'];
    expect(text(r.trust)).toBe(text(expected));
  });

  it('TenantPrefix: the policy/ builder\'s prefix-narrowed document, for a new and an existing bucket, with and without a KMS key', () => {
    for (const existing of [false, true]) {
      for (const kmsKeyArn of [undefined, KMS_KEY]) {
        const r = role({
          parameters: {
            ...REQUIRED,
            BucketName: BUCKET,
            TenantPrefix: 'acme',
            ...(kmsKeyArn ? { KmsKeyArn: kmsKeyArn } : {}),
            ...(existing ? { UseExistingBucket: 'true' } : {}),
          },
          ...createdBucket(BUCKET),
        });
        expect(text(r.trust)).toBe(text(trustContract));
        expect(text(r.policies[0]!.document)).toBe(
          text(permissionPolicy({ bucket: BUCKET, tenantPrefix: 'acme', ...(kmsKeyArn ? { kmsKeyArn } : {}) })),
        );
      }
    }
  });

  it.each(['aws-us-gov', 'aws-cn'])('partition %s (AWS::Partition): only the ARN partition changes', (partition) => {
    const r = role({ parameters: { ...REQUIRED, BucketName: BUCKET, UseExistingBucket: 'true' }, partition });
    expect(text(r.trust)).toBe(text(trustContract).replaceAll('arn:aws:', `arn:${partition}:`));
    expect(text(r.policies[0]!.document)).toBe(text(permissionContract(BUCKET)).replaceAll('arn:aws:', `arn:${partition}:`));
  });
});

describe('the bucket the default stack creates', () => {
  const variant = (extra: Record<string, string> = {}) =>
    specializeTemplate(TEMPLATE, { ...REQUIRED, BucketName: BUCKET, ...extra }) as {
      Resources: Record<string, { DeletionPolicy?: string; UpdateReplacePolicy?: string; Properties: Record<string, unknown> }>;
      Outputs: Record<string, { Value: unknown }>;
    };

  it('is versioned, SSE-S3 encrypted, fully public-access blocked, ACL-free, aborts stale uploads after 7 days, and is retained', () => {
    const bucket = variant().Resources.DestinationBucket!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    // Its TLS-only policy stays with it when the stack is deleted or the policy replaced.
    const policy = variant().Resources.DestinationBucketPolicy!;
    expect([policy.DeletionPolicy, policy.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(bucket.Properties).toEqual({
      BucketName: BUCKET,
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: [{ Id: 'AbortIncompleteMultipartUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }],
      },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
  });

  it('has a bucket policy that denies every request without TLS, on the bucket and its objects', () => {
    const ctx = { parameters: { ...REQUIRED, BucketName: BUCKET }, ...createdBucket(BUCKET) };
    const policy = resolveValue(TEMPLATE, TEMPLATE.Resources.DestinationBucketPolicy!.Properties, ctx);
    expect(policy).toEqual({
      Bucket: BUCKET,
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    });
  });

  it('uses SSE-KMS with a Bucket Key when KmsKeyArn is set', () => {
    expect(variant({ KmsKeyArn: KMS_KEY }).Resources.DestinationBucket!.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KMS_KEY }, BucketKeyEnabled: true },
      ],
    });
  });

  it('logs server access to AccessLogBucket when set, and sends no EventBridge events when turned off', () => {
    const props = variant({ AccessLogBucket: 'acme-logs', EventBridgeNotifications: 'false' }).Resources.DestinationBucket!.Properties;
    expect(props.LoggingConfiguration).toEqual({ DestinationBucketName: 'acme-logs', LogFilePrefix: { 'Fn::Sub': '${AWS::StackName}/' } });
    expect(props).not.toHaveProperty('NotificationConfiguration');
  });

  it('outputs RoleArn, BucketName and BucketRegion (what the customer sends back)', () => {
    const ctx = {
      parameters: { ...REQUIRED, BucketName: BUCKET },
      region: 'eu-west-1',
      ...createdBucket(BUCKET),
      attributes: { ...createdBucket(BUCKET).attributes, 'DeliveryRole.Arn': 'arn:aws:iam::444455556666:role/x' },
    };
    expect(resolveValue(TEMPLATE, TEMPLATE.Outputs, ctx)).toEqual({
      RoleArn: { Description: expect.any(String), Value: 'arn:aws:iam::444455556666:role/x' },
      BucketName: { Description: expect.any(String), Value: BUCKET },
      BucketRegion: { Description: expect.any(String), Value: 'eu-west-1' },
    });
    const existing = resolveValue(TEMPLATE, TEMPLATE.Outputs.BucketName!.Value, { parameters: { ...REQUIRED, BucketName: 'theirs', UseExistingBucket: 'true' } });
    expect(existing).toBe('theirs');
  });
});
