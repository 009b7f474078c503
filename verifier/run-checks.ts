import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, createStsClient } from '../aws/clients.js';
import { describeAwsError } from '../aws/aws-errors.js';
import type { ErrorCode } from '../errors/index.js';
import { IonDestError } from '../errors/index.js';
import { assumeDeliveryRole, DEFAULT_SESSION_DURATION_SECONDS, type AssumedSession } from '../destination/index.js';
import { checkAssumeRole, VERIFY_SESSION_PREFIX } from './check-assume-role.js';
import { checkBucket } from './check-bucket.js';
import { checkExternalIdExact, checkExternalIdRequired } from './check-external-id.js';
import { checkLeastPrivilege } from './check-least-privilege.js';
import { checkPrefixOnly } from './check-prefix-only.js';
import { checkList } from './check-list.js';
import { abortUpload, checkMultipart } from './check-multipart.js';
import { checkObjectRoundTrip, deleteAndConfirm } from './check-object-round-trip.js';
import { failFrom, flag, pass, runCheck, skip } from './check-result.js';
import { checkRevoked } from './check-revoked.js';
import type { CreatedResources } from './cleanup.js';
import { CHECK_IDS, PROBE_CHECK_IDS, type CheckId, type CheckResult, type VerifyOptions } from './types.js';

const NO_PROBES_MESSAGE = 'skipped (--no-probes): not proven';

function skipped(id: CheckId, message: string): CheckResult {
  return { id, ...skip(message), durationMs: 0 };
}

function isProbe(id: CheckId): boolean {
  return (PROBE_CHECK_IDS as readonly CheckId[]).includes(id);
}

/**
 * Why an external ID probe's own failure is assume-role's failure again: the call could
 * not be made or answered (no credentials, rejected credentials, no connection,
 * throttling), whatever the trust policy says. Reported once, under `assume-role`.
 */
const CALLER_FAILURES: Partial<Record<ErrorCode, string>> = {
  SOURCE_CREDENTIALS_MISSING: 'skipped: no credentials to call STS, see assume-role',
  SOURCE_CREDENTIALS_INVALID: 'skipped: STS rejected the source credentials, see assume-role',
  SOURCE_CREDENTIALS_EXPIRED: 'skipped: the source credentials have expired, see assume-role',
  ENDPOINT_UNREACHABLE: 'skipped: the STS endpoint could not be reached, see assume-role',
  THROTTLED: 'skipped: STS throttled the requests, see assume-role',
};

/**
 * An external ID probe's result in the light of `assume-role`'s. When assume-role
 * failed for a reason about the caller or the connection and the probe failed for the
 * same one, the probe asked nothing: skipped, with the reason. When the role refused
 * the right external ID too, a refused probe proves nothing (skipped), but an accepted
 * one still shows the trust policy lets in a wrong or missing ID (kept as a failure).
 */
export function judgeProbe(assumed: CheckResult, probe: CheckResult): CheckResult {
  if (assumed.status === 'pass') return probe;
  const callerFailure = assumed.code === undefined ? undefined : CALLER_FAILURES[assumed.code];
  if (callerFailure !== undefined && probe.status === 'fail' && probe.code === assumed.code) {
    return { id: probe.id, ...skip(callerFailure), durationMs: probe.durationMs };
  }
  if (probe.status !== 'pass') return probe;
  const why = assumed.code === 'ASSUME_ROLE_DENIED' ? 'was denied too' : 'failed too, see assume-role';
  return { id: probe.id, ...skip(`not proven: AssumeRole with the right external ID ${why}`), durationMs: probe.durationMs };
}

/**
 * Run every check against one destination and return the results in report order.
 * Independent checks run concurrently; whatever fails, the test object and the test
 * multipart upload are removed before this returns.
 */
export async function runChecks(options: VerifyOptions, expectedBucketOwner: string): Promise<CheckResult[]> {
  const { clientBase, sts } = clientsOf(options);
  const results = new Map<CheckId, CheckResult>();
  const record = (r: CheckResult) => results.set(r.id, r);
  try {
    let session: AssumedSession | undefined;
    const assume = runCheck('assume-role', async () => {
      const outcome = await checkAssumeRole(sts, {
        roleArn: options.roleArn,
        externalId: options.externalId,
        durationSeconds: options.sessionDurationSeconds ?? DEFAULT_SESSION_DURATION_SECONDS,
        sessionName: `${VERIFY_SESSION_PREFIX}-${Date.now()}`,
      });
      session = outcome.session;
      const additional = options.additionalExternalId;
      if (additional === undefined) return outcome.verdict;
      // During a rotation both IDs must be accepted, each on its own AssumeRole.
      try {
        await assumeDeliveryRole(sts, {
          roleArn: options.roleArn,
          externalId: additional,
          durationSeconds: options.sessionDurationSeconds ?? DEFAULT_SESSION_DURATION_SECONDS,
          sessionName: `${VERIFY_SESSION_PREFIX}-second-external-id-${Date.now()}`,
        });
      } catch (error) {
        if (error instanceof IonDestError) return failFrom(error, 'the first external ID was accepted, the second was not: ');
        throw error;
      }
      return pass(`assumed ${options.roleArn} with each of the 2 external IDs (sessions of ${options.sessionDurationSeconds ?? DEFAULT_SESSION_DURATION_SECONDS} s)`);
    });
    const probes = options.noProbes
      ? []
      : [
          runCheck('external-id-required', () => checkExternalIdRequired(sts, options.roleArn)),
          runCheck('external-id-exact', () =>
            checkExternalIdExact(sts, options.roleArn, options.externalId, {
              ...(options.additionalExternalId === undefined ? {} : { additionalExternalId: options.additionalExternalId }),
              ...(options.retiredExternalIds?.length ? { retiredExternalIds: options.retiredExternalIds } : {}),
            }),
          ),
        ];
    const [assumed, ...probed] = await Promise.all([assume, ...probes]);
    record(assumed);
    for (const probe of probed) record(judgeProbe(assumed, probe));
    if (session === undefined) {
      for (const id of CHECK_IDS) if (!results.has(id)) record(skipped(id, 'skipped: the role could not be assumed'));
      return finish(results, options);
    }
    const s3 = createS3Client({ ...clientBase, credentials: session.credentials, expectedBucketOwner });
    try {
      await runBucketChecks(s3, options, results);
    } finally {
      s3.destroy();
    }
    for (const id of CHECK_IDS) if (!results.has(id)) record(skipped(id, 'skipped'));
    return finish(results, options);
  } finally {
    sts.destroy();
  }
}

