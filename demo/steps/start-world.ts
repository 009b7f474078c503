import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createStsClient } from '../../aws/clients.js';
import { toIonDestError } from '../../aws/aws-errors.js';
import type { Emulator } from '../../emulator/emulator.js';
import type { DemoRun, SideAccess } from '../demo-run.js';
import { DOCS_WORLD } from '../docs-world.js';
import type { DemoSide } from '../summary.js';
import { createDemoIdentities, createVendorBuckets, startDemoEmulator, type DemoIdentities } from './emulator-accounts.js';

/** The two sides the demo acts as, and where they call. */
export interface DemoWorld {
  /** The emulator's endpoint; none on AWS. */
  endpointUrl?: string;
  vendor: SideAccess;
  customer: SideAccess;
  /** The account the customer's trust policy names: First Resonance's. */
  trustedAccountId: string;
  /** The emulator the demo started, and the identities it made there. */
  emulator?: { instance: Emulator; identities: DemoIdentities };
}

/**
 * Make both sides: on the emulator, start it and build the docs' world (First Resonance's
 * identity and buckets, the customer's administrator); on AWS, learn who each profile is.
 */
export function startWorld(run: DemoRun): Promise<DemoWorld> {
  return run.options.target.kind === 'emulator' ? startEmulatorWorld(run) : identifyAccounts(run);
}

async function startEmulatorWorld(run: DemoRun): Promise<DemoWorld> {
  const { steps, options, summary } = run;
  const emulator = await steps.run('start-emulator', 'Start the local AWS emulator (moto with the fidelity layer)', async (step) => {
    const e = await startDemoEmulator();
    options.cleanup.add(`stop the emulator at ${e.url}`, `stopped the emulator at ${e.url}`, () => e.stop());
    step.print(`listening at ${e.url} (S3, IAM, STS and CloudFormation on one port)`);
    return e;
  });
  summary.endpointUrl = emulator.url;
  const identities = await steps.run('create-identities', "Create First Resonance's account and the customer's account", async (step) => {
    const ids = await createDemoIdentities(emulator);
    await createVendorBuckets(emulator);
    step.print(`First Resonance  ${ids.vendor.arn}  (may call sts:AssumeRole on customer roles)`);
    step.print(`                 buckets ${DOCS_WORLD.templatesBucket} and ${DOCS_WORLD.attachmentsBucket} (sample attachments under ${DOCS_WORLD.attachmentsPrefix})`);
    step.print(`customer         ${ids.customer.arn}  (the actions docs/demo.md lists for the customer)`);
    return ids;
  });
  summary.vendor = { accountId: identities.vendor.accountId, arn: identities.vendor.arn };
  summary.customer = { accountId: identities.customer.accountId, arn: identities.customer.arn };
  return {
    endpointUrl: emulator.url,
    vendor: { credentials: identities.vendor.credentials },
    customer: { credentials: identities.customer.credentials },
    trustedAccountId: identities.vendor.accountId,
    emulator: { instance: emulator, identities },
  };
}

async function identifyAccounts(run: DemoRun): Promise<DemoWorld> {
  const target = run.options.target;
  if (target.kind !== 'aws') throw new Error('identifyAccounts runs against AWS only');
  const sides = await run.steps.run('identify-accounts', 'Identify both sides (sts:GetCallerIdentity)', async (step) => {
    const [v, c] = await Promise.all([identify(target.vendorProfile, target.region), identify(target.customerProfile, target.region)]);
    step.print(`First Resonance  ${v.arn}  (profile ${target.vendorProfile})`);
    step.print(`customer         ${c.arn}  (profile ${target.customerProfile})`);
    return { v, c };
  });
  run.summary.vendor = sides.v;
  run.summary.customer = sides.c;
  return {
    vendor: { profile: target.vendorProfile },
    customer: { profile: target.customerProfile },
    trustedAccountId: target.trustedAccountId ?? sides.v.accountId,
  };
}

/** The account and ARN behind a profile (GetCallerIdentity needs no permission). */
async function identify(profile: string, region: string): Promise<DemoSide> {
  const sts = createStsClient({ region, profile });
  try {
    const who = await sts.send(new GetCallerIdentityCommand({})).catch((error: unknown) => {
      throw toIonDestError(error, `GetCallerIdentity with profile ${profile}`, 'source');
    });
    return { accountId: who.Account ?? '?', arn: who.Arn ?? '?' };
  } finally {
    sts.destroy();
  }
}

/** On the emulator, turn IAM enforcement on once everything is created: from then on each side signs with its own keys. */
export async function enableEnforcement(run: DemoRun, world: DemoWorld): Promise<void> {
  const emulator = world.emulator?.instance;
  if (!emulator) return;
  await run.steps.run('enable-enforcement', 'Turn IAM enforcement on (from now on every call is authorized as on AWS)', async (step) => {
    await emulator.enableAuth();
    step.print('each side signs with its own keys; the delivery role is reached only through its trust policy');
  });
}
