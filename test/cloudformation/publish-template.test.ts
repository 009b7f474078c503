import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../aws/clients.js';
import { IonDestError } from '../../errors/index.js';
import { publishTemplate, templateKey } from '../../stacks/cloudformation/publish-template.js';
import { buildQuickCreateUrl } from '../../stacks/cloudformation/quick-create-url.js';
import { renderCloudFormationTemplate } from '../../stacks/cloudformation/render-yaml.js';
import { readPackageVersion } from '../../stacks/cloudformation/package-version.js';
import { EMULATOR_DEFAULT_ACCOUNT, EMULATOR_ROOT_CREDENTIALS, startEmulator, type Emulator } from '../../emulator/emulator.js';
import { runCli } from '../helpers/run-cli.js';

const BUCKET = 'fr-cfn-templates';
const REGION = 'eu-west-1';
const VERSION = readPackageVersion();

let emulator: Emulator;
let s3: S3Client;
let cliEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulator();
  s3 = createS3Client({
    region: REGION,
    endpointUrl: emulator.url,
    credentials: EMULATOR_ROOT_CREDENTIALS,
    expectedBucketOwner: EMULATOR_DEFAULT_ACCOUNT,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  cliEnv = {
    AWS_ACCESS_KEY_ID: EMULATOR_ROOT_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_ROOT_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: '',
  };
});
afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
});


async function readObject(key: string): Promise<{ body: string; contentType: string | undefined }> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { body: (await out.Body?.transformToString('utf8')) ?? '', contentType: out.ContentType };
}

describe('ion-dest publish-template (end to end against the emulator)', () => {
  it('uploads the generated template under <prefix>/ion-destination/<version>/, finds the region, and prints the HTTPS URL', async () => {
    const r = await runCli(['publish-template', '--bucket', BUCKET, '--prefix', 'customer-setup', '--endpoint-url', emulator.url], { env: cliEnv });
    expect(r.stderr).toContain(`published: s3://${BUCKET}/customer-setup/ion-destination/${VERSION}/ion-destination.cfn.yaml (${REGION})`);
    expect(r.code).toBe(0);
    const key = `customer-setup/ion-destination/${VERSION}/ion-destination.cfn.yaml`;
    expect(r.stdout).toBe(`https://${BUCKET}.s3.${REGION}.amazonaws.com/${key}\n`);
    const stored = await readObject(key);
    expect(stored.body).toBe(renderCloudFormationTemplate());
    expect(stored.contentType).toBe('application/x-yaml');
    // The printed URL is one launch-url accepts.
    expect(() =>
      buildQuickCreateUrl({ templateUrl: r.stdout.trim(), trustedAccountId: '111122223333', externalIds: ['ion-acme-7f3a9c'], region: REGION }),
    ).not.toThrow();
  });

  it('publishing the same version again is a no-op that reports the same URL (--json)', async () => {
    const first = await publishTemplate({ bucket: BUCKET, prefix: 'again', region: REGION, endpointUrl: emulator.url, credentials: EMULATOR_ROOT_CREDENTIALS });
    const before = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: first.key }));
    const r = await runCli(['publish-template', '--bucket', BUCKET, '--prefix', 'again', '--region', REGION, '--endpoint-url', emulator.url, '--json'], { env: cliEnv });
    expect(r.code).toBe(0);
    expect(first.created).toBe(true);
    expect(JSON.parse(r.stdout)).toEqual({ ...first, created: false });
    const after = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: first.key }));
    expect(after.ETag).toBe(before.ETag);
    expect(after.LastModified).toEqual(before.LastModified);
  });

  it('refuses to overwrite a different object at the versioned key and leaves it as it was', async () => {
    const key = templateKey('taken', VERSION);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'someone else\n' }));
    const r = await runCli(['publish-template', '--bucket', BUCKET, '--prefix', 'taken', '--region', REGION, '--endpoint-url', emulator.url], { env: cliEnv });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error [TEMPLATE_ALREADY_PUBLISHED]');
    expect(r.stderr).toContain(`s3://${BUCKET}/${key} already holds a different template`);
    expect((await readObject(key)).body).toBe('someone else\n');
  });

  it('maps a missing bucket and a bucket owned by another account to their codes', async () => {
    await expect(publishTemplate({ bucket: 'fr-no-such-bucket', region: REGION, endpointUrl: emulator.url, credentials: EMULATOR_ROOT_CREDENTIALS })).rejects.toMatchObject({
      code: 'TEMPLATE_BUCKET_NOT_FOUND',
    });
    await expect(
      publishTemplate({ bucket: BUCKET, region: REGION, bucketOwner: '999988887777', endpointUrl: emulator.url, credentials: EMULATOR_ROOT_CREDENTIALS }),
    ).rejects.toMatchObject({ code: 'TEMPLATE_BUCKET_ACCESS_DENIED' });
  });

  it('without --region and with no region configured, asks for --region before any AWS call instead of probing us-east-1', async () => {
    const env = { ...cliEnv, AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_CONFIG_FILE: '/nonexistent/ion-dest-config', AWS_PROFILE: '' };
    // An unreachable endpoint: a probe of any region would fail with a network error, not an input error.
    const r = await runCli(['publish-template', '--bucket', BUCKET, '--endpoint-url', 'http://127.0.0.1:9'], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error [INVALID_INPUT]: Invalid --region ""');
    expect(r.stderr).toContain("credentials of one partition (aws, aws-us-gov, aws-cn) reach no other");
  });

  it("without --region, asks S3 from the environment's region (here eu-west-1) and takes the bucket's region from the reply", async () => {
    const r = await runCli(['publish-template', '--bucket', BUCKET, '--prefix', 'env-region', '--endpoint-url', emulator.url, '--json'], {
      env: { ...cliEnv, AWS_REGION: REGION },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ region: REGION, key: templateKey('env-region', VERSION) });
  });

  it('rejects bad input before any AWS call, naming every field', async () => {
    let error: unknown;
    try {
      await publishTemplate({ bucket: 'Bad_Bucket', prefix: '../up', region: 'eu-west-9', bucketOwner: '12', endpointUrl: 'http://127.0.0.1:9' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).problems.map((p) => p.field)).toEqual(['--bucket', '--prefix', '--region', '--bucket-owner']);
  });
});
