/**
 * Regenerate everything under templates/ from the sources (policy/ and stacks/).
 * Run with `npm run generate`; a test regenerates in memory and fails on any drift.
 */
import { writeCloudFormationTemplates } from '../stacks/cloudformation/write.js';
import { writeTerraformTemplates } from '../stacks/cdktf/write.js';

const written = [...(await writeCloudFormationTemplates()), ...(await writeTerraformTemplates())];
for (const file of written) process.stdout.write(`wrote ${file}\n`);
