import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUTPUT_DESCRIPTIONS } from './destination-stack.js';
import { CONSTRUCT_INPUTS } from './ion-destination.js';
import { AWS_PROVIDER_CONSTRAINT, AWS_PROVIDER_TESTED_VERSION, MODULE_REQUIRED_TERRAFORM_VERSION } from './module-stack.js';
import { VARIABLE_SPECS } from './variables.js';

/**
 * The table of the Terraform module's inputs and outputs in docs/devops-terraform-cdktf.md,
 * generated from the same variable definitions as the module (stacks/cdktf/variables.ts).
 * A test fails when the page's copy differs; `npm run generate` rewrites it.
 */
export const MODULE_DOCS_START = '<!-- terraform-module:start -->';
export const MODULE_DOCS_END = '<!-- terraform-module:end -->';

/** The docs page that holds the table. */
export const MODULE_DOCS_PAGE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'devops-terraform-cdktf.md');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** The markdown between the markers, markers excluded. */
export function renderModuleDocs(): string {
  const inputs = CONSTRUCT_INPUTS.map((name) => {
    const spec = VARIABLE_SPECS[name];
    const fallback = spec.default === undefined ? '(required)' : `\`${JSON.stringify(spec.default)}\``;
    return `| \`${name}\` | \`${spec.type}\` | ${fallback} | ${cell(spec.description)} |`;
  });
  const outputs = Object.entries(OUTPUT_DESCRIPTIONS).map(([name, description]) => `| \`${name}\` | ${cell(description)} |`);
  return [
    '<!-- GENERATED FROM stacks/cdktf (variables.ts, module-stack.ts) by `npm run generate`. Do not edit by hand. -->',
    '',
    `Terraform \`${MODULE_REQUIRED_TERRAFORM_VERSION}\`; AWS provider \`${AWS_PROVIDER_CONSTRAINT}\` (tested with ${AWS_PROVIDER_TESTED_VERSION}).`,
    '',
    '| input | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...inputs,
    '',
    '| output | meaning |',
    '| --- | --- |',
    ...outputs,
  ].join('\n');
}

/** The page's text with the generated table between the markers. Throws when the markers are missing. */
export function replaceModuleDocs(page: string, table = renderModuleDocs()): string {
  const start = page.indexOf(MODULE_DOCS_START);
  const end = page.indexOf(MODULE_DOCS_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`docs/devops-terraform-cdktf.md lacks the markers ${MODULE_DOCS_START} ... ${MODULE_DOCS_END}`);
  }
  return `${page.slice(0, start + MODULE_DOCS_START.length)}\n${table}\n${page.slice(end)}`;
}

/** Rewrite the page's module table in place; returns the path when it changed. */
export async function writeModuleDocs(path = MODULE_DOCS_PAGE): Promise<string[]> {
  const before = await readFile(path, 'utf8');
  const after = replaceModuleDocs(before);
  if (after === before) return [];
  await writeFile(path, after);
  return [relative(process.cwd(), path)];
}
