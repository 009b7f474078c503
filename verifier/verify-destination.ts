import { runChecks, runRevocationChecks } from './run-checks.js';
import type { VerificationReport, VerifyOptions } from './types.js';
import { parseDestination, type ParsedDestination } from '../destination/index.js';

/**
 * Prove a customer destination works: assume the role with the external ID, prove the
 * external ID is required and exact, and rehearse every S3 call the delivery makes,
 * cleaning up whatever it created. Inputs are parsed before any AWS call by
 * `parseDestination` (an IonDestError INVALID_INPUT naming each option); every other
 * failure is a check in the report.
 *
 * With `expectRevoked`, the opposite proof (offboarding): the report passes only when
 * First Resonance can no longer assume the role, or the role can no longer list, write
 * or read the bucket; it writes nothing and carries the time and AWS's request IDs.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
 */
export async function verifyDestination(options: VerifyOptions): Promise<VerificationReport> {
  return verifyParsedDestination(options, parseDestination(options));
}

/** verifyDestination's run, on options parseDestination has already checked (a fleet checks every row first). */
export async function verifyParsedDestination(options: VerifyOptions, parsed: ParsedDestination): Promise<VerificationReport> {
  const { expectedBucketOwner } = parsed;
  const checkedAt = new Date().toISOString();
  const checks = options.expectRevoked ? await runRevocationChecks(options, expectedBucketOwner) : await runChecks(options, expectedBucketOwner);
  return {
    ok: checks.every((c) => c.status !== 'fail'),
    destination: {
      roleArn: options.roleArn,
      bucket: options.bucket,
      region: options.region,
      tenant: options.tenant,
      expectedBucketOwner,
    },
    checks,
    ...(options.expectRevoked ? { expectation: 'revoked' as const, checkedAt } : {}),
  };
}
