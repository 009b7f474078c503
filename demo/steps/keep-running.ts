import type { DemoRun } from '../demo-run.js';
import { DOCS_WORLD } from '../docs-world.js';
import { exportLine, writeProfileFiles } from './aws-profiles.js';
import type { DeployedDestination } from './deployed-destination.js';
import type { DemoWorld } from './start-world.js';

/**
 * With `--keep-running` on the emulator: write the AWS config and credentials files with
 * the docs' profiles (`fr-delivery` for First Resonance, `acme-admin` for the customer),
 * print the one `export` line that points a shell at them, and wait for Ctrl-C. The wait
 * is not the run's time.
 */
export async function keepRunning(run: DemoRun, world: DemoWorld, deployed: DeployedDestination): Promise<void> {
  const { options } = run;
  const emulator = world.emulator;
  if (!options.keepRunning || !emulator || !world.endpointUrl) return;
  const endpointUrl = world.endpointUrl;
  await run.steps.run('keep-running', 'Keep the emulator running for exploration (Ctrl-C to stop)', async (step) => {
    const { vendor, customer } = emulator.identities;
    const files = await writeProfileFiles(
      [
        { name: DOCS_WORLD.vendor.profile, credentials: vendor.credentials },
        { name: DOCS_WORLD.customer.profile, credentials: customer.credentials },
      ],
      options.target.region,
      options.cleanup,
    );
    const line = exportLine(endpointUrl, options.target.region, files);
    run.summary.explore = {
      exportLine: line,
      profiles: { vendor: DOCS_WORLD.vendor.profile, customer: DOCS_WORLD.customer.profile },
      configFile: files.configFile,
      credentialsFile: files.credentialsFile,
    };
    step.print(renderExploration(run, world, deployed, line));
    await run.idle(options.waitForStop);
    step.print('Ctrl-C received');
  });
}

/** How to reach the running world: the export line, a command for each side, where the docs are. */
function renderExploration(run: DemoRun, world: DemoWorld, deployed: DeployedDestination, line: string): string {
  const { options, summary } = run;
  const region = options.target.region;
  const vendor = DOCS_WORLD.vendor.profile;
  const customer = DOCS_WORLD.customer.profile;
  return [
    `endpoint ${world.endpointUrl} (region ${region}; S3, IAM, STS and CloudFormation; any AWS CLI or SDK honours AWS_ENDPOINT_URL)`,
    `profiles ${vendor} (First Resonance, ${summary.vendor?.arn ?? '?'}) and ${customer} (the customer, ${summary.customer?.arn ?? '?'})`,
    'are in a config and a credentials file removed at Ctrl-C; in another shell, run this line first:',
    '',
    `  ${line}`,
    '',
    'then, for example:',
    `  AWS_PROFILE=${vendor} npx --no-install ion-dest verify --role-arn ${deployed.roleArn} --external-id ${options.externalId} --bucket ${deployed.bucket} --region ${deployed.bucketRegion} --tenant ${options.tenant}`,
    `  AWS_PROFILE=${customer} npx --no-install ion-dest audit --role-name ${deployed.roleName} --bucket ${deployed.bucket} --trusted-account ${world.trustedAccountId} --external-id ${options.externalId} --region ${deployed.bucketRegion}`,
    'every example in the docs (docs/ and README.md) runs against this world as written.',
    'waiting; press Ctrl-C to stop the emulator',
  ].join('\n');
}
