/**
 * Regenerate everything under templates/ from the sources (policy/ and stacks/),
 * the troubleshooting table of docs/troubleshooting.md from errors/troubleshooting.ts,
 * and the table of the Terraform module's inputs and outputs in
 * docs/devops-terraform-cdktf.md from stacks/cdktf.
 * Run with `npm run generate`; a test regenerates in memory and fails on any drift.
 */
import { writeCloudFormationTemplates } from '../stacks/cloudformation/write.js';
import { writeModuleDocs } from '../stacks/cdktf/module-docs.js';
import { writeTerraformTemplates } from '../stacks/cdktf/write.js';
import { writeTroubleshootingPage } from './render-troubleshooting.js';

const written = [
  ...(await writeCloudFormationTemplates()),
  ...(await writeTerraformTemplates()),
  ...(await writeTroubleshootingPage()),
  ...(await writeModuleDocs()),
];
for (const file of written) process.stdout.write(`wrote ${file}\n`);
