import { describe, expect, it } from 'vitest';
import { IonDestError } from '../../errors/index.js';
import { buildQuickCreateUrl, consoleOrigin, type QuickCreateOptions } from '../../stacks/cloudformation/quick-create-url.js';
import { runCli } from '../helpers/run-cli.js';

const TEMPLATE_URL = 'https://fr-templates.s3.us-east-1.amazonaws.com/ion-destination/0.1.0/ion-destination.cfn.yaml';
const BASE: QuickCreateOptions = {
  templateUrl: TEMPLATE_URL,
  trustedAccountId: '111122223333',
  externalIds: ['ion-acme-7f3a9c'],
  region: 'eu-west-1',
};

/** Split a quick-create URL into its console origin/path and the decoded values after `#/stacks/create/review?`. */
function readUrl(url: string) {
  const [base, fragment] = url.split('#');
  const [route, query] = (fragment ?? '').split('?');
  return { base, route, params: [...new URLSearchParams(query)] };
}

describe('buildQuickCreateUrl', () => {
  it('links the regional console to the review page, with the template and the two required values prefilled', () => {
    const { base, route, params } = readUrl(buildQuickCreateUrl(BASE));
    expect(base).toBe('https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1');
    expect(route).toBe('/stacks/create/review');
    expect(params).toEqual([
      ['templateURL', TEMPLATE_URL],
      ['stackName', 'ion-snapshot-destination'],
      ['param_TrustedAccountId', '111122223333'],
      ['param_ExternalId', 'ion-acme-7f3a9c'],
    ]);
  });

  it('percent-encodes every value, so characters such as + = , @ : / survive', () => {
    const url = buildQuickCreateUrl({ ...BASE, externalIds: ['a+b=c,d@e:f/g'] });
    expect(url).toContain('param_ExternalId=a%2Bb%3Dc%2Cd%40e%3Af%2Fg');
    expect(url).toContain(`templateURL=${encodeURIComponent(TEMPLATE_URL)}`);
    expect(readUrl(url).params).toContainEqual(['param_ExternalId', 'a+b=c,d@e:f/g']);
  });

  it('prefills every option given, by the template parameter names, and nothing else', () => {
    const key = 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { params } = readUrl(
      buildQuickCreateUrl({
        ...BASE,
        externalIds: ['ion-new-2', 'ion-old-1'],
        stackName: 'acme-ion',
        bucketName: 'acme-ion-snapshots',
        kmsKeyArn: key,
        roleName: 'IonDelivery',
        accessLogBucket: 'acme-logs',
        eventBridgeNotifications: false,
        tenantPrefix: 'acme',
      }),
    );
    expect(params).toEqual([
      ['templateURL', TEMPLATE_URL],
      ['stackName', 'acme-ion'],
      ['param_TrustedAccountId', '111122223333'],
      ['param_ExternalId', 'ion-new-2'],
      ['param_AdditionalExternalId', 'ion-old-1'],
      ['param_BucketName', 'acme-ion-snapshots'],
      ['param_KmsKeyArn', key],
      ['param_AccessLogBucket', 'acme-logs'],
      ['param_EventBridgeNotifications', 'false'],
      ['param_RoleName', 'IonDelivery'],
      ['param_TenantPrefix', 'acme'],
    ]);
  });

  it('prefills UseExistingBucket=true for an existing bucket', () => {
    const { params } = readUrl(buildQuickCreateUrl({ ...BASE, bucketName: 'theirs', useExistingBucket: true }));
    expect(params).toContainEqual(['param_UseExistingBucket', 'true']);
  });

  it.each([
    ['us-east-1', 'https://us-east-1.console.aws.amazon.com'],
    ['eu-west-1', 'https://eu-west-1.console.aws.amazon.com'],
    ['us-gov-west-1', 'https://console.amazonaws-us-gov.com'],
    ['us-gov-east-1', 'https://console.amazonaws-us-gov.com'],
    ['cn-north-1', undefined],
    ['cn-northwest-1', undefined],
  ])('region %s: the console AWS documents for its partition is %s', (region, origin) => {
    expect(consoleOrigin(region)).toBe(origin);
  });

  it.each([
    ['us-east-1', 'https://fr-templates.s3.us-east-1.amazonaws.com/t.yaml', 'https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/create/review?'],
    ['us-gov-west-1', 'https://fr-templates.s3.us-gov-west-1.amazonaws.com/t.yaml', 'https://console.amazonaws-us-gov.com/cloudformation/home?region=us-gov-west-1#/stacks/quickcreate?'],
    ['us-gov-east-1', 'https://fr-templates.s3.us-gov-east-1.amazonaws.com/t.yaml', 'https://console.amazonaws-us-gov.com/cloudformation/home?region=us-gov-east-1#/stacks/quickcreate?'],
  ])('region %s: the link has the form AWS documents for that partition', (region, templateUrl, start) => {
    const url = buildQuickCreateUrl({ ...BASE, region, templateUrl });
    expect(url.startsWith(start), url).toBe(true);
    expect(readUrl(url).params).toContainEqual(['templateURL', templateUrl]);
    expect(readUrl(url).params).toContainEqual(['param_ExternalId', BASE.externalIds[0]]);
  });

  it.each(['cn-north-1', 'cn-northwest-1'])('region %s: no link is printed, since AWS documents no quick-create form for the China Regions', (region) => {
    let error: unknown;
    try {
      buildQuickCreateUrl({ ...BASE, region, templateUrl: `https://fr-templates.s3.${region}.amazonaws.com.cn/ion-destination/0.1.0/ion-destination.cfn.yaml` });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).problems).toEqual([
      expect.objectContaining({ field: 'region', value: region, rule: expect.stringContaining('no console quick-create link form for the aws-cn partition') }),
    ]);
  });

  it.each([
    'https://fr-templates.s3.amazonaws.com/t.yaml',
    'https://fr-templates.s3.eu-west-1.amazonaws.com/a/b/t.yaml',
    'https://s3.eu-west-1.amazonaws.com/fr.templates/t.yaml',
    'https://fr-templates.s3-eu-west-1.amazonaws.com/t.yaml',
  ])('accepts the S3 HTTPS URL %s', (templateUrl) => {
    expect(() => buildQuickCreateUrl({ ...BASE, templateUrl })).not.toThrow();
  });

  const BAD: [string, Partial<QuickCreateOptions>, string, string][] = [
    ['plain HTTP', { templateUrl: 'http://fr-templates.s3.amazonaws.com/t.yaml' }, 'templateUrl', 'https:// URL of an object in Amazon S3'],
    ['not S3', { templateUrl: 'https://example.com/t.yaml' }, 'templateUrl', 'Amazon S3'],
    ['S3 look-alike host', { templateUrl: 'https://fr.s3.amazonaws.com.evil.example/t.yaml' }, 'templateUrl', 'Amazon S3'],
    ['no key', { templateUrl: 'https://fr-templates.s3.amazonaws.com/' }, 'templateUrl', 'Amazon S3'],
    ['path style without key', { templateUrl: 'https://s3.amazonaws.com/fr-templates' }, 'templateUrl', 'Amazon S3'],
    ['China bucket for a global region', { templateUrl: 'https://fr-templates.s3.cn-north-1.amazonaws.com.cn/t.yaml' }, 'templateUrl', 'China'],
    ['bad account', { trustedAccountId: '1111' }, 'trustedAccountId', '12 digits'],
    ['no external ID', { externalIds: [] }, 'externalIds', 'one external ID'],
    ['three external IDs', { externalIds: ['aa', 'bb', 'cc'] }, 'externalIds', 'one external ID, or up to 2 during a rotation'],
    ['same external ID twice', { externalIds: ['aa', 'aa'] }, 'externalIds', 'given once'],
    ['bad external ID', { externalIds: ['a b'] }, 'externalIds', '2 to 1224'],
    ['unknown region', { region: 'eu-west-9' }, 'region', 'region name'],
    ['bad stack name', { stackName: '1stack' }, 'stackName', 'starts with a letter'],
    ['bad bucket', { bucketName: 'Acme' }, 'bucketName', 'lowercase'],
    ['existing bucket without name', { useExistingBucket: true }, 'bucketName', 'needs the name of that bucket'],
    ['access logs on an existing bucket', { useExistingBucket: true, bucketName: 'theirs', accessLogBucket: 'logs' }, 'accessLogBucket', 'only on a bucket the stack creates'],
    ['KMS alias', { kmsKeyArn: 'arn:aws:kms:eu-west-1:444455556666:alias/k' }, 'kmsKeyArn', 'alias'],
    ['KMS key in another region', { kmsKeyArn: 'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, 'kmsKeyArn', "bucket's region eu-west-1"],
    ['bad role name', { roleName: 'a/b' }, 'roleName', '1 to 64'],
    ['tenant prefix with a slash', { tenantPrefix: 'acme/prod' }, 'tenantPrefix', 'a tenant is 1 to 128 characters'],
  ];
  it.each(BAD)('rejects %s, naming the option, the value and the rule', (_name, change, field, rule) => {
    let error: unknown;
    try {
      buildQuickCreateUrl({ ...BASE, ...change });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IonDestError);
    const e = error as IonDestError;
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.problems.find((p) => p.field === field)?.rule).toContain(rule);
  });
});

describe('ion-dest launch-url', () => {
  it('prints the link, and with --json the link with region and stack name', async () => {
    const args = ['launch-url', '--template-url', TEMPLATE_URL, '--trusted-account', '111122223333', '--external-id', 'ion-acme-7f3a9c', '--region', 'eu-west-1'];
    const [text, json] = await Promise.all([runCli(args), runCli([...args, '--json'])]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`${buildQuickCreateUrl(BASE)}\n`);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ url: buildQuickCreateUrl(BASE), region: 'eu-west-1', stackName: 'ion-snapshot-destination' });
  });

  it('rejects a non-S3 template URL with exit 2 and prints nothing on stdout', async () => {
    const r = await runCli(['launch-url', '--template-url', 'https://example.com/t.yaml', '--trusted-account', '111122223333', '--external-id', 'ion-acme-7f3a9c']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Invalid --template-url "https://example.com/t.yaml"');
  });
});
