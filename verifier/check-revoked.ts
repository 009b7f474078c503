import { createHash, randomBytes } from 'node:crypto';
import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import { describeAwsError, isAccessDenied, mapCommonAwsError, toIonDestError } from '../aws/aws-errors.js';
import { IonDestError } from '../errors/index.js';
import { assumeDeliveryRole, MIN_SESSION_DURATION_SECONDS, type AssumedSession } from '../destination/index.js';
import { VERIFY_SESSION_PREFIX } from './check-assume-role.js';
import { failFrom, flag, pass, skip, toResult, type Verdict } from './check-result.js';
import type { CheckId, CheckResult } from './types.js';

/** The checks of `verify --expect-revoked`, in report order: each passes when the access is refused. */
export const REVOCATION_CHECK_IDS = ['assume-role', 'list', 'write', 'read'] as const satisfies readonly CheckId[];
export type RevocationCheckId = (typeof REVOCATION_CHECK_IDS)[number];

/** What one bucket probe found: refused (the answer wanted), or still allowed, with the request ID either way. */
interface ProbeFinding {
  id: Exclude<RevocationCheckId, 'assume-role'>;
  refused: boolean;
  verdict: Verdict;
}

/** A key under the tenant prefix that does not exist: the probes name it, none creates it. */
export function revocationProbeKey(tenant: string): string {
  return `${tenant}/.ion-dest-revocation-probe-${randomBytes(8).toString('hex')}`;
}

/** The body the write probe sends, and a SHA-256 that is deliberately not its own. */
export const WRITE_PROBE_BODY = 'ion-dest revocation probe: this body is sent with a wrong checksum and is never stored';
export const WRITE_PROBE_WRONG_SHA256 = createHash('sha256').update('not the body').digest('base64');

/**
 * `list`: ListObjectsV2 under the tenant prefix (`s3:ListBucket`) must be refused.
 * A bucket that no longer exists (NoSuchBucket) counts as refused.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
async function probeList(s3: S3Client, bucket: string, tenant: string): Promise<ProbeFinding> {
  const where = `s3://${bucket}/${tenant}/`;
  try {
    const response = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${tenant}/`, MaxKeys: 1 }));
    return {
      id: 'list',
      refused: false,
      verdict: flag('fail', 'ACCESS_NOT_REVOKED', `ListObjectsV2 on ${where} still succeeds: the role may list the bucket (s3:ListBucket)`, {
        requestId: response.$metadata.requestId,
      }),
    };
  } catch (error) {
    return refusedOrThrow('list', error, `ListObjectsV2 on ${where}`);
  }
}

/**
 * `read`: HeadObject of a key that does not exist must be refused. S3 answers 404 for
 * a missing key only to a caller allowed both `s3:GetObject` and `s3:ListBucket`, and
 * 403 otherwise; so a 404 means the role may still read, and a 403 means it may not
 * read or may not list. When `list` is refused too, a 403 here cannot tell whether
 * `s3:GetObject` alone remains (no existing key is read to find out: nothing is
 * downloaded); the message says so.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html (Permissions)
 */
async function probeRead(s3: S3Client, bucket: string, key: string): Promise<ProbeFinding> {
  const where = `s3://${bucket}/${key}`;
  try {
    const response = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      id: 'read',
      refused: false,
      verdict: flag('fail', 'ACCESS_NOT_REVOKED', `HeadObject on ${where} still succeeds: the role may read objects (s3:GetObject)`, {
        requestId: response.$metadata.requestId,
      }),
    };
  } catch (error) {
    const facts = describeAwsError(error);
    if (facts.httpStatus === 404 && facts.name !== 'NoSuchBucket') {
      return {
        id: 'read',
        refused: false,
        verdict: flag(
          'fail',
          'ACCESS_NOT_REVOKED',
          `HeadObject on ${where} (a key that does not exist) answered 404 Not Found, not 403: the role may still read objects (s3:GetObject with s3:ListBucket)`,
          { requestId: facts.requestId },
        ),
      };
    }
    return refusedOrThrow('read', error, `HeadObject on ${where}`);
  }
}

