import type { CommandModule } from 'yargs';
import { policyCommand } from './policy.js';

/**
 * Every `ion-dest` command, one module each under cli/commands/. Add a command by
 * writing its module and listing it here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const COMMANDS: CommandModule<object, any>[] = [policyCommand];
