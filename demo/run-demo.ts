import { DemoRun, createWorkDir, type DemoOptions, type DemoOutcome } from './demo-run.js';
import { audit, verify } from './steps/checklists.js';
import { cleanUp } from './steps/clean-up.js';
import { deliver, generateSnapshot, listWhatLanded } from './steps/deliver-sample.js';
import { checkTools, deploy } from './steps/deploy.js';
import { keepRunning } from './steps/keep-running.js';
import { enableEnforcement, startWorld } from './steps/start-world.js';

export { plannedSteps, type DemoOptions, type DemoOutcome, type DemoTarget } from './demo-run.js';

/**
 * The whole job, step by step: deploy the customer's stack as the customer, verify it
 * and deliver a sample snapshot as First Resonance, list what landed and audit as the
 * customer. A failed step ends the run: the outcome then carries it (the caller still
 * runs `options.cleanup`); anything thrown outside a step is a defect and propagates.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const run = new DemoRun(options);
  try {
    const mirror = await checkTools(run);
    const workDir = await createWorkDir(options.cleanup);
    const world = await startWorld(run);
    const deployed = await deploy(run, world, workDir, mirror);
    await enableEnforcement(run, world);
    await verify(run, world, deployed);
    const sample = await generateSnapshot(run, workDir);
    const delivery = await deliver(run, world, deployed, sample);
    await listWhatLanded(run, world, deployed, delivery);
    await audit(run, world, deployed);
    await keepRunning(run, world, deployed);
    await cleanUp(run, deployed);
    return run.succeeded();
  } catch (error) {
    return run.failed(error);
  }
}
