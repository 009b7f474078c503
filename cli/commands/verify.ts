import type { CommandModule } from 'yargs';
import { parseWholeNumber, type AcceptedRange } from '../../delivery/orchestration/parse-size.js';
import { assertNoProblems, EXTERNAL_ID_COUNT_RULE, MAX_EXTERNAL_IDS } from '../../policy/index.js';
import { SESSION_DURATION_RULE } from '../../destination/session-duration.js';
import { DEFAULT_FLEET_CONCURRENCY } from '../../verifier/fleet-defaults.js';
import type { VerificationReport, VerifyOptions } from '../../verifier/types.js';
import { EXIT_FAILED, commandOutcome } from '../exit-codes.js';
import { pickOptions, withFlagNames } from '../options.js';

interface VerifyArgs {
  'role-arn'?: string;
  /** Given twice during a rotation (both IDs must be accepted). */
  'external-id'?: string | string[];
  'retired-external-id'?: string | string[];
  'expect-revoked': boolean;
  'tenant-prefix'?: boolean;
  bucket?: string;
  region?: string;
  tenant?: string;
  json: boolean;
  'endpoint-url'?: string;
  profile?: string;
  'expected-bucket-owner'?: string;
  probes: boolean;
  'session-duration'?: string;
  fleet?: string;
  concurrency: string;
}

const DESTINATION_FLAGS = ['role-arn', 'external-id', 'bucket', 'region', 'tenant', 'expected-bucket-owner'] as const;

/** Colour only when a person is watching: a TTY, and NO_COLOR unset. @see https://no-color.org */
function useColour(): boolean {
  return process.stdout.isTTY === true && !process.env.NO_COLOR;
}

function title(report: VerificationReport): string {
  const d = report.destination;
  if (report.expectation === 'revoked') {
    return `Proving First Resonance can no longer reach s3://${d.bucket}/${d.tenant}/ (${d.region}, owner ${d.expectedBucketOwner}) through ${d.roleArn}, at ${report.checkedAt}`;
  }
  return `Verifying s3://${d.bucket}/${d.tenant}/ (${d.region}, owner ${d.expectedBucketOwner}) through ${d.roleArn}`;
}

/** The flag's syntax only (a whole number); the destination's parser judges the range, with the same rule. */
const SESSION_DURATION_SYNTAX: AcceptedRange = { min: 0, max: Number.MAX_SAFE_INTEGER, rule: SESSION_DURATION_RULE };
const FLEET_CONCURRENCY_RANGE: AcceptedRange = { min: 1, max: 64, rule: 'a concurrency is a whole number from 1 to 64' };

/** `--session-duration` in seconds, checked as typed (`"abc"` is named as such, not as NaN). */
function sessionDuration(args: VerifyArgs): { sessionDurationSeconds?: number } {
  const text = args['session-duration'];
  return text === undefined ? {} : { sessionDurationSeconds: parseWholeNumber(text, '--session-duration', SESSION_DURATION_SYNTAX) };
}

function requireFlags(args: VerifyArgs): void {
  assertNoProblems(
    (['role-arn', 'external-id', 'bucket', 'region', 'tenant'] as const).map((flag) =>
      args[flag] === undefined || args[flag] === '' ? { field: `--${flag}`, value: '', rule: `--${flag} is required (or use --fleet FILE)` } : undefined,
    ),
  );
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
}

/**
 * `--external-id` once, or again during a rotation, at most MAX_EXTERNAL_IDS times
 * (policy/validate.ts: the trust policy the stacks deploy holds that many).
 */
function externalIdsOf(args: VerifyArgs): { externalId: string; additionalExternalId?: string } {
  const ids = asList(args['external-id']);
  assertNoProblems([
    ids.length <= MAX_EXTERNAL_IDS ? undefined : { field: '--external-id', value: ids.join(' '), rule: `${EXTERNAL_ID_COUNT_RULE}; ${ids.length} given` },
  ]);
  return { externalId: ids[0] as string, ...(ids[1] === undefined ? {} : { additionalExternalId: ids[1] }) };
}

// The verifier is loaded in the handlers, not at the top: `--help` and the other commands need
// none of it (nor the AWS SDK it loads).

async function verifyOne(args: VerifyArgs): Promise<void> {
  const { verifyDestination } = await import('../../verifier/verify-destination.js');
  const { renderChecklist, renderJson } = await import('../../verifier/report.js');
  requireFlags(args);
  const options: VerifyOptions = {
    roleArn: args['role-arn'] as string,
    ...externalIdsOf(args),
    ...(asList(args['retired-external-id']).length ? { retiredExternalIds: asList(args['retired-external-id']) } : {}),
    ...(args['expect-revoked'] ? { expectRevoked: true } : {}),
    ...(args['tenant-prefix'] ? { tenantPrefix: true } : {}),
    bucket: args.bucket as string,
    region: args.region as string,
    tenant: args.tenant as string,
    noProbes: !args.probes,
    ...(args['expected-bucket-owner'] !== undefined ? { expectedBucketOwner: args['expected-bucket-owner'] } : {}),
    ...(args['endpoint-url'] !== undefined ? { endpointUrl: args['endpoint-url'] } : {}),
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
    ...sessionDuration(args),
  };
  // The library parses the destination (and names each option); the problems come back named as flags.
  const report = await withFlagNames(() => verifyDestination(options));
  process.stdout.write(args.json ? renderJson(report) : renderChecklist(title(report), report, { colour: useColour() }));
  if (!report.ok) commandOutcome.exitCode = EXIT_FAILED;
}

