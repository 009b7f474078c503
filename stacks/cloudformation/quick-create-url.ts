import type { InputProblem } from '../../errors/index.js';
import {
  assertNoProblems,
  partitionOfRegion,
  validateBucketName,
  validateExternalId,
  validateKmsKeyArn,
  validateRegion,
  validateRoleName,
  validateStackName,
  validateTemplateUrl,
  validateTrustedAccountId,
  type Partition,
} from '../../policy/index.js';
import { FALSE, PARAMETER, TRUE, type ParameterName } from './parameters.js';

/** Stack name the link proposes when none is given. */
export const DEFAULT_STACK_NAME = 'ion-snapshot-destination';
/** The template takes one external ID, and a second only during a rotation. */
export const MAX_EXTERNAL_IDS = 2;

/**
 * The console's origin per partition (each partition has its own console).
 * @see https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-endpoints.html
 * @see https://docs.amazonaws.cn/en_us/aws/latest/userguide/endpoints-Beijing.html
 */
export function consoleOrigin(region: string): string {
  const partition: Partition = partitionOfRegion(region) ?? 'aws';
  if (partition === 'aws-us-gov') return 'https://console.amazonaws-us-gov.com';
  if (partition === 'aws-cn') return 'https://console.amazonaws.cn';
  return `https://${region}.console.aws.amazon.com`;
}

export interface QuickCreateOptions {
  /** HTTPS URL of the template in S3 (see `ion-dest publish-template`). */
  templateUrl: string;
  trustedAccountId: string;
  /** The external ID, and a second one during a rotation's overlap window. */
  externalIds: readonly string[];
  region: string;
  stackName?: string;
  bucketName?: string;
  useExistingBucket?: boolean;
  kmsKeyArn?: string;
  roleName?: string;
  accessLogBucket?: string;
  eventBridgeNotifications?: boolean;
}

/** Every problem with the options, each naming the command-line flag, the value and the rule. */
export function checkQuickCreateOptions(o: QuickCreateOptions): (InputProblem | undefined)[] {
  const problems: (InputProblem | undefined)[] = [
    validateRegion(o.region, '--region'),
    validateTemplateUrl(o.templateUrl, o.region, '--template-url'),
    validateTrustedAccountId(o.trustedAccountId, '--trusted-account'),
    o.stackName === undefined ? undefined : validateStackName(o.stackName, '--stack-name'),
    o.bucketName === undefined ? undefined : validateBucketName(o.bucketName, '--bucket-name'),
    o.roleName === undefined ? undefined : validateRoleName(o.roleName, '--role-name'),
    o.accessLogBucket === undefined ? undefined : validateBucketName(o.accessLogBucket, '--access-log-bucket'),
  ];
  if (o.externalIds.length === 0 || o.externalIds.length > MAX_EXTERNAL_IDS) {
    problems.push({
      field: '--external-id',
      value: o.externalIds.join(','),
      rule: `give one external ID, or two during a rotation (${o.externalIds.length} given)`,
    });
  }
  problems.push(...o.externalIds.map((id) => validateExternalId(id, '--external-id')));
  if (o.externalIds.length === 2 && o.externalIds[0] === o.externalIds[1]) {
    problems.push({ field: '--external-id', value: o.externalIds[1] ?? '', rule: 'the two external IDs must differ' });
  }
  if (o.useExistingBucket && o.bucketName === undefined) {
    problems.push({ field: '--bucket-name', value: '', rule: '--use-existing-bucket needs --bucket-name, the existing bucket' });
  }
  if (o.useExistingBucket && o.accessLogBucket !== undefined) {
    problems.push({
      field: '--access-log-bucket',
      value: o.accessLogBucket,
      rule: 'access logging is set only on a bucket the stack creates, not with --use-existing-bucket',
    });
  }
  if (o.kmsKeyArn !== undefined) {
    const bad = validateKmsKeyArn(o.kmsKeyArn, '--kms-key-arn');
    problems.push(bad);
    // arn:<partition>:kms:<region>:…: a region check covers the partition too.
    const keyRegion = o.kmsKeyArn.split(':')[3];
    if (!bad && keyRegion !== o.region) {
      problems.push({
        field: '--kms-key-arn',
        value: o.kmsKeyArn,
        rule: `the key must be in the bucket's region ${o.region} (S3 encrypts only with a key in its own region), not ${keyRegion}`,
      });
    }
  }
  return problems;
}

/**
 * The CloudFormation console's quick-create URL for the template with the given
 * values prefilled. The customer's admin opens it, reviews, acknowledges IAM, and
 * creates the stack.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-console-create-stacks-quick-create-links.html
 */
export function buildQuickCreateUrl(options: QuickCreateOptions): string {
  assertNoProblems(checkQuickCreateOptions(options));
  const values: [ParameterName, string | undefined][] = [
    [PARAMETER.trustedAccountId, options.trustedAccountId],
    [PARAMETER.externalId, options.externalIds[0]],
    [PARAMETER.additionalExternalId, options.externalIds[1]],
    [PARAMETER.bucketName, options.bucketName],
    [PARAMETER.useExistingBucket, options.useExistingBucket ? TRUE : undefined],
    [PARAMETER.kmsKeyArn, options.kmsKeyArn],
    [PARAMETER.accessLogBucket, options.accessLogBucket],
    [PARAMETER.eventBridgeNotifications, options.eventBridgeNotifications === false ? FALSE : undefined],
    [PARAMETER.roleName, options.roleName],
  ];
  const query = [
    ['templateURL', options.templateUrl],
    ['stackName', options.stackName ?? DEFAULT_STACK_NAME],
    ...values.filter((v): v is [ParameterName, string] => v[1] !== undefined).map(([name, value]) => [`param_${name}`, value]),
  ]
    .map(([key, value]) => `${key}=${encodeURIComponent(value as string)}`)
    .join('&');
  const region = encodeURIComponent(options.region);
  return `${consoleOrigin(options.region)}/cloudformation/home?region=${region}#/stacks/create/review?${query}`;
}
