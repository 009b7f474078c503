import { TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import {
  ACCOUNT_ID_PATTERN,
  ACCOUNT_ID_RULE,
  ALL_REGIONS,
  BUCKET_NAME_ADJACENT_DOTS,
  BUCKET_NAME_ADJACENT_DOTS_RULE,
  BUCKET_NAME_IP_ADDRESS_PATTERN,
  BUCKET_NAME_IP_ADDRESS_RULE,
  BUCKET_NAME_PATTERN,
  BUCKET_NAME_RULE,
  EXTERNAL_ID_CHARACTERS_PATTERN,
  EXTERNAL_ID_MAX_LENGTH,
  EXTERNAL_ID_MIN_LENGTH,
  EXTERNAL_ID_RULE,
  KEY_SEGMENT_ADJACENT_DOTS,
  KEY_SEGMENT_PATTERN_WITHOUT_LOOKAHEAD,
  KEY_SEGMENT_RULE,
  KMS_KEY_ARN_PATTERN,
  KMS_KEY_ARN_RULE,
  MAX_EXTERNAL_IDS,
  RESERVED_BUCKET_PREFIXES,
  RESERVED_BUCKET_PREFIX_RULE,
  RESERVED_BUCKET_SUFFIXES,
  RESERVED_BUCKET_SUFFIX_RULE,
  ROLE_NAME_PATTERN,
  ROLE_NAME_RULE,
  describeProblems,
  validateBucketName,
  validateExternalId,
  validateKmsKeyArn,
  validateRegion,
  validateRoleName,
  validateTenant,
  validateTrustedAccountId,
  type Validator,
} from '../../policy/index.js';
import { expression, stringListLiteral, stringLiteral, variableReference } from './hcl.js';

/**
 * The stack's inputs, by their Terraform variable names. The committed Terraform
 * takes them with `-var`; `cdktf deploy` reads the same names from its configuration
 * (stacks/cdktf/config.ts). They mirror the CloudFormation template's parameters.
 */
export const VARIABLE = {
  trustedAccountId: 'trusted_account_id',
  externalId: 'external_id',
  additionalExternalId: 'additional_external_id',
  bucketName: 'bucket_name',
  useExistingBucket: 'use_existing_bucket',
  kmsKeyArn: 'kms_key_arn',
  accessLogBucket: 'access_log_bucket',
  eventBridgeNotifications: 'event_bridge_notifications',
  roleName: 'role_name',
  tenantPrefix: 'tenant_prefix',
  region: 'region',
} as const;

export type VariableName = (typeof VARIABLE)[keyof typeof VARIABLE];

/**
 * The variables that carry the role's external IDs, current first: one per ID the trust
 * policy accepts, MAX_EXTERNAL_IDS (policy/validate.ts), as the CloudFormation template's
 * EXTERNAL_ID_PARAMETERS. Raising that constant fails to compile here until the module has
 * a variable for the new ID.
 */
export const EXTERNAL_ID_VARIABLES = [VARIABLE.externalId, VARIABLE.additionalExternalId] as const satisfies {
  readonly length: typeof MAX_EXTERNAL_IDS;
};
type BooleanVariable = typeof VARIABLE.useExistingBucket | typeof VARIABLE.eventBridgeNotifications;
type StringVariable = Exclude<VariableName, BooleanVariable>;

/** Values for the inputs, as a Terraform `.tfvars.json` file holds them. */
export type DestinationInputs = Partial<Record<StringVariable, string> & Record<BooleanVariable, boolean>>;

/** One Terraform `validation` block: a condition over the variable, and the rule it enforces. */
interface VariableCheck {
  condition: string;
  rule: string;
}

export interface VariableSpec {
  type: 'string' | 'bool';
  description: string;
  /** Absent: the input is required. */
  default?: string | boolean;
  /** The policy/ validator that judges a configured value before synthesis (string inputs). */
  validate?: Validator;
  checks: VariableCheck[];
}

const v = variableReference;

/** Every check of a bucket name that Terraform can express, one rule each, as policy/ states them. */
function bucketNameChecks(name: string): VariableCheck[] {
  return [
    { condition: `can(regex(${stringLiteral(BUCKET_NAME_PATTERN)}, ${v(name)}))`, rule: BUCKET_NAME_RULE },
    { condition: `!strcontains(${v(name)}, ${stringLiteral(BUCKET_NAME_ADJACENT_DOTS)})`, rule: BUCKET_NAME_ADJACENT_DOTS_RULE },
    { condition: `!can(regex(${stringLiteral(BUCKET_NAME_IP_ADDRESS_PATTERN)}, ${v(name)}))`, rule: BUCKET_NAME_IP_ADDRESS_RULE },
    {
      condition: `alltrue([for prefix in ${stringListLiteral(RESERVED_BUCKET_PREFIXES)} : !startswith(${v(name)}, prefix)])`,
      rule: `${RESERVED_BUCKET_PREFIX_RULE} (${RESERVED_BUCKET_PREFIXES.join(', ')})`,
    },
    {
      condition: `alltrue([for suffix in ${stringListLiteral(RESERVED_BUCKET_SUFFIXES)} : !endswith(${v(name)}, suffix)])`,
      rule: `${RESERVED_BUCKET_SUFFIX_RULE} (${RESERVED_BUCKET_SUFFIXES.join(', ')})`,
    },
  ];
}

function externalIdChecks(name: string): VariableCheck[] {
  return [
    {
      condition: `length(${v(name)}) >= ${EXTERNAL_ID_MIN_LENGTH} && length(${v(name)}) <= ${EXTERNAL_ID_MAX_LENGTH} && can(regex(${stringLiteral(EXTERNAL_ID_CHARACTERS_PATTERN)}, ${v(name)}))`,
      rule: EXTERNAL_ID_RULE,
    },
  ];
}

function patternCheck(name: string, pattern: string, rule: string): VariableCheck {
  return { condition: `can(regex(${stringLiteral(pattern)}, ${v(name)}))`, rule };
}

/** An optional string input: empty means "not set", anything else must pass every check. */
function optional(name: string, checks: VariableCheck[]): VariableCheck[] {
  return checks.map((c) => ({ condition: `${v(name)} == "" || (${c.condition})`, rule: c.rule }));
}

/** The inputs, their defaults and the rules Terraform checks before planning anything. */
export const VARIABLE_SPECS: Record<VariableName, VariableSpec> = {
  [VARIABLE.trustedAccountId]: {
    type: 'string',
    description: "First Resonance's 12-digit AWS account ID, as given by your account team.",
    validate: validateTrustedAccountId,
    checks: [patternCheck(VARIABLE.trustedAccountId, ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE)],
  },
  [VARIABLE.externalId]: {
    type: 'string',
    description: 'The external ID First Resonance gave you; the role can be assumed only with it.',
    validate: validateExternalId,
    checks: externalIdChecks(VARIABLE.externalId),
  },
  [VARIABLE.additionalExternalId]: {
    type: 'string',
    description:
      'Optional second external ID, accepted as well during an external ID rotation. Clear it once First Resonance has switched to the new ID.',
    default: '',
    validate: validateExternalId,
    checks: [
      ...optional(VARIABLE.additionalExternalId, externalIdChecks(VARIABLE.additionalExternalId)),
      {
        condition: `${v(VARIABLE.additionalExternalId)} != ${v(VARIABLE.externalId)}`,
        rule: `${VARIABLE.additionalExternalId} differs from ${VARIABLE.externalId}`,
      },
    ],
  },
  [VARIABLE.bucketName]: {
    type: 'string',
    description:
      'Bucket that receives the snapshots. Empty: a new bucket with a generated name. A name: that bucket, created here unless use_existing_bucket is true.',
    default: '',
    validate: validateBucketName,
    checks: optional(VARIABLE.bucketName, bucketNameChecks(VARIABLE.bucketName)),
  },
  [VARIABLE.useExistingBucket]: {
    type: 'bool',
    description:
      'true: bucket_name names a bucket you already have; only the role is created, scoped to that bucket, and the bucket is left unchanged.',
    default: false,
    checks: [
      {
        condition: `!${v(VARIABLE.useExistingBucket)} || ${v(VARIABLE.bucketName)} != ""`,
        rule: `${VARIABLE.useExistingBucket} is true only together with ${VARIABLE.bucketName} naming the existing bucket`,
      },
    ],
  },
  [VARIABLE.kmsKeyArn]: {
    type: 'string',
    description:
      'Optional customer-managed KMS key ARN. A new bucket is encrypted with it (SSE-KMS with an S3 Bucket Key); for an existing bucket, name the key that bucket uses. The role is granted kms:GenerateDataKey and kms:Decrypt on it. Empty: SSE-S3.',
    default: '',
    validate: validateKmsKeyArn,
    checks: optional(VARIABLE.kmsKeyArn, [patternCheck(VARIABLE.kmsKeyArn, KMS_KEY_ARN_PATTERN, KMS_KEY_ARN_RULE)]),
  },
  [VARIABLE.accessLogBucket]: {
    type: 'string',
    description:
      'Optional bucket (same account and region) that receives S3 server access logs of a new bucket, under the prefix <bucket name>/. Empty: no access logging.',
    default: '',
    validate: validateBucketName,
    checks: optional(VARIABLE.accessLogBucket, bucketNameChecks(VARIABLE.accessLogBucket)),
  },
  [VARIABLE.eventBridgeNotifications]: {
    type: 'bool',
    description:
      'true: a new bucket sends its events to Amazon EventBridge, so your pipelines can react to each delivered snapshot (no cost until you add a rule).',
    default: true,
    checks: [],
  },
  [VARIABLE.roleName]: {
    type: 'string',
    description: 'Optional name of the delivery role. Empty: a name starting with the prefix ion-snapshot-delivery- is generated.',
    default: '',
    validate: validateRoleName,
    checks: optional(VARIABLE.roleName, [patternCheck(VARIABLE.roleName, ROLE_NAME_PATTERN, ROLE_NAME_RULE)]),
  },
  [VARIABLE.tenantPrefix]: {
    type: 'string',
    description:
      "Optional: your tenant (the first folder of each delivered key) to hold First Resonance to keys under <tenant>/. Empty: the setup guide's policy, on the whole bucket.",
    default: '',
    validate: validateTenant,
    checks: optional(VARIABLE.tenantPrefix, [
      patternCheck(VARIABLE.tenantPrefix, KEY_SEGMENT_PATTERN_WITHOUT_LOOKAHEAD, `a tenant ${KEY_SEGMENT_RULE}`),
      { condition: `!strcontains(${v(VARIABLE.tenantPrefix)}, "${KEY_SEGMENT_ADJACENT_DOTS}")`, rule: `a tenant ${KEY_SEGMENT_RULE}` },
    ]),
  },
  [VARIABLE.region]: {
    type: 'string',
    description: 'Optional AWS region to deploy into. Empty: the region of the AWS environment (AWS_REGION or the profile).',
    default: '',
    validate: validateRegion,
    checks: optional(VARIABLE.region, [
      { condition: `contains(${stringListLiteral(ALL_REGIONS)}, ${v(VARIABLE.region)})`, rule: 'a region is an AWS region name such as us-east-1' },
    ]),
  },
};

/** The names of the boolean inputs (their configured values are `true` or `false`). */
export function isBooleanVariable(name: VariableName): name is BooleanVariable {
  return VARIABLE_SPECS[name].type === 'bool';
}

/**
 * Declare every input as a Terraform variable. A value in `defaults` becomes the
 * variable's default (that is how `cdktf deploy` takes its configuration); the
 * committed Terraform is synthesized without any, so required inputs stay required.
 *
 * @see https://developer.hashicorp.com/terraform/language/values/variables#custom-validation-rules
 */
export function declareVariables(
  scope: Construct,
  defaults: DestinationInputs = {},
  names: readonly VariableName[] = Object.keys(VARIABLE_SPECS) as VariableName[],
): Record<VariableName, TerraformVariable> {
  const declared = {} as Record<VariableName, TerraformVariable>;
  for (const name of names) {
    const spec = VARIABLE_SPECS[name];
    const configured = defaults[name];
    // Construct IDs share one name space; Terraform's variables, locals and outputs do not.
    const variable = new TerraformVariable(scope, `variable_${name}`, {
      type: spec.type,
      description: spec.description,
      nullable: false,
      ...(configured !== undefined ? { default: configured } : spec.default !== undefined ? { default: spec.default } : {}),
    });
    variable.overrideLogicalId(name);
    for (const check of spec.checks) {
      variable.addValidation({
        condition: expression(check.condition),
        errorMessage: describeProblems([{ field: name, value: variable.stringValue, rule: check.rule }]),
      });
    }
    declared[name] = variable;
  }
  return declared;
}
