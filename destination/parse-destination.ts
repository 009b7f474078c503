import { resolveEndpointUrl } from '../aws/endpoint.js';
import { isIonDestError, type InputProblem } from '../errors/index.js';
import {
  assertNoProblems,
  parseRoleArn,
  ROLE_ARN_RULE,
  validateAccountId,
  validateBucketName,
  validateExternalId,
  validateRegion,
  validateRegionInPartition,
  validateTenant,
  type ParsedRoleArn,
} from '../policy/index.js';
import { DEFAULT_SESSION_DURATION_SECONDS, SESSION_DURATION_RULE, MAX_SESSION_DURATION_SECONDS, MIN_SESSION_DURATION_SECONDS } from './session-duration.js';

/**
 * A customer's destination: the delivery role First Resonance assumes (with the external ID)
 * and the bucket and tenant prefix it writes under. `verify`, `deliver` and `cleanup` all
 * take one, and all judge it here.
 */
export interface Destination {
  roleArn: string;
  externalId: string;
  bucket: string;
  region: string;
  /** Tenant (schema) prefix in the bucket: everything is written under `<tenant>/`. */
  tenant: string;
  /** Account that must own the bucket; the role ARN's account when absent. */
  expectedBucketOwner?: string;
}

/** A destination and how to reach it, as a library caller gives it. */
export interface DestinationInput extends Destination {
  /**
   * A second external ID the trust policy also accepts during a rotation (CloudFormation
   * `AdditionalExternalId`, Terraform `additional_external_id`): with `externalId`, the
   * MAX_EXTERNAL_IDS (policy/validate.ts) a trust policy holds.
   */
  additionalExternalId?: string;
  /** External IDs the trust policy must now refuse (the old one after a rotation). */
  retiredExternalIds?: readonly string[];
  /** Send every AWS request here; AWS_ENDPOINT_URL when absent. */
  endpointUrl?: string;
  /** Session length to ask AssumeRole for (default DEFAULT_SESSION_DURATION_SECONDS). */
  sessionDurationSeconds?: number;
}

/** A destination that passed parseDestination: every field checked, the defaults filled in. */
export interface ParsedDestination extends Destination {
  role: ParsedRoleArn;
  /** Every external ID the role must accept: `externalId`, then `additionalExternalId`. */
  externalIds: string[];
  retiredExternalIds: string[];
  /** Given, else the role ARN's account. */
  expectedBucketOwner: string;
  /** Given or AWS_ENDPOINT_URL, checked; undefined for AWS itself. */
  endpointUrl: string | undefined;
  sessionDurationSeconds: number;
}

/**
 * The name a problem gives each field. A library call names its options (`roleArn`); the
 * CLI renames them to its flags (cli/options.ts, FLAG_OF_FIELD); a fleet file names its
 * row and column.
 */
export type DestinationFieldNames = Record<keyof DestinationInput, string>;

/** The option names of DestinationInput, as library errors name them. */
export const DESTINATION_OPTION_NAMES: Readonly<DestinationFieldNames> = {
  roleArn: 'roleArn',
  externalId: 'externalId',
  bucket: 'bucket',
  region: 'region',
  tenant: 'tenant',
  expectedBucketOwner: 'expectedBucketOwner',
  additionalExternalId: 'additionalExternalId',
  retiredExternalIds: 'retiredExternalIds',
  endpointUrl: 'endpointUrl',
  sessionDurationSeconds: 'sessionDurationSeconds',
};

/**
 * Every problem with a destination, each naming the field, the value as given and the rule,
 * all at once (for callers that collect them with problems of their own).
 */
export function findDestinationProblems(input: DestinationInput, names: Partial<DestinationFieldNames> = {}): InputProblem[] {
  const name = { ...DESTINATION_OPTION_NAMES, ...names };
  const role = parseRoleArn(input.roleArn ?? '');
  const problems: (InputProblem | undefined)[] = [
    role ? undefined : { field: name.roleArn, value: input.roleArn ?? '', rule: ROLE_ARN_RULE },
    validateExternalId(input.externalId ?? '', name.externalId),
    validateBucketName(input.bucket ?? '', name.bucket),
    validateRegion(input.region ?? '', name.region),
    role ? validateRegionInPartition(input.region ?? '', role.partition, name.region) : undefined,
    validateTenant(input.tenant ?? '', name.tenant),
    input.expectedBucketOwner === undefined ? undefined : validateAccountId(input.expectedBucketOwner, name.expectedBucketOwner),
  ];
  const additional = input.additionalExternalId;
  if (additional !== undefined) {
    problems.push(validateExternalId(additional, name.additionalExternalId));
    if (additional === input.externalId) {
      problems.push({ field: name.additionalExternalId, value: additional, rule: 'the second external ID must differ from the first' });
    }
  }
  for (const retired of input.retiredExternalIds ?? []) {
    problems.push(validateExternalId(retired, name.retiredExternalIds));
    if (retired === input.externalId || retired === additional) {
      problems.push({ field: name.retiredExternalIds, value: retired, rule: 'a retired external ID cannot also be one the role must accept' });
    }
  }
  const duration = input.sessionDurationSeconds;
  if (duration !== undefined && !(Number.isInteger(duration) && duration >= MIN_SESSION_DURATION_SECONDS && duration <= MAX_SESSION_DURATION_SECONDS)) {
    problems.push({ field: name.sessionDurationSeconds, value: String(duration), rule: SESSION_DURATION_RULE });
  }
  try {
    resolveEndpointUrl(input.endpointUrl);
  } catch (error) {
    if (!isIonDestError(error) || error.code !== 'INVALID_INPUT') throw error;
    problems.push(...error.problems.map((p) => ({ ...p, field: name.endpointUrl })));
  }
  return problems.filter((p): p is InputProblem => p !== undefined);
}

/**
 * Parse a destination before any AWS call: throws one `IonDestError` INVALID_INPUT listing
 * every problem (each naming the option, the value and the rule), else returns it checked,
 * with the bucket owner, endpoint and session length resolved.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (ExternalId, DurationSeconds)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
 */
export function parseDestination(input: DestinationInput, names: Partial<DestinationFieldNames> = {}): ParsedDestination {
  assertNoProblems(findDestinationProblems(input, names));
  const role = parseRoleArn(input.roleArn) as ParsedRoleArn;
  const externalIds = [input.externalId, ...(input.additionalExternalId === undefined ? [] : [input.additionalExternalId])];
  return {
    roleArn: input.roleArn,
    externalId: input.externalId,
    bucket: input.bucket,
    region: input.region,
    tenant: input.tenant,
    role,
    externalIds,
    retiredExternalIds: [...(input.retiredExternalIds ?? [])],
    expectedBucketOwner: input.expectedBucketOwner ?? role.accountId,
    endpointUrl: resolveEndpointUrl(input.endpointUrl),
    sessionDurationSeconds: input.sessionDurationSeconds ?? DEFAULT_SESSION_DURATION_SECONDS,
  };
}
