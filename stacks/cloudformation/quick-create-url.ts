import type { InputProblem } from '../../errors/index.js';
import {
  assertNoProblems,
  partitionOfRegion,
  validateBucketName,
  validateExternalIds,
  validateKmsKeyArn,
  validateTenant,
  validateRegion,
  validateRoleName,
  validateStackName,
  validateTemplateUrl,
  validateTrustedAccountId,
  type Partition,
} from '../../policy/index.js';
import { EXTERNAL_ID_PARAMETERS, FALSE, PARAMETER, TRUE, type ParameterName } from './parameters.js';

/** Stack name the link proposes when none is given. */
export const DEFAULT_STACK_NAME = 'ion-snapshot-destination';

/** A console quick-create link's form in one partition: the console's origin and the route of its quick-create page. */
export interface QuickCreateForm {
  origin: (region: string) => string;
  route: string;
  /** Where AWS's documentation shows this form. */
  source: string;
}

/**
 * The quick-create link's form per partition, only where AWS's documentation shows it;
 * `undefined` where it does not, and then no link is printed rather than a guess.
 *
 * - aws: the Regional console endpoints (`https://<region>.console.aws.amazon.com`) and
 *   the quick-create link form of the CloudFormation User Guide.
 * - aws-us-gov: the GovCloud (US) User Guide links a quick-create page as
 *   `https://console.amazonaws-us-gov.com/cloudformation/home?region=us-gov-west-1#/stacks/quickcreate?templateURL=...`.
 * - aws-cn: no AWS documentation page found shows the China Regions' console quick-create form.
 *
 * @see https://docs.aws.amazon.com/general/latest/gr/mgmt-console.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-console-create-stacks-quick-create-links.html
 * @see https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-res.html
 */
export const QUICK_CREATE_FORMS: Record<Partition, QuickCreateForm | undefined> = {
  aws: {
    origin: (region) => `https://${region}.console.aws.amazon.com`,
    route: '#/stacks/create/review',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-console-create-stacks-quick-create-links.html',
  },
  'aws-us-gov': {
    origin: () => 'https://console.amazonaws-us-gov.com',
    route: '#/stacks/quickcreate',
    source: 'https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-res.html',
  },
  'aws-cn': undefined,
};

/** The console's origin for a region, where AWS documents it (see {@link QUICK_CREATE_FORMS}). */
export function consoleOrigin(region: string): string | undefined {
  return QUICK_CREATE_FORMS[partitionOfRegion(region) ?? 'aws']?.origin(region);
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
  /** Prefill TenantPrefix: narrow the role's grant to keys under `<prefix>/`. */
  tenantPrefix?: string;
}

/**
 * Every problem with the options, each naming the option, the value and the rule (the CLI's
 * `launch-url` names the flag instead, as every command does: cli/options.ts FLAG_OF_FIELD).
 */
export function checkQuickCreateOptions(o: QuickCreateOptions): (InputProblem | undefined)[] {
  const problems: (InputProblem | undefined)[] = [
    validateRegion(o.region, 'region'),
    validateTemplateUrl(o.templateUrl, o.region, 'templateUrl'),
    validateTrustedAccountId(o.trustedAccountId, 'trustedAccountId'),
    o.stackName === undefined ? undefined : validateStackName(o.stackName, 'stackName'),
    o.bucketName === undefined ? undefined : validateBucketName(o.bucketName, 'bucketName'),
    o.roleName === undefined ? undefined : validateRoleName(o.roleName, 'roleName'),
    o.accessLogBucket === undefined ? undefined : validateBucketName(o.accessLogBucket, 'accessLogBucket'),
    o.tenantPrefix === undefined ? undefined : validateTenant(o.tenantPrefix, 'tenantPrefix'),
  ];
  // One, or up to MAX_EXTERNAL_IDS during a rotation (one per template parameter), each valid, no two the same.
  problems.push(...validateExternalIds(o.externalIds, 'externalIds'));
  const partition = partitionOfRegion(o.region);
  if (partition && QUICK_CREATE_FORMS[partition] === undefined) {
    problems.push({
      field: 'region',
      value: o.region,
      rule:
        `AWS's documentation shows no console quick-create link form for the ${partition} partition, so no link is printed; ` +
        'the admin creates the stack in that partition\'s CloudFormation console from the template URL, with these parameter values',
    });
  }
  if (o.useExistingBucket && o.bucketName === undefined) {
    problems.push({ field: 'bucketName', value: '', rule: 'using an existing bucket (UseExistingBucket) needs the name of that bucket' });
  }
  if (o.useExistingBucket && o.accessLogBucket !== undefined) {
    problems.push({
      field: 'accessLogBucket',
      value: o.accessLogBucket,
      rule: 'access logging is set only on a bucket the stack creates, not on an existing bucket (UseExistingBucket)',
    });
  }
  if (o.kmsKeyArn !== undefined) {
    const bad = validateKmsKeyArn(o.kmsKeyArn, 'kmsKeyArn');
    problems.push(bad);
    // arn:<partition>:kms:<region>:…: a region check covers the partition too.
    const keyRegion = o.kmsKeyArn.split(':')[3];
    if (!bad && keyRegion !== o.region) {
      problems.push({
        field: 'kmsKeyArn',
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
    ...EXTERNAL_ID_PARAMETERS.map((name, i): [ParameterName, string | undefined] => [name, options.externalIds[i]]),
    [PARAMETER.bucketName, options.bucketName],
    [PARAMETER.useExistingBucket, options.useExistingBucket ? TRUE : undefined],
    [PARAMETER.kmsKeyArn, options.kmsKeyArn],
    [PARAMETER.accessLogBucket, options.accessLogBucket],
    [PARAMETER.eventBridgeNotifications, options.eventBridgeNotifications === false ? FALSE : undefined],
    [PARAMETER.roleName, options.roleName],
    [PARAMETER.tenantPrefix, options.tenantPrefix],
  ];
  const query = [
    ['templateURL', options.templateUrl],
    ['stackName', options.stackName ?? DEFAULT_STACK_NAME],
    ...values.filter((v): v is [ParameterName, string] => v[1] !== undefined).map(([name, value]) => [`param_${name}`, value]),
  ]
    .map(([key, value]) => `${key}=${encodeURIComponent(value as string)}`)
    .join('&');
  const form = QUICK_CREATE_FORMS[partitionOfRegion(options.region) ?? 'aws']!;
  const region = encodeURIComponent(options.region);
  return `${form.origin(options.region)}/cloudformation/home?region=${region}${form.route}?${query}`;
}