/** The STS client (source credentials) and the settings every client of one run shares. */
function clientsOf(options: VerifyOptions) {
  const clientBase = {
    region: options.region,
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
  const sts = createStsClient({
    ...clientBase,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  return { clientBase, sts };
}

/**
 * `verify --expect-revoked`: the revocation checks (check-revoked.ts) with every
 * external ID given, current and retired, which must each be refused.
 */
export async function runRevocationChecks(options: VerifyOptions, expectedBucketOwner: string): Promise<CheckResult[]> {
  const { clientBase, sts } = clientsOf(options);
  try {
    const externalIds = [options.externalId, ...(options.additionalExternalId === undefined ? [] : [options.additionalExternalId]), ...(options.retiredExternalIds ?? [])];
    return await checkRevoked(sts, { roleArn: options.roleArn, externalIds, bucket: options.bucket, tenant: options.tenant }, (session) =>
      createS3Client({ ...clientBase, credentials: session.credentials, expectedBucketOwner }),
    );
  } finally {
    sts.destroy();
  }
}

async function runBucketChecks(s3: S3Client, options: VerifyOptions, results: Map<CheckId, CheckResult>): Promise<void> {
  const record = (r: CheckResult) => results.set(r.id, r);
  const { bucket, region, tenant } = options;
  const startedAt = performance.now();
  const bucketOutcome = await checkBucket(s3, bucket, region, tenant);
  const elapsed = Math.round(performance.now() - startedAt);
  record({ id: 'bucket-exists', ...bucketOutcome.exists, durationMs: elapsed });
  record({ id: 'bucket-region', ...bucketOutcome.region, durationMs: elapsed });
  if (!bucketOutcome.usable) {
    const why = bucketOutcome.exists.status === 'fail' ? 'skipped: the bucket is not reachable' : 'skipped: the bucket is in another region';
    for (const id of ['list', 'write', 'read', 'delete', 'multipart', 'encryption', 'versioning', 'least-privilege', 'prefix-only'] as const) {
      record(skipped(id, why));
    }
    return;
  }
  const created: CreatedResources = {};
  try {
    const [list, objectChecks, multipart, leastPrivilege, prefixOnly] = await Promise.all([
      runCheck('list', () => checkList(s3, bucket, tenant)),
      checkObjectRoundTrip(s3, bucket, tenant, created),
      runCheck('multipart', () => checkMultipart(s3, bucket, tenant, created)),
      options.noProbes ? Promise.resolve(undefined) : runCheck('least-privilege', () => checkLeastPrivilege(s3, bucket)),
      options.noProbes || !options.tenantPrefix ? Promise.resolve(undefined) : runCheck('prefix-only', () => checkPrefixOnly(s3, bucket, tenant)),
    ]);
    record(list);
    objectChecks.forEach(record);
    record(multipart);
    if (leastPrivilege) record(leastPrivilege);
    if (prefixOnly) record(prefixOnly);
  } finally {
    const problems = await cleanUp(s3, bucket, created);
    for (const [id, problem] of problems) {
      const current = results.get(id);
      record(
        current && current.status === 'fail'
          ? { ...current, details: [...(current.details ?? []), `cleanup: ${problem}`] }
          : { id, ...flag('fail', 'CLEANUP_FAILED', problem), durationMs: current?.durationMs ?? 0 },
      );
    }
  }
}

/** Remove what is left; return, per check, what could not be removed. */
async function cleanUp(s3: S3Client, bucket: string, created: CreatedResources): Promise<[CheckId, string][]> {
  const problems: [CheckId, string][] = [];
  const multipart = created.multipart;
  if (multipart) {
    try {
      await abortUpload(s3, bucket, multipart.key, multipart.uploadId);
      delete created.multipart;
    } catch (error) {
      problems.push(['multipart', `multipart upload ${multipart.uploadId} on s3://${bucket}/${multipart.key} was not aborted (${reason(error)})`]);
    }
  }
  const key = created.objectKey;
  if (key) {
    try {
      await deleteAndConfirm(s3, bucket, key, created);
    } catch (error) {
      problems.push(['delete', `test object s3://${bucket}/${key} was not deleted (${reason(error)})`]);
    }
  }
  return problems;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : describeAwsError(error).name;
}

function finish(results: Map<CheckId, CheckResult>, options: VerifyOptions): CheckResult[] {
  const ids: readonly CheckId[] = options.tenantPrefix ? [...CHECK_IDS, 'prefix-only'] : CHECK_IDS;
  return ids.map((id) =>
    options.noProbes && isProbe(id) ? skipped(id, NO_PROBES_MESSAGE) : (results.get(id) ?? skipped(id, 'skipped')),
  );
}
