/**
 * The cdktf app: `cdktf synth` / `cdktf deploy` run this (cdktf.json's `app`).
 * Inputs come from stacks/cdktf/config.ts's sources and are checked before anything
 * is synthesized; a bad value stops here with the field, the value and the rule.
 */
import { App } from 'cdktf';
import { reportError } from '../../errors/report-error.js';
import { readDeployConfig } from './config.js';
import { DestinationStack, STACK_NAME, deployStatePath } from './destination-stack.js';
import { VARIABLE_SPECS } from './variables.js';

function main(): number {
  const app = new App();
  const context: Record<string, unknown> = {};
  for (const name of Object.keys(VARIABLE_SPECS)) {
    const value: unknown = app.node.tryGetContext(name);
    if (value !== undefined) context[name] = value;
  }
  try {
    const config = readDeployConfig({ context });
    new DestinationStack(app, STACK_NAME, {
      inputs: config.inputs,
      endpointUrl: config.endpointUrl,
      statePath: deployStatePath(app.outdir),
    });
  } catch (error) {
    return reportError(error, { debug: process.argv.includes('--debug'), json: false });
  }
  app.synth();
  return 0;
}

process.exitCode = main();