/**
 * `write`: a PutObject that S3 must refuse without storing anything either way. The
 * request carries an `x-amz-checksum-sha256` that is not the body's. S3 decides
 * authorization on the request's headers, before it reads the body (which is why a
 * request sent with `Expect: 100-continue` is refused before its body is sent), and
 * checks a checksum against the body it received, refusing a mismatch with 400
 * `BadDigest` and storing nothing. So 403 AccessDenied means the role may not write;
 * 400 BadDigest means it was authorized and still may write; neither stores an object.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (Expect; x-amz-checksum-sha256)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
async function probeWrite(s3: S3Client, bucket: string, key: string): Promise<ProbeFinding> {
  const where = `s3://${bucket}/${key}`;
  try {
    const response = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: WRITE_PROBE_BODY, ChecksumSHA256: WRITE_PROBE_WRONG_SHA256 }),
    );
    // An endpoint that ignored the wrong checksum stored the probe: say so, and remove it.
    let removed = 'and it could not be removed';
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(response.VersionId ? { VersionId: response.VersionId } : {}) }));
      removed = 'and it was removed';
    } catch {
      // reported in the message below
    }
    return {
      id: 'write',
      refused: false,
      verdict: flag('fail', 'ACCESS_NOT_REVOKED', `PutObject on ${where} still succeeds (the endpoint stored a body with a wrong checksum, ${removed}): the role may write (s3:PutObject)`, {
        requestId: response.$metadata.requestId,
      }),
    };
  } catch (error) {
    const facts = describeAwsError(error);
    if (facts.name === 'BadDigest') {
      return {
        id: 'write',
        refused: false,
        verdict: flag(
          'fail',
          'ACCESS_NOT_REVOKED',
          `PutObject on ${where} was authorized (S3 refused only the deliberately wrong checksum, with 400 BadDigest, and stored nothing): the role may still write (s3:PutObject)`,
          { requestId: facts.requestId },
        ),
      };
    }
    return refusedOrThrow('write', error, `PutObject on ${where}`);
  }
}

/** A refusal (403 AccessDenied, or a bucket that is gone) is the probe's pass; any other answer proves nothing. */
function refusedOrThrow(id: ProbeFinding['id'], error: unknown, call: string): ProbeFinding {
  const facts = describeAwsError(error);
  if (facts.name === 'NoSuchBucket') {
    return { id, refused: true, verdict: { ...pass(`${call} answered NoSuchBucket: the bucket no longer exists`), ...withRequestId(facts.requestId) } };
  }
  // An expired session or throttling answers 403/429 too: that is no refusal of the role.
  if (isAccessDenied(facts) && mapCommonAwsError(facts, 'session') === undefined) {
    return { id, refused: true, verdict: { ...pass(`${call} was refused (HTTP ${facts.httpStatus ?? 403} ${facts.name})`), ...withRequestId(facts.requestId) } };
  }
  throw toIonDestError(error, call, 'session');
}

function withRequestId(requestId: string | undefined): { requestId?: string } {
  return requestId ? { requestId } : {};
}

/** AssumeRole with one of First Resonance's external IDs: refused (with the refusal's request ID), or the session. */
async function tryAssume(
  sts: STSClient,
  roleArn: string,
  externalId: string,
  which: string,
): Promise<{ refused: true; requestId: string | undefined } | { refused: false; session: AssumedSession }> {
  try {
    const session = await assumeDeliveryRole(sts, {
      roleArn,
      externalId,
      durationSeconds: MIN_SESSION_DURATION_SECONDS,
      sessionName: `${VERIFY_SESSION_PREFIX}-revoked-${which}`,
    });
    return { refused: false, session };
  } catch (error) {
    if (error instanceof IonDestError && error.code === 'ASSUME_ROLE_DENIED') return { refused: true, requestId: error.requestId };
    throw error;
  }
}

export interface RevocationRequest {
  roleArn: string;
  /** Every external ID First Resonance holds or held for this destination; each must be refused. */
  externalIds: readonly string[];
  bucket: string;
  tenant: string;
}

