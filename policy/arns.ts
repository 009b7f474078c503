import type { Partition } from './partitions.js';

/**
 * ARN builders. Every ARN the toolkit writes is built here, once.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function bucketArn(partition: Partition, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/** What a bucket ARN ends with to name every object in the bucket. */
export const ALL_OBJECTS_ARN_SUFFIX = '/*';

/** ARN of every object in a bucket (`arn:…:s3:::bucket/*`). */
export function bucketObjectsArn(partition: Partition, bucket: string): string {
  return `${bucketArn(partition, bucket)}${ALL_OBJECTS_ARN_SUFFIX}`;
}

/** The account principal: any identity of that account that its own policies allow. */
export function accountRootArn(partition: Partition, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

export function roleArn(partition: Partition, accountId: string, roleName: string, path = '/'): string {
  return `arn:${partition}:iam::${accountId}:role${path}${roleName}`;
}

export interface ParsedRoleArn {
  partition: Partition;
  accountId: string;
  /** Role path, `/` when none. */
  path: string;
  roleName: string;
}

const ROLE_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/;

/** Parse a role ARN, or return undefined when it is not one. */
export function parseRoleArn(arn: string): ParsedRoleArn | undefined {
  const m = ROLE_ARN.exec(arn);
  if (!m) return undefined;
  return {
    partition: m[1] as Partition,
    accountId: m[2] as string,
    path: m[3] as string,
    roleName: m[4] as string,
  };
}
