export { buildCloudFormationTemplate, OUTPUT, type CfnTemplate } from './template.js';
export { GENERATED_HEADER, renderCloudFormationTemplate } from './render-yaml.js';
export { CLOUDFORMATION_TEMPLATE_PATH, writeCloudFormationTemplates } from './write.js';
export { PARAMETER, PARAMETERS } from './parameters.js';
export { buildQuickCreateUrl, checkQuickCreateOptions, consoleOrigin, DEFAULT_STACK_NAME, type QuickCreateOptions } from './quick-create-url.js';
export { objectHttpsUrl, publishTemplate, templateKey, type PublishedTemplate, type PublishTemplateOptions } from './publish-template.js';
export { DELIVERY_POLICY_NAME } from './role-resource.js';
