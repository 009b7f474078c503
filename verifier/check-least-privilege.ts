import { GetBucketAclCommand, GetBucketPolicyCommand, ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeAwsError, isAccessDenied } from '../aws/aws-errors.js';
import { flag, pass, type Verdict } from './check-result.js';

/**
 * Read-only calls outside the contract. Each must be denied; none changes anything
 * if it is allowed. GetBucketPolicy answers NoSuchBucketPolicy only after authorizing,
 * so that answer also means "allowed".
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
 */
export const LEAST_PRIVILEGE_PROBES = [
  { call: 'GetBucketPolicy', action: 's3:GetBucketPolicy', send: (s3: S3Client, bucket: string) => s3.send(new GetBucketPolicyCommand({ Bucket: bucket })) },
  { call: 'GetBucketAcl', action: 's3:GetBucketAcl', send: (s3: S3Client, bucket: string) => s3.send(new GetBucketAclCommand({ Bucket: bucket })) },
  { call: 'ListBuckets', action: 's3:ListAllMyBuckets', send: (s3: S3Client) => s3.send(new ListBucketsCommand({})) },
] as const;

/** Answers that prove the call was authorized although it found nothing. */
const AUTHORIZED_ERROR_CODES = new Set(['NoSuchBucketPolicy']);

/** `least-privilege`: the role must not be allowed the probes; one that succeeds is a warning. */
export async function checkLeastPrivilege(s3: S3Client, bucket: string): Promise<Verdict> {
  const outcomes = await Promise.all(
    LEAST_PRIVILEGE_PROBES.map(async (probe) => {
      try {
        const response = await probe.send(s3, bucket);
        return { probe, allowed: true, requestId: response.$metadata.requestId, other: undefined };
      } catch (error) {
        const facts = describeAwsError(error);
        if (AUTHORIZED_ERROR_CODES.has(facts.name)) return { probe, allowed: true, requestId: facts.requestId, other: undefined };
        if (isAccessDenied(facts)) return { probe, allowed: false, requestId: facts.requestId, other: undefined };
        return { probe, allowed: false, requestId: facts.requestId, other: `${facts.name}: ${facts.message}` };
      }
    }),
  );
  const allowed = outcomes.filter((o) => o.allowed);
  const inconclusive = outcomes.filter((o) => o.other !== undefined);
  if (allowed.length > 0) {
    return flag(
      'warn',
      'ROLE_WIDER_THAN_CONTRACT',
      `the role may call ${allowed.map((o) => `${o.probe.call} (${o.probe.action})`).join(', ')}, which the contract does not grant`,
      { requestId: allowed[0]?.requestId },
    );
  }
  if (inconclusive.length > 0) {
    return flag('warn', 'AWS_REQUEST_FAILED', `could not tell: ${inconclusive.map((o) => `${o.probe.call} ${o.other}`).join('; ')}`, {
      requestId: inconclusive[0]?.requestId,
    });
  }
  return pass(`denied as expected: ${LEAST_PRIVILEGE_PROBES.map((p) => p.call).join(', ')}`);
}
