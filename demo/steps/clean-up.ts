import type { DemoRun } from '../demo-run.js';
import type { DeployedDestination } from './deployed-destination.js';

/** Run the cleanup stack (stop the emulator, remove the temporary files) and say what AWS keeps. */
export async function cleanUp(run: DemoRun, deployed: DeployedDestination): Promise<void> {
  const { options, summary } = run;
  const onEmulator = options.target.kind === 'emulator';
  await run.steps.run('clean-up', onEmulator ? 'Stop the emulator and remove the temporary files' : 'Remove the temporary files', async (step) => {
    summary.cleanup = await options.cleanup.run();
    for (const line of summary.cleanup) step.print(line);
    if (!onEmulator) step.print(`kept in AWS: stack ${deployed.stackName}, bucket ${deployed.bucket} (Retain) and the delivered objects`);
    if (summary.cleanup.some((line) => line.startsWith('FAILED'))) throw new Error(summary.cleanup.join('; '));
  });
}
