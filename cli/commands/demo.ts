import { randomBytes } from 'node:crypto';
import type { CommandModule } from 'yargs';
import type { DOCS_WORLD } from '../../demo/docs-world.js';
import type { DemoOptions, DemoTarget } from '../../demo/run-demo.js';
import type { DemoSummary } from '../../demo/summary.js';
import { IonDestError } from '../../errors/index.js';
import {
  assertNoProblems,
  validateExternalId,
  validateJobId,
  validateRegion,
  validateStackName,
  validateTenant,
  validateTrustedAccountId,
} from '../../policy/index.js';
import { EXIT_FAILED, EXIT_INTERRUPTED, commandOutcome } from '../exit-codes.js';
import { pickOptions } from '../options.js';
import { reportError } from '../../errors/report-error.js';

interface DemoArgs {
  method: 'cloudformation' | 'cdktf';
  'keep-running': boolean;
  'vendor-profile'?: string;
  'customer-profile'?: string;
  region?: string;
  'trusted-account'?: string;
  'stack-name'?: string;
  'external-id'?: string;
  tenant?: string;
  'job-id'?: string;
  json: boolean;
  debug: boolean;
}

/** The stack name's start on AWS, where a timestamp is added so that a second run does not collide with the first stack. */
const DEMO_STACK_NAME = 'ion-dest-demo';

/** `20261123T183012Z`: a job ID and stack-name suffix from the current time. */
function compactTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Check every flag before anything starts; bad or conflicting flags exit 2 with field, value and rule. */
function demoOptionsFrom(args: DemoArgs, now: Date, world: typeof DOCS_WORLD): Omit<DemoOptions, 'waitForStop' | 'write' | 'progressBars' | 'cleanup'> {
  const vendorProfile = args['vendor-profile'];
  const customerProfile = args['customer-profile'];
  const real = vendorProfile !== undefined || customerProfile !== undefined;
  const missing = (flag: string) => ({ field: flag, value: '', rule: `against real AWS, --vendor-profile, --customer-profile and --region are all required (${flag} is missing)` });
  assertNoProblems([
    real && !vendorProfile ? missing('--vendor-profile') : undefined,
    real && !customerProfile ? missing('--customer-profile') : undefined,
    real && !args.region ? missing('--region') : undefined,
    args.region === undefined ? undefined : validateRegion(args.region, '--region'),
    !real && args['trusted-account'] !== undefined
      ? { field: '--trusted-account', value: args['trusted-account'], rule: '--trusted-account goes with --vendor-profile and --customer-profile (on the emulator the vendor account is made up)' }
      : undefined,
    args['trusted-account'] === undefined ? undefined : validateTrustedAccountId(args['trusted-account'], '--trusted-account'),
    real && args['keep-running'] ? { field: '--keep-running', value: 'true', rule: '--keep-running keeps the local emulator up; it does not apply against real AWS' } : undefined,
    args['stack-name'] === undefined ? undefined : validateStackName(args['stack-name'], '--stack-name'),
    args['external-id'] === undefined ? undefined : validateExternalId(args['external-id'], '--external-id'),
    args.tenant === undefined ? undefined : validateTenant(args.tenant, '--tenant'),
    args['job-id'] === undefined ? undefined : validateJobId(args['job-id'], '--job-id'),
  ]);
  const stamp = compactTimestamp(now);
  const target: DemoTarget = real
    ? {
        kind: 'aws',
        vendorProfile: vendorProfile as string,
        customerProfile: customerProfile as string,
        region: args.region as string,
        ...(args['trusted-account'] ? { trustedAccountId: args['trusted-account'] } : {}),
      }
    : { kind: 'emulator', region: args.region ?? world.region };
  // The emulator builds the docs' world under its fixed names; AWS gets a fresh stack
  // name, generated role and bucket names, and an external ID nobody can guess.
  return {
    target,
    method: args.method,
    stackName: args['stack-name'] ?? (real ? `${DEMO_STACK_NAME}-${stamp}` : world.stackName),
    externalId: args['external-id'] ?? (real ? `ion-demo-${randomBytes(6).toString('hex')}` : world.externalId),
    ...(real ? {} : { roleName: world.roleName, bucketName: world.bucket }),
    tenant: args.tenant ?? world.tenant,
    jobId: args['job-id'] ?? `demo-${stamp}`,
    keepRunning: args['keep-running'],
  };
}

