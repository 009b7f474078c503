import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { DestinationInput } from '../destination/index.js';
import type { ErrorCode } from '../errors/index.js';

/**
 * Every check `verify` runs, in report order.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export const CHECK_IDS = [
  'assume-role',
  'external-id-required',
  'external-id-exact',
  'bucket-exists',
  'bucket-region',
  'list',
  'write',
  'read',
  'delete',
  'multipart',
  'encryption',
  'versioning',
  'least-privilege',
] as const;
/**
 * Checks a report holds only when asked: `prefix-only` with `tenantPrefix` (a role narrowed
 * to the tenant's prefix must be refused a write outside it).
 */
export const OPTIONAL_CHECK_IDS = ['prefix-only'] as const;
export type CheckId = (typeof CHECK_IDS)[number] | (typeof OPTIONAL_CHECK_IDS)[number];

/** Checks that send a request the customer's role must refuse (they show up in CloudTrail). */
export const PROBE_CHECK_IDS = ['external-id-required', 'external-id-exact', 'least-privilege', 'prefix-only'] as const satisfies readonly CheckId[];

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One line of a report. `code`, `cause` and `fix` come with every fail and warn. */
export interface CheckResult<Id extends string = CheckId> {
  id: Id;
  status: CheckStatus;
  code?: ErrorCode;
  message: string;
  cause?: string;
  fix?: string;
  /** AWS request ID of the call that decided a fail or warn, for the customer's CloudTrail. */
  requestId?: string;
  /** Facts behind the verdict, one per line (an audit's policy differences). */
  details?: string[];
  durationMs: number;
}

export type { Destination } from '../destination/index.js';

/** verify's options: the destination (parsed by destination/parse-destination.ts) and how to prove it. */
export interface VerifyOptions extends DestinationInput {
  /** Named profile for the source credentials; the standard chain when absent. */
  profile?: string;
  /** Source credentials; the standard chain (or `profile`) when absent. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Skip the calls that must be denied (external ID probes, least-privilege probes). */
  noProbes?: boolean;
  /** Retries per call (aws/clients.ts default when absent). */
  maxAttempts?: number;
  /**
   * Prove First Resonance can no longer reach the destination instead (offboarding):
   * the report holds `assume-role`, `list`, `write` and `read`, each passing when the
   * access is refused, with the request ID of the refusal; nothing is written.
   * `--expect-revoked`.
   */
  expectRevoked?: boolean;
  /**
   * The role's grant is narrowed to the tenant's prefix (CloudFormation `TenantPrefix`,
   * Terraform `tenant_prefix`): the tenant is the prefix of the delivered layout
   * `<bucket>/<tenant>/<job>/…`. Adds the `prefix-only` check: a write outside `<tenant>/`
   * must be refused. `--tenant-prefix`.
   */
  tenantPrefix?: boolean;
}

/** The destination as reported: everything but the external ID, which stays out of logs. */
export interface ReportedDestination {
  roleArn: string;
  bucket: string;
  region: string;
  tenant: string;
  expectedBucketOwner: string;
}

export interface VerificationReport {
  /** True when no check failed (warnings and skips allowed). */
  ok: boolean;
  destination: ReportedDestination;
  checks: CheckResult[];
  /** With `expectRevoked`: `revoked`, and when the checks ran (ISO 8601), for the customer's records. */
  expectation?: 'revoked';
  checkedAt?: string;
}
