import { IonDestError, type InputProblem } from '../errors/index.js';
import { parseRoleArn } from './arns.js';
import { ALL_REGIONS, PARTITIONS, isPartition, partitionOfRegion, type Partition } from './partitions.js';

/**
 * Input validators. Each returns the problem it finds (field, value, rule) or
 * undefined. The CLI, the library calls, the cdktf stack and the CloudFormation
 * parameters (through the exported patterns) all use these, so a value is judged
 * by the same rule everywhere, before any AWS call.
 */
export type Validator = (value: string, field?: string) => InputProblem | undefined;

function problem(field: string, value: string, rule: string): InputProblem {
  return { field, value, rule };
}

/** Exactly twelve digits. @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html */
export const ACCOUNT_ID_PATTERN = '^[0-9]{12}$';
export const ACCOUNT_ID_RULE = 'an AWS account ID is exactly 12 digits';

/**
 * 2 to 1224 characters of letters, digits and `+=,.@:/-` (and `_`).
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (ExternalId)
 */
const EXTERNAL_ID_CHARACTER = '[\\w+=,.@:/-]';
export const EXTERNAL_ID_MIN_LENGTH = 2;
export const EXTERNAL_ID_MAX_LENGTH = 1224;
export const EXTERNAL_ID_PATTERN = `^${EXTERNAL_ID_CHARACTER}{${EXTERNAL_ID_MIN_LENGTH},${EXTERNAL_ID_MAX_LENGTH}}$`;
/**
 * EXTERNAL_ID_PATTERN without its length bound, for regex engines that cap a repetition
 * at 1000 (RE2, which Terraform's `regex` uses); check the length apart.
 */
export const EXTERNAL_ID_CHARACTERS_PATTERN = `^${EXTERNAL_ID_CHARACTER}*$`;
export const EXTERNAL_ID_RULE = 'an external ID is 2 to 1224 characters of letters, digits and _+=,.@:/-';

/** @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName) */
export const ROLE_NAME_PATTERN = '^[\\w+=,.@-]{1,64}$';
export const ROLE_NAME_RULE = 'a role name is 1 to 64 characters of letters, digits and _+=,.@-';

/**
 * A customer-managed KMS key ARN (key/ form; an alias ARN does not grant key use in IAM).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN
 */
export const KMS_KEY_ARN_PATTERN =
  '^arn:aws(-us-gov|-cn)?:kms:[a-z0-9-]+:[0-9]{12}:key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$';
export const KMS_KEY_ARN_RULE =
  'a KMS key ARN has the form arn:<partition>:kms:<region>:<12-digit account>:key/<key id> (an alias ARN is not accepted)';

/**
 * A general purpose bucket name, all of S3's naming rules.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export const BUCKET_NAME_PATTERN = '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$';
/** What BUCKET_NAME_PATTERN checks; bucketNameRuleBroken checks the remaining rules one by one. */
export const BUCKET_NAME_RULE =
  'a bucket name is 3 to 63 characters of lowercase letters, digits, dots (.) and hyphens (-), and begins and ends with a letter or digit';
/** Prefixes S3 reserves for its own features. */
export const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
/** Suffixes S3 reserves for access point aliases, Object Lambda, Multi-Region Access Points, directory and table buckets. */
export const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;
/** The rules BUCKET_NAME_PATTERN cannot express, for checkers that take them one by one (Terraform validations). */
export const BUCKET_NAME_ADJACENT_DOTS = '..';
export const BUCKET_NAME_ADJACENT_DOTS_RULE = 'a bucket name has no two adjacent dots';
export const BUCKET_NAME_IP_ADDRESS_PATTERN = '^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$';
export const BUCKET_NAME_IP_ADDRESS_RULE = 'a bucket name is not formatted as an IP address';
export const RESERVED_BUCKET_PREFIX_RULE = 'a bucket name does not start with a reserved prefix';
export const RESERVED_BUCKET_SUFFIX_RULE = 'a bucket name does not end with a reserved suffix';

/**
 * Tenant and job ID become one S3 key segment each: no `/`, no `..`, nothing a shell or IAM
 * wildcard would misread, and no trailing `.` (Windows drops it from a folder name, so
 * `acme.` would extract onto `acme`).
 * @see https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file#naming-conventions
 */
export const KEY_SEGMENT_ADJACENT_DOTS = '..';
/**
 * The characters and ends of a key segment, without the "no .." rule: for Terraform, whose
 * RE2 engine has no lookahead, so its check pairs this with a test for KEY_SEGMENT_ADJACENT_DOTS.
 */
export const KEY_SEGMENT_PATTERN_WITHOUT_LOOKAHEAD = '^[A-Za-z0-9]([A-Za-z0-9_.-]{0,126}[A-Za-z0-9_-])?$';
/**
 * The whole rule in one pattern, for engines with lookahead: JavaScript, CloudFormation's
 * AllowedPattern (Java syntax) and cfn-lint (Python).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-regexes.html
 */
export const KEY_SEGMENT_PATTERN = `^(?!.*\\.\\.)${KEY_SEGMENT_PATTERN_WITHOUT_LOOKAHEAD.slice(1)}`;
export const KEY_SEGMENT_RULE =
  'is 1 to 128 characters of letters, digits, _ . and -, starts with a letter or digit, does not end with ".", and has no ".."';

function matches(pattern: string, value: string): boolean {
  return new RegExp(pattern, 'u').test(value);
}

export const validateTrustedAccountId: Validator = (value, field = 'trusted account ID') =>
  matches(ACCOUNT_ID_PATTERN, value) ? undefined : problem(field, value, ACCOUNT_ID_RULE);

