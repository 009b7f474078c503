import { runChecks } from './run-checks.js';
import type { VerificationReport, VerifyOptions } from './types.js';
import { validateVerifyOptions } from './validate-options.js';

/**
 * Prove a customer destination works: assume the role with the external ID, prove the
 * external ID is required and exact, and rehearse every S3 call the delivery makes,
 * cleaning up whatever it created. Inputs are validated before any AWS call (an
 * IonDestError INVALID_INPUT); every other failure is a check in the report.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
 */
export async function verifyDestination(options: VerifyOptions): Promise<VerificationReport> {
  const parsed = validateVerifyOptions(options);
  const expectedBucketOwner = options.expectedBucketOwner ?? parsed.accountId;
  const checks = await runChecks(options, expectedBucketOwner);
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
  };
}
