import { stringify } from 'yaml';
import { buildCloudFormationTemplate, type CfnTemplate } from './template.js';

/** First line of every generated template; the drift test regenerates and compares. */
export const GENERATED_HEADER = '# GENERATED FROM stacks/cloudformation by `npm run generate`. Do not edit by hand.';

/**
 * Render a template as YAML. YAML 1.1 quoting is used because CloudFormation's and
 * Python's YAML readers (cfn-lint, moto) follow 1.1: an unquoted `2012-10-17` would
 * become a date and `yes`/`on` booleans.
 */
export function renderTemplateYaml(template: CfnTemplate | object): string {
  return `${GENERATED_HEADER}\n${stringify(template, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** The customer's CloudFormation template, as committed in templates/. */
export function renderCloudFormationTemplate(): string {
  return renderTemplateYaml(buildCloudFormationTemplate());
}