/**
 * `ion-dest demo`: the whole job end to end, on the local emulator by default (no AWS
 * account needed) or in two real accounts given by profiles.
 */
export const demoCommand: CommandModule<object, DemoArgs> = {
  command: 'demo',
  describe:
    "Run the whole job end to end: deploy the customer's stack, verify, deliver a sample snapshot, list it, audit. On a local AWS emulator unless profiles are given",
  builder: (y) =>
    y
      .option('method', { type: 'string', choices: ['cloudformation', 'cdktf'], default: 'cloudformation', describe: "How the customer's stack is deployed" })
      .option('keep-running', {
        type: 'boolean',
        default: false,
        describe: 'Leave the emulator up afterwards, with profiles fr-delivery and acme-admin in temporary AWS config files, and print the export line that uses them; Ctrl-C stops it',
      })
      .option('vendor-profile', { type: 'string', describe: "Real AWS: the profile of First Resonance's side (verify, deliver)" })
      .option('customer-profile', { type: 'string', describe: "Real AWS: the profile of the customer's side (deploy, list, audit)" })
      .options(pickOptions(['region', 'trusted-account', 'json']))
      .option('stack-name', { type: 'string', describe: `Stack name (default ${DEMO_STACK_NAME}; on AWS with a timestamp suffix)` })
      .option('external-id', { type: 'string', describe: "External ID for the trust policy (default on the emulator: the docs' ion-acme-7f3a9c; on AWS: a random ion-demo-… value)" })
      .option('tenant', { type: 'string', describe: 'Tenant prefix the sample snapshot is delivered under (default acme)' })
      .option('job-id', { type: 'string', describe: 'Job ID of the sample snapshot (default demo-<UTC time>)' })
      .example('$0 demo', 'Everything on the local emulator')
      .example('$0 demo --keep-running', "Then run the docs' examples against it with the printed export line; Ctrl-C stops it")
      .example('$0 demo --method cdktf', "Deploy the customer's stack with cdktf deploy instead")
      .example('$0 demo --vendor-profile fr-delivery --customer-profile acme-admin --region eu-west-1', 'Against real AWS') as never,
  handler: async (args) => {
    // Loaded here, not at the top: `--help` and the other commands need none of it (nor the AWS SDK it loads).
    const { DOCS_WORLD } = await import('../../demo/docs-world.js');
    const { CleanupStack } = await import('../../demo/cleanup-stack.js');
    const { runDemo } = await import('../../demo/run-demo.js');
    const { renderSummary } = await import('../../demo/summary.js');
    const options = demoOptionsFrom(args, new Date(), DOCS_WORLD);
    const out = (text: string) => (args.json ? process.stderr : process.stdout).write(text);
    const cleanup = new CleanupStack();
    let requestStop: () => void = () => {};
    const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
    let waitingForStop = false;
    let interrupted = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (waitingForStop) {
        requestStop();
        return;
      }
      if (interrupted) return;
      interrupted = true;
      out(`\ninterrupted by ${signal}: cleaning up\n`);
      void cleanup.run().then((lines) => {
        for (const line of lines) out(`  ${line}\n`);
        reportError(new IonDestError('DEMO_INTERRUPTED', `demo stopped by ${signal} before it finished`, { source: 'user' }), { debug: args.debug, json: args.json });
        process.exit(EXIT_INTERRUPTED);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    const override = process.env.AWS_ENDPOINT_URL ? ` through ${process.env.AWS_ENDPOINT_URL}` : '';
    const where = options.target.kind === 'emulator' ? 'on a local AWS emulator, no AWS account needed' : `in AWS (${options.target.region})${override}`;
    out(`ion-dest demo: the whole delivery job, end to end, ${where}\n\n`);
    const print = (summary: DemoSummary) => {
      out('\n');
      process.stdout.write(args.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
    };
    try {
      const { summary, failure } = await runDemo({
        ...options,
        waitForStop: () => {
          waitingForStop = true;
          return stopRequested;
        },
        write: out,
        progressBars: Boolean(process.stderr.isTTY) && !args.json,
        cleanup,
      });
      if (failure) {
        summary.cleanup = await cleanup.run();
        print(summary);
        if (!args.json) process.stderr.write(`\nerror: ${failure.message}\n`);
        commandOutcome.exitCode = Math.max(EXIT_FAILED, reportError(failure.cause, { debug: args.debug, json: args.json }));
        return;
      }
      print(summary);
    } finally {
      await cleanup.run();
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  },
};