export const validateAccountId: Validator = (value, field = 'account ID') =>
  matches(ACCOUNT_ID_PATTERN, value) ? undefined : problem(field, value, ACCOUNT_ID_RULE);

export const validateExternalId: Validator = (value, field = 'external ID') =>
  matches(EXTERNAL_ID_PATTERN, value) ? undefined : problem(field, value, EXTERNAL_ID_RULE);

/**
 * The most external IDs a delivery role's trust policy accepts at once: the current one and,
 * during a rotation's overlap window, one more. Both stacks deploy exactly that many — the
 * CloudFormation template's `ExternalId` and `AdditionalExternalId` parameters, the Terraform
 * module's and the cdktf construct's `external_id` and `additional_external_id` — so a trust
 * policy, a quick-create link, an audit or a verify with more IDs would describe a role
 * neither stack can deploy. Every place that counts external IDs uses this constant.
 */
export const MAX_EXTERNAL_IDS = 2;
export const EXTERNAL_ID_COUNT_RULE = `one external ID, or up to ${MAX_EXTERNAL_IDS} during a rotation (the stacks deploy a current and an additional one)`;

/**
 * One external ID, or up to MAX_EXTERNAL_IDS during a rotation's overlap window, each
 * valid, no two the same.
 */
export function validateExternalIds(ids: readonly string[], field = 'external ID'): InputProblem[] {
  if (ids.length === 0) return [problem(field, '', 'at least one external ID is required')];
  const problems = ids.map((id) => validateExternalId(id, field)).filter((p): p is InputProblem => p !== undefined);
  if (ids.length > MAX_EXTERNAL_IDS) problems.push(problem(field, ids.join(' '), `${EXTERNAL_ID_COUNT_RULE}; ${ids.length} given`));
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) problems.push(problem(field, id, 'each external ID is given once (a rotation names two different IDs)'));
    seen.add(id);
  }
  return problems;
}

/** @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html */
export const ROLE_ARN_RULE =
  'a role ARN has the form arn:<partition>:iam::<12-digit account>:role/<name> or role/<path>/<name>, where the path is at most 512 characters of "/"-separated non-empty segments of printable ASCII without * or ?';

export const validateRoleArn: Validator = (value, field = 'role ARN') =>
  parseRoleArn(value) ? undefined : problem(field, value, ROLE_ARN_RULE);

export const validateRoleName: Validator = (value, field = 'role name') =>
  matches(ROLE_NAME_PATTERN, value) ? undefined : problem(field, value, ROLE_NAME_RULE);

export const validateKmsKeyArn: Validator = (value, field = 'KMS key ARN') =>
  matches(KMS_KEY_ARN_PATTERN, value) ? undefined : problem(field, value, KMS_KEY_ARN_RULE);

export const validatePartition: Validator = (value, field = 'partition') =>
  isPartition(value) ? undefined : problem(field, value, `a partition is one of ${PARTITIONS.join(', ')}`);

export const validateRegion: Validator = (value, field = 'region') =>
  partitionOfRegion(value)
    ? undefined
    : problem(field, value, 'a region is an AWS region name such as us-east-1 (see `ion-dest regions`)');

export const validateBucketName: Validator = (value, field = 'bucket name') => {
  const rule = bucketNameRuleBroken(value);
  return rule ? problem(field, value, rule) : undefined;
};

/** The first S3 bucket naming rule the name breaks, or undefined. */
export function bucketNameRuleBroken(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'a bucket name is 3 to 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'a bucket name uses only lowercase letters, digits, dots (.) and hyphens (-)';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'a bucket name begins and ends with a letter or digit';
  if (name.includes(BUCKET_NAME_ADJACENT_DOTS)) return BUCKET_NAME_ADJACENT_DOTS_RULE;
  if (matches(BUCKET_NAME_IP_ADDRESS_PATTERN, name)) return BUCKET_NAME_IP_ADDRESS_RULE;
  const prefix = RESERVED_BUCKET_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `a bucket name does not start with the reserved prefix "${prefix}"`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `a bucket name does not end with the reserved suffix "${suffix}"`;
  return undefined;
}

export const validateTenant: Validator = (value, field = 'tenant') =>
  isKeySegment(value) ? undefined : problem(field, value, `a tenant ${KEY_SEGMENT_RULE}`);

export const validateJobId: Validator = (value, field = 'job ID') =>
  isKeySegment(value) ? undefined : problem(field, value, `a job ID ${KEY_SEGMENT_RULE}`);

function isKeySegment(value: string): boolean {
  return matches(KEY_SEGMENT_PATTERN, value);
}

/** The region must lie in the partition the ARNs name. */
export function validateRegionInPartition(
  region: string,
  partition: Partition,
  field = 'region',
): InputProblem | undefined {
  const actual = partitionOfRegion(region);
  if (actual === undefined || actual === partition) return undefined;
  return problem(field, region, `region ${region} is in partition ${actual}, not ${partition}`);
}

/** Describe problems one per line, each naming field, value and rule. */
export function describeProblems(problems: readonly InputProblem[]): string {
  return problems.map((p) => `Invalid ${p.field} ${JSON.stringify(p.value)}: ${p.rule}.`).join('\n');
}

/**
 * Throw one INVALID_INPUT error listing every problem, or return when there is none.
 * Call before any AWS call so that nothing is created from bad input.
 */
export function assertNoProblems(problems: readonly (InputProblem | undefined)[]): void {
  const found = problems.filter((p): p is InputProblem => p !== undefined);
  if (found.length === 0) return;
  throw new IonDestError('INVALID_INPUT', describeProblems(found), { source: 'user', problems: found });
}

export { ALL_REGIONS };
