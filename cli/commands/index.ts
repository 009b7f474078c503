import type { CommandModule } from 'yargs';
import { auditCommand } from './audit.js';
import { cleanupCommand } from './cleanup.js';
import { deliverCommand } from './deliver.js';
import { demoCommand } from './demo.js';
import { externalIdCommand } from './external-id.js';
import { launchUrlCommand } from './launch-url.js';
import { policyCommand } from './policy.js';
import { publishTemplateCommand } from './publish-template.js';
import { regionsCommand } from './regions.js';
import { verifyCommand } from './verify.js';

/**
 * Every `ion-dest` command, one module each under cli/commands/. Add a command by
 * writing its module and listing it here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const COMMANDS: CommandModule<object, any>[] = [policyCommand, launchUrlCommand, publishTemplateCommand, deliverCommand, cleanupCommand, verifyCommand, auditCommand, demoCommand, externalIdCommand, regionsCommand];
