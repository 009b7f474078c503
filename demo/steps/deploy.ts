import { mkdtemp } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { callAs, type DemoRun, type DemoTarget } from '../demo-run.js';
import { deployCloudFormationStack } from './deploy-cloudformation.js';
import type { DeployedDestination } from './deployed-destination.js';
import type { DemoWorld } from './start-world.js';

/** Polling CloudFormation: AWS takes a minute or two to create the stack; moto answers at once. */
const AWS_STACK_POLL_MS = 5_000;
const EMULATOR_STACK_POLL_MS = 250;
/** Wait this long for a stack on AWS before giving up (it goes on in CloudFormation). */
const AWS_STACK_TIMEOUT_MS = 20 * 60_000;
const EMULATOR_STACK_TIMEOUT_MS = 60_000;

/** With `--method cdktf`, check terraform and the provider mirror first; returns the mirror folder. */
export async function checkTools(run: DemoRun): Promise<string | undefined> {
  if (run.options.method !== 'cdktf') return undefined;
  return run.steps.run('check-tools', 'Check the tools cdktf deploy needs offline', async (step) => {
    // The cdktf path alone loads cdktf and the AWS provider bindings (large, slow to load).
    const { checkCdktfTools } = await import('./deploy-cdktf.js');
    const found = checkCdktfTools();
    step.print(`${found.terraformVersion}; hashicorp/aws 5.100.0 in the provider mirror (ION_DEST_PROVIDER_MIRROR)`);
    return found.mirror;
  });
}

/** Deploy the customer's stack as the customer, from the CloudFormation template or with cdktf, and read its outputs. */
export async function deploy(run: DemoRun, world: DemoWorld, workDir: string, mirror: string | undefined): Promise<DeployedDestination> {
  const { options } = run;
  const { target } = options;
  const title =
    options.method === 'cloudformation'
      ? `Deploy the customer's stack from the generated CloudFormation template, as the customer`
      : `Deploy the customer's stack with cdktf deploy, as the customer`;
  const deployed = await run.steps.run('deploy', title, async (step) => {
    step.print(`trusted account ${world.trustedAccountId}, external ID ${options.externalId}, region ${target.region}`);
    const common = {
      region: target.region,
      trustedAccountId: world.trustedAccountId,
      externalId: options.externalId,
      ...(options.roleName ? { roleName: options.roleName } : {}),
      ...(options.bucketName ? { bucketName: options.bucketName } : {}),
      ...callAs(world.endpointUrl, world.customer),
    };
    const result =
      options.method === 'cloudformation'
        ? await deployCloudFormationStack({
            ...common,
            stackName: options.stackName,
            pollIntervalMs: target.kind === 'emulator' ? EMULATOR_STACK_POLL_MS : AWS_STACK_POLL_MS,
            timeoutMs: target.kind === 'emulator' ? EMULATOR_STACK_TIMEOUT_MS : AWS_STACK_TIMEOUT_MS,
            onEvent: (line) => step.print(line),
          })
        : await (await import('./deploy-cdktf.js')).deployCdktfStack({
            ...common,
            workDir: await cdktfWorkDir(target, workDir, (line) => step.print(line)),
            mirror: mirror as string,
            onLine: (line) => {
              const text = stripTerminalCodes(line).replace(/^\S+\s{2,}/, '').trim();
              if (/Creation complete|Apply complete|Error/.test(text)) step.print(text);
            },
          });
    step.print(`outputs: RoleArn ${result.roleArn}`);
    step.print(`         BucketName ${result.bucket}`);
    step.print(`         BucketRegion ${result.bucketRegion}`);
    return result;
  });
  run.summary.deployed = deployed;
  return deployed;
}

/**
 * Where `cdktf deploy` keeps cdktf.json and the Terraform state. On the emulator, in the
 * temporary folder; on AWS, a new folder in the working directory that the demo keeps,
 * so the customer side can manage (or `cdktf destroy`) what it created.
 */
async function cdktfWorkDir(target: DemoTarget, temporary: string, print: (line: string) => void): Promise<string> {
  if (target.kind === 'emulator') return mkdtemp(join(temporary, 'cdktf-'));
  const kept = await mkdtemp(join(process.cwd(), 'ion-dest-demo-cdktf-'));
  print(`cdktf.json and the Terraform state are kept in ${basename(kept)}/ (run cdktf there to change or destroy the stack)`);
  return kept;
}

/** cdktf redraws its progress with ANSI cursor codes even without a terminal; keep only the text. */
function stripTerminalCodes(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}
