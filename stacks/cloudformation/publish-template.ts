import { GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3Client, type AwsClientOptions } from '../../aws/clients.js';
import { resolveEndpointUrl } from '../../aws/endpoint.js';
import { IonDestError } from '../../errors/index.js';
import {
  assertNoProblems,
  partitionOfRegion,
  validateAccountId,
  validateBucketName,
  validateKeyPrefix,
  validateRegion,
} from '../../policy/index.js';
import { toIonDestError, type AwsErrorFacts } from '../../aws/aws-errors.js';
import { readCallerAccount } from '../../aws/caller-account.js';
import { readPackageVersion } from './package-version.js';
import { renderCloudFormationTemplate } from './render-yaml.js';
import { CLOUDFORMATION_TEMPLATE_PATH } from './write.js';

/** Folder under the prefix that holds every published version of the template. */
export const TEMPLATE_KEY_FOLDER = 'ion-destination';
/** The template's file name, the same as in templates/. */
export const TEMPLATE_FILE_NAME = CLOUDFORMATION_TEMPLATE_PATH.split('/').pop() as string;

export interface PublishTemplateOptions {
  bucket: string;
  /** Key prefix in front of `ion-destination/<version>/`. */
  prefix?: string;
  /**
   * The bucket's region. When absent it is found with HeadBucket, sent to the region the
   * AWS environment names (AWS_REGION, the profile's region), which is in the partition
   * of the credentials; with no region configured either, the caller is asked for one.
   */
  region?: string;
  /** The account that must own the bucket; the caller's own account when absent. */
  bucketOwner?: string;
  endpointUrl?: string;
  profile?: string;
  /** Credentials (default: the standard credential chain, or `profile`). */
  credentials?: AwsClientOptions['credentials'];
  /** Package version naming the key (default: package.json's). */
  version?: string;
}

export interface PublishedTemplate {
  bucket: string;
  key: string;
  region: string;
  /** The HTTPS URL to give `ion-dest launch-url --template-url`. */
  url: string;
  /** False when the identical template was already there (publishing again is a no-op). */
  created: boolean;
  version: string;
}

/** The versioned key: `<prefix>/ion-destination/<version>/ion-destination.cfn.yaml`. */
export function templateKey(prefix: string | undefined, version: string): string {
  return [prefix, TEMPLATE_KEY_FOLDER, version, TEMPLATE_FILE_NAME].filter((s) => s !== undefined && s !== '').join('/');
}

/**
 * The object's HTTPS URL in AWS's form. Virtual-hosted style, except for bucket
 * names with dots, whose virtual host name no certificate covers (path style then).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 */
