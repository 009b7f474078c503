/**
 * Regenerate everything under templates/ from the sources (policy/ and stacks/),
 * the README's troubleshooting table from errors/troubleshooting.ts, and its
 * table of the Terraform module's inputs and outputs from stacks/cdktf.
 * Run with `npm run generate`; a test regenerates in memory and fails on any drift.
 */
import { writeCloudFormationTemplates } from '../stacks/cloudformation/write.js';
import { writeModuleDocs } from '../stacks/cdktf/module-docs.js';
import { writeTerraformTemplates } from '../stacks/cdktf/write.js';
import { writeTroubleshootingReadme } from './render-troubleshooting.js';

const written = [
  ...(await writeCloudFormationTemplates()),
  ...(await writeTerraformTemplates()),
  ...(await writeTroubleshootingReadme()),
  ...(await writeModuleDocs()),
];
for (const file of written) process.stdout.write(`wrote ${file}\n`);