async function verifyMany(args: VerifyArgs): Promise<void> {
  const { readFleetFile, renderFleetSummary, verifyFleet } = await import('../../verifier/fleet.js');
  const given = DESTINATION_FLAGS.filter((flag) => args[flag] !== undefined);
  assertNoProblems([
    ...given.map((flag) => ({ field: `--${flag}`, value: String(args[flag]), rule: `--${flag} belongs in the fleet file, not beside --fleet` })),
    args['retired-external-id'] !== undefined
      ? { field: '--retired-external-id', value: String(args['retired-external-id']), rule: 'a rotation is proved one destination at a time, not beside --fleet' }
      : undefined,
    args['expect-revoked']
      ? { field: '--expect-revoked', value: 'true', rule: '--expect-revoked proves one destination at a time, not beside --fleet' }
      : undefined,
    args['tenant-prefix']
      ? { field: '--tenant-prefix', value: 'true', rule: 'beside --fleet, each row says it in the fleet file\'s tenant_prefix column (true or false)' }
      : undefined,
  ]);
  const concurrency = parseWholeNumber(args.concurrency, '--concurrency', FLEET_CONCURRENCY_RANGE);
  const destinations = await readFleetFile(args.fleet as string);
  const common = {
    noProbes: !args.probes,
    ...(args['endpoint-url'] !== undefined ? { endpointUrl: args['endpoint-url'] } : {}),
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
    ...sessionDuration(args),
  };
  // verifyFleet parses every destination with the common options (endpoint, duration) before any AWS call.
  const reports = await withFlagNames(() =>
    verifyFleet(destinations, common, concurrency, (report) => {
      if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    }),
  );
  if (!args.json) process.stdout.write(renderFleetSummary(reports));
  if (reports.some((r) => !r.ok)) commandOutcome.exitCode = EXIT_FAILED;
}

/** `ion-dest verify`: First Resonance proves a customer destination works (or a fleet of them). */
export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify',
  describe: 'Prove a customer destination works: assume the role, probe the external ID, rehearse every S3 call',
  builder: (y) =>
    y
      .options(pickOptions(['role-arn', 'external-id', 'bucket', 'region', 'tenant', 'json', 'endpoint-url', 'profile']))
      .option('expected-bucket-owner', { type: 'string', describe: 'Account that must own the bucket (default: the account in --role-arn)' })
      .option('probes', {
        type: 'boolean',
        default: true,
        describe: 'Send the calls the role must refuse (external ID and least-privilege probes); --no-probes skips them',
      })
      .option('retired-external-id', {
        type: 'string',
        describe: 'An external ID the role must now refuse (the old one after a rotation); repeatable',
      })
      .option('tenant-prefix', {
        type: 'boolean',
        describe: "The role's grant is narrowed to the tenant prefix (--tenant; TenantPrefix / tenant_prefix): also prove a write outside it is refused (check prefix-only)",
      })
      .option('expect-revoked', {
        type: 'boolean',
        default: false,
        describe: 'Prove First Resonance can no longer reach the destination (offboarding); writes nothing; exit 1 names what still works',
      })
      .option('session-duration', { type: 'string', describe: 'Role session length to ask for, in seconds (default 3600, as the delivery)' })
      .option('fleet', { type: 'string', describe: 'Verify every destination in this CSV or JSON file instead' })
      .option('concurrency', { type: 'string', default: String(DEFAULT_FLEET_CONCURRENCY), describe: 'Destinations verified at once with --fleet' })
      .example('$0 verify --role-arn arn:aws:iam::444455556666:role/ion-delivery --external-id ion-acme-7f3a9c --bucket acme-ion-snapshots --region us-east-1 --tenant acme', '')
      .example('$0 verify --role-arn arn:aws:iam::444455556666:role/ion-delivery --external-id ion-acme-7f3a9c --external-id ion-acme-NEW --bucket acme-ion-snapshots --region us-east-1 --tenant acme', 'during a rotation: both IDs accepted')
      .example('$0 verify --role-arn arn:aws:iam::444455556666:role/ion-delivery --external-id ion-acme-7f3a9c --bucket acme-ion-snapshots --region us-east-1 --tenant acme --expect-revoked --json', 'after offboarding: the proof')
      .example('$0 verify --fleet destinations.csv --json', '') as never,
  handler: async (args) => {
    await (args.fleet !== undefined ? verifyMany(args) : verifyOne(args));
  },
};
