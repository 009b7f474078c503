import { resolveEndpointUrl } from '../aws/endpoint.js';
import type { InputProblem } from '../errors/index.js';
import {
  assertNoProblems,
  ROLE_ARN_RULE,
  parseRoleArn,
  validateAccountId,
  validateBucketName,
  validateExternalId,
  validateRegion,
  validateRegionInPartition,
  validateTenant,
  type ParsedRoleArn,
} from '../policy/index.js';
import { MAX_SESSION_DURATION_SECONDS, MIN_SESSION_DURATION_SECONDS } from './check-assume-role.js';
import type { VerifyOptions } from './types.js';


/** Field names as the CLI spells them, so a message points at the flag to fix. */
export interface FieldNames {
  roleArn: string;
  externalId: string;
  bucket: string;
  region: string;
  tenant: string;
  expectedBucketOwner: string;
  sessionDurationSeconds: string;
  additionalExternalId?: string;
  retiredExternalIds?: string;
}

export const FLAG_NAMES: FieldNames = {
  roleArn: '--role-arn',
  externalId: '--external-id',
  bucket: '--bucket',
  region: '--region',
  tenant: '--tenant',
  expectedBucketOwner: '--expected-bucket-owner',
  sessionDurationSeconds: '--session-duration',
  additionalExternalId: '--external-id (the second)',
  retiredExternalIds: '--retired-external-id',
};

/** Every problem with a destination's fields, each naming field, value and rule. */
export function findDestinationProblems(options: VerifyOptions, names: FieldNames = FLAG_NAMES): InputProblem[] {
  const parsed = parseRoleArn(options.roleArn ?? '');
  const problems: (InputProblem | undefined)[] = [
    parsed ? undefined : { field: names.roleArn, value: options.roleArn ?? '', rule: ROLE_ARN_RULE },
    validateExternalId(options.externalId ?? '', names.externalId),
    validateBucketName(options.bucket ?? '', names.bucket),
    validateRegion(options.region ?? '', names.region),
    parsed ? validateRegionInPartition(options.region ?? '', parsed.partition, names.region) : undefined,
    validateTenant(options.tenant ?? '', names.tenant),
    options.expectedBucketOwner === undefined ? undefined : validateAccountId(options.expectedBucketOwner, names.expectedBucketOwner),
  ];
  const additional = options.additionalExternalId;
  const additionalName = names.additionalExternalId ?? 'additionalExternalId';
  if (additional !== undefined) {
    problems.push(validateExternalId(additional, additionalName));
    if (additional === options.externalId) {
      problems.push({ field: additionalName, value: additional, rule: 'the second external ID must differ from the first' });
    }
  }
  const retiredName = names.retiredExternalIds ?? 'retiredExternalIds';
  for (const retired of options.retiredExternalIds ?? []) {
    problems.push(validateExternalId(retired, retiredName));
    if (retired === options.externalId || retired === additional) {
      problems.push({ field: retiredName, value: retired, rule: 'a retired external ID cannot also be one the role must accept (--external-id)' });
    }
  }
  const duration = options.sessionDurationSeconds;
  if (duration !== undefined && !(Number.isInteger(duration) && duration >= MIN_SESSION_DURATION_SECONDS && duration <= MAX_SESSION_DURATION_SECONDS)) {
    problems.push({
      field: names.sessionDurationSeconds,
      value: String(duration),
      rule: `a session duration is a whole number of seconds from ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS}`,
    });
  }
  return problems.filter((p): p is InputProblem => p !== undefined);
}

/** Validate before any AWS call; throws INVALID_INPUT listing every problem. */
export function validateVerifyOptions(options: VerifyOptions, names: FieldNames = FLAG_NAMES): ParsedRoleArn {
  assertNoProblems(findDestinationProblems(options, names));
  resolveEndpointUrl(options.endpointUrl);
  return parseRoleArn(options.roleArn) as ParsedRoleArn;
}
