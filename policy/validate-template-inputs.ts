import type { InputProblem } from '../errors/index.js';
import { partitionOfRegion } from './partitions.js';
import { KEY_SEGMENT_PATTERN, KEY_SEGMENT_RULE, type Validator } from './validate.js';

/**
 * Validators for publishing the CloudFormation template and linking to it: stack
 * names, the template's S3 URL, and the key prefix it is published under.
 */

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html (StackName) */
export const STACK_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9-]{0,127}$';
export const STACK_NAME_RULE = 'a stack name is 1 to 128 characters of letters, digits and hyphens, and starts with a letter';

export const validateStackName: Validator = (value, field = 'stack name') =>
  new RegExp(STACK_NAME_PATTERN, 'u').test(value) ? undefined : { field, value, rule: STACK_NAME_RULE };

/**
 * Host names of S3's HTTPS endpoints: virtual-hosted (`bucket.s3.region.amazonaws.com`)
 * or path-style (`s3.region.amazonaws.com/bucket`), including the legacy `s3-region`
 * form and the China partition's `.amazonaws.com.cn`.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 */
const S3_HOST = /^(?:(?<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.)?s3(?:[.-](?:dualstack\.)?[a-z0-9-]+)?\.amazonaws\.com(?<china>\.cn)?$/;

export const TEMPLATE_URL_RULE =
  'a template URL is an https:// URL of an object in Amazon S3 (https://<bucket>.s3.<region>.amazonaws.com/<key>), as CloudFormation quick-create links require';

/** The bucket and key an S3 HTTPS URL names, or undefined when it is not one. */
export function parseS3HttpsUrl(value: string): { bucket: string; key: string; china: boolean } | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port || url.hash) return undefined;
  const host = S3_HOST.exec(url.hostname);
  if (!host) return undefined;
  const path = url.pathname.replace(/^\//, '');
  const virtualBucket = host.groups?.bucket;
  const [bucket, key] = virtualBucket ? [virtualBucket, path] : [path.split('/')[0] ?? '', path.split('/').slice(1).join('/')];
  if (!bucket || !key || key.endsWith('/')) return undefined;
  return { bucket, key: decodeURIComponent(key), china: host.groups?.china !== undefined };
}

/**
 * The template URL is an S3 HTTPS object URL, in the partition of the stack's region
 * (a China region's stack needs its template in a China bucket).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-console-create-stacks-quick-create-links.html
 */
export function validateTemplateUrl(value: string, region: string | undefined, field = 'template URL'): InputProblem | undefined {
  const parsed = parseS3HttpsUrl(value);
  if (!parsed) return { field, value, rule: TEMPLATE_URL_RULE };
  const partition = region === undefined ? undefined : partitionOfRegion(region);
  if (partition !== undefined && parsed.china !== (partition === 'aws-cn')) {
    return {
      field,
      value,
      rule:
        partition === 'aws-cn'
          ? `region ${region} is in the China partition: the template must be in an S3 bucket there (…amazonaws.com.cn)`
          : `region ${region} is not in the China partition: the template must not be in a China S3 bucket`,
    };
  }
  return undefined;
}

export const KEY_PREFIX_RULE = `a key prefix is one or more segments separated by "/", where each segment ${KEY_SEGMENT_RULE}`;

/** An S3 key prefix made of safe segments (no leading or trailing `/`, no `..`). */
export const validateKeyPrefix: Validator = (value, field = 'key prefix') => {
  const segments = value.split('/');
  const ok = segments.every((s) => new RegExp(KEY_SEGMENT_PATTERN, 'u').test(s));
  return ok ? undefined : { field, value, rule: KEY_PREFIX_RULE };
};