/**
 * `verify --expect-revoked`: prove First Resonance can no longer reach the destination,
 * writing nothing. Passes when AssumeRole with each external ID is refused, or when the
 * role can still be assumed but lists, writes and reads nothing (then `assume-role` is a
 * warning). Every refusal carries the request ID AWS returned, the proof for the customer.
 * `s3ForSession` builds the S3 client for an assumed session (ExpectedBucketOwner set).
 */
export async function checkRevoked(
  sts: STSClient,
  request: RevocationRequest,
  s3ForSession: (session: AssumedSession) => S3Client,
): Promise<CheckResult[]> {
  const startedAt = performance.now();
  const { roleArn, bucket, tenant } = request;
  const ordinal = (i: number) => (request.externalIds.length === 1 ? 'the external ID' : `external ID ${i + 1}`);
  let session: AssumedSession | undefined;
  const refusals: string[] = [];
  let requestId: string | undefined;
  try {
    for (const [i, externalId] of request.externalIds.entries()) {
      const answer = await tryAssume(sts, roleArn, externalId, String(i + 1));
      if (answer.refused) {
        refusals.push(`AssumeRole with ${ordinal(i)} was refused${answer.requestId ? ` (request ID ${answer.requestId})` : ''}`);
        requestId ??= answer.requestId;
      } else {
        session ??= answer.session;
      }
    }
  } catch (error) {
    const verdict = error instanceof IonDestError ? failFrom(error, 'could not tell whether the role can be assumed: ') : flag('fail', 'AWS_REQUEST_FAILED', String(error));
    return [toResult('assume-role', verdict, startedAt), ...bucketSkips('skipped: AssumeRole got no answer')];
  }
  if (session === undefined) {
    const verdict = {
      ...pass(`AssumeRole on ${roleArn} with ${request.externalIds.length === 1 ? 'the external ID' : `each of the ${request.externalIds.length} external IDs`} was refused: First Resonance cannot reach the destination`, refusals),
      ...withRequestId(requestId),
    };
    return [toResult('assume-role', verdict, startedAt), ...bucketSkips('not needed: the role cannot be assumed')];
  }
  const assumedAt = performance.now();
  const s3 = s3ForSession(session);
  try {
    const key = revocationProbeKey(tenant);
    const timed = async (probe: () => Promise<ProbeFinding>, id: ProbeFinding['id']): Promise<[ProbeFinding, CheckResult]> => {
      const t0 = performance.now();
      try {
        const finding = await probe();
        return [finding, toResult(id, finding.verdict, t0)];
      } catch (error) {
        const verdict = error instanceof IonDestError ? failFrom(error, 'could not tell: ') : flag('fail', 'AWS_REQUEST_FAILED', String(error));
        return [{ id, refused: false, verdict }, toResult(id, verdict, t0)];
      }
    };
    const found = await Promise.all([
      timed(() => probeList(s3, bucket, tenant), 'list'),
      timed(() => probeWrite(s3, bucket, key), 'write'),
      timed(() => probeRead(s3, bucket, key), 'read'),
    ]);
    const stillWorking = found.filter(([f]) => !f.refused).map(([f]) => f.id);
    const assumedVerdict =
      stillWorking.length === 0
        ? flag(
            'warn',
            'ROLE_STILL_ASSUMABLE',
            `the role can be assumed but has no access to the bucket: ${roleArn} still admits First Resonance with the external ID, and list, write and read on s3://${bucket}/${tenant}/ were each refused`,
            { requestId: session.requestId, details: refusals },
          )
        : flag(
            'fail',
            'ACCESS_NOT_REVOKED',
            `First Resonance can still assume ${roleArn} and ${stillWorking.join(', ')} on s3://${bucket}/${tenant}/`,
            { requestId: session.requestId, details: refusals },
          );
    return [
      { ...toResult('assume-role', assumedVerdict, startedAt), durationMs: Math.round(assumedAt - startedAt) },
      ...found.map(([, result]) => result),
    ];
  } finally {
    s3.destroy();
  }
}

function bucketSkips(message: string): CheckResult[] {
  return (['list', 'write', 'read'] as const).map((id) => ({ id, ...skip(message), durationMs: 0 }));
}
