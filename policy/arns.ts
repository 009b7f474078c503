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

/**
 * A role path is `/` alone or `/`-delimited segments of printable ASCII (`!` to `~`), at
 * most 512 characters. IAM's own pattern would let a segment be empty (`//`) or hold `*`;
 * neither names a real folder, and a `*` or `?` in an ARN is a wildcard wherever the ARN
 * lands in a policy, so each segment here is one or more characters other than `/`, `*`
 * and `?`.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (Path: 1 to 512 characters)
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-friendly-names (paths)
 */
const ROLE_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role(\/(?:[\x21-\x29\x2b-\x2e\x30-\x3e\x40-\x7e]+\/)*)([\w+=,.@-]{1,64})$/;
/** The longest role path IAM accepts. */
export const MAX_ROLE_PATH_LENGTH = 512;

/** Parse a role ARN, or return undefined when it is not one. */
export function parseRoleArn(arn: string): ParsedRoleArn | undefined {
  const m = ROLE_ARN.exec(arn);
  if (!m || (m[3] as string).length > MAX_ROLE_PATH_LENGTH) return undefined;
  return {
    partition: m[1] as Partition,
    accountId: m[2] as string,
    path: m[3] as string,
    roleName: m[4] as string,
  };
}