export function objectHttpsUrl(bucket: string, region: string, key: string): string {
  const domain = partitionOfRegion(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  const path = key.split('/').map(encodeURIComponent).join('/');
  return bucket.includes('.')
    ? `https://s3.${region}.${domain}/${bucket}/${path}`
    : `https://${bucket}.s3.${region}.${domain}/${path}`;
}

function mapBucketError(facts: AwsErrorFacts) {
  if (facts.name === 'NoSuchBucket' || facts.name === 'NotFound' || facts.httpStatus === 404) return 'TEMPLATE_BUCKET_NOT_FOUND' as const;
  if (facts.name === 'AccessDenied' || facts.httpStatus === 403) return 'TEMPLATE_BUCKET_ACCESS_DENIED' as const;
  return undefined;
}

function isPreconditionFailed(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412;
}

/**
 * Upload the generated template under its versioned key and return its URL. A key
 * is written once: S3's conditional write (`If-None-Match: *`) refuses to replace
 * an existing object; an identical one is accepted as already published, a
 * different one is an error (links already handed out point at it).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
export async function publishTemplate(options: PublishTemplateOptions): Promise<PublishedTemplate> {
  assertNoProblems([
    validateBucketName(options.bucket, '--bucket'),
    options.prefix === undefined ? undefined : validateKeyPrefix(options.prefix, '--prefix'),
    options.region === undefined ? undefined : validateRegion(options.region, '--region'),
    options.bucketOwner === undefined ? undefined : validateAccountId(options.bucketOwner, '--bucket-owner'),
  ]);
  const endpointUrl = resolveEndpointUrl(options.endpointUrl);
  const version = options.version ?? readPackageVersion();
  const key = templateKey(options.prefix, version);
  const body = renderCloudFormationTemplate();
  const common: CommonClientOptions = {
    ...(endpointUrl ? { endpointUrl } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };

  // Credentials work only in their own partition: the first calls go to a region of that
  // partition (the given one, else the environment's), never to a guessed us-east-1.
  const callRegion = options.region ?? (await configuredRegion(options.profile));
  const owner = options.bucketOwner ?? (await readCallerAccount({ region: callRegion, ...common }));
  const region = options.region ?? (await findBucketRegion(options.bucket, owner, callRegion, common));
  const s3 = createS3Client({ region, expectedBucketOwner: owner, ...common });
  try {
    const created = await putOnce(s3, options.bucket, key, body);
    return { bucket: options.bucket, key, region, url: objectHttpsUrl(options.bucket, region, key), created, version };
  } finally {
    s3.destroy();
  }
}

async function putOnce(s3: S3Client, bucket: string, key: string, body: string): Promise<boolean> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: 'application/x-yaml',
        IfNoneMatch: '*',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    return true;
  } catch (error) {
    if (!isPreconditionFailed(error)) throw toIonDestError(error, `PutObject s3://${bucket}/${key}`, 'source', mapBucketError);
  }
  const existing = await readObjectText(s3, bucket, key);
  if (existing !== body) {
    throw new IonDestError(
      'TEMPLATE_ALREADY_PUBLISHED',
      `s3://${bucket}/${key} already holds a different template; a published version is never overwritten.`,
      { source: 'user' },
    );
  }
  return false;
}

async function readObjectText(s3: S3Client, bucket: string, key: string): Promise<string> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await out.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    throw toIonDestError(error, `GetObject s3://${bucket}/${key}`, 'source', mapBucketError);
  }
}

type CommonClientOptions = Pick<AwsClientOptions, 'endpointUrl' | 'profile' | 'credentials'>;


/**
 * The region the AWS environment names (AWS_REGION, else the profile's `region`), as the
 * SDK resolves it; none configured is an input error asking for --region.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-region.html
 */
async function configuredRegion(profile: string | undefined): Promise<string> {
  const probe = new S3Client(profile ? { profile } : {});
  let region: string | undefined;
  try {
    region = await probe.config.region();
  } catch {
    region = undefined;
  } finally {
    probe.destroy();
  }
  assertNoProblems([
    region
      ? validateRegion(region, 'the AWS environment\'s region (AWS_REGION or the profile)')
      : {
          field: '--region',
          value: '',
          rule:
            "the bucket's region is needed: give --region, or configure a region (AWS_REGION or the profile's) in the bucket's partition; it is not guessed, since credentials of one partition (aws, aws-us-gov, aws-cn) reach no other",
        },
  ]);
  return region!;
}

/**
 * The bucket's region, from HeadBucket sent to a region of the credentials' partition:
 * S3 names it in `x-amz-bucket-region` (the SDK's `BucketRegion`), also on a redirect.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 */
async function findBucketRegion(bucket: string, owner: string, callRegion: string, common: CommonClientOptions): Promise<string> {
  const s3 = createS3Client({ region: callRegion, expectedBucketOwner: owner, ...common });
  try {
    const out = await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    if (out.BucketRegion) return out.BucketRegion;
    return callRegion;
  } catch (error) {
    const region = (error as { $response?: { headers?: Record<string, string> } }).$response?.headers?.['x-amz-bucket-region'];
    if (region && (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 301) return region;
    throw toIonDestError(error, `HeadBucket ${bucket}`, 'source', mapBucketError);
  } finally {
    s3.destroy();
  }
}
