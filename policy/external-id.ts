import { randomBytes } from 'node:crypto';
import { assertNoProblems, validateExternalId, validateTenant } from './validate.js';

/**
 * Issuing external IDs. First Resonance issues one per customer destination and stores
 * it with that tenant's destination record; the customer puts it in the role's trust
 * policy (`sts:ExternalId`).
 *
 * An external ID is not a secret (anyone who can read the role sees it), but it must be
 * unique per customer and impossible to guess: it is what stops one customer from
 * having First Resonance assume another customer's role (the confused-deputy problem).
 * So the random part alone carries the entropy; the readable prefix adds none.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
 */

/** 16 bytes from the operating system's CSPRNG: 128 bits, as much as a random AES-128 key. */
export const EXTERNAL_ID_RANDOM_BYTES = 16;
/** Bits of entropy in every issued ID: only the random part counts. */
export const EXTERNAL_ID_ENTROPY_BITS = EXTERNAL_ID_RANDOM_BYTES * 8;
/**
 * Every ID starts with this, then the tenant (if given) and a hyphen, then the random
 * part: so an ID is recognisable as First Resonance's in a trust policy.
 */
export const EXTERNAL_ID_PREFIX = 'ion-';

/** An external ID as issued, with what a record of it needs. */
export interface IssuedExternalId {
  /** `ion-<tenant>-<32 lowercase hex digits>`, or `ion-<32 lowercase hex digits>` without a tenant. */
  externalId: string;
  /** The tenant named in the prefix, or null when none was given. */
  tenant: string | null;
  /** Bits of entropy of the random part (the prefix is not counted). */
  entropyBits: number;
  /** When the ID was issued, ISO 8601 in UTC. */
  createdAt: string;
}

export interface NewExternalIdOptions {
  /** Tenant for the readable prefix; the same rule as a tenant everywhere else (`validateTenant`). */
  tenant?: string;
  /** Name of the tenant field in an error message (the CLI passes `--tenant`). */
  tenantField?: string;
}

/**
 * A fresh external ID: `ion-[<tenant>-]` followed by 128 bits from `crypto.randomBytes`
 * as 32 lowercase hex digits (letters and digits only, so it survives copying, URLs and
 * the CloudFormation console). Every ID matches AWS's `[\w+=,.@:/-]{2,1224}` and is at
 * least 32 characters long. Throws `IonDestError` (`INVALID_INPUT`) for a bad tenant.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (ExternalId: characters and length)
 */
export function newExternalId(options: NewExternalIdOptions = {}): IssuedExternalId {
  const { tenant } = options;
  if (tenant !== undefined) assertNoProblems([validateTenant(tenant, options.tenantField ?? 'tenant')]);
  const random = randomBytes(EXTERNAL_ID_RANDOM_BYTES).toString('hex');
  const externalId = `${EXTERNAL_ID_PREFIX}${tenant === undefined ? '' : `${tenant}-`}${random}`;
  // Cannot fail with a valid tenant (at most 4 + 129 + 32 characters, all allowed); kept
  // so that a change to either rule shows up here rather than at the customer's AssumeRole.
  assertNoProblems([validateExternalId(externalId, 'issued external ID')]);
  return { externalId, tenant: tenant ?? null, entropyBits: EXTERNAL_ID_ENTROPY_BITS, createdAt: new Date().toISOString() };
}
