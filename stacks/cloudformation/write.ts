import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCloudFormationTemplate } from './render-yaml.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the generated template is committed, relative to the repository root. */
export const CLOUDFORMATION_TEMPLATE_PATH = 'templates/ion-destination.cfn.yaml';

/** Write the generated CloudFormation template(s) into templates/ and return the repo-relative paths written. */
export async function writeCloudFormationTemplates(root = REPO_ROOT): Promise<string[]> {
  const file = join(root, CLOUDFORMATION_TEMPLATE_PATH);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderCloudFormationTemplate());
  return [relative(root, file).split('\\').join('/')];
}
