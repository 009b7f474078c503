import type { CommandModule } from 'yargs';
import { newExternalId } from '../../policy/index.js';
import { pickOptions } from '../options.js';

interface ExternalIdArgs {
  action: 'new';
  tenant?: string;
  json: boolean;
}

/**
 * `ion-dest external-id new`: issue a fresh external ID for a customer destination.
 * Prints it and nothing else (no file, no log): First Resonance stores it with the
 * tenant's destination record.
 */
export const externalIdCommand: CommandModule<object, ExternalIdArgs> = {
  command: 'external-id <action>',
  describe: 'Issue a fresh, unguessable external ID (128 random bits) for a customer destination',
  builder: (y) =>
    y
      .positional('action', { choices: ['new'] as const, demandOption: true, describe: 'new: print a fresh external ID' })
      .options(pickOptions(['json']))
      .option('tenant', {
        type: 'string',
        describe: 'Tenant named in the ID (ion-<tenant>-<random>), for readability only: it adds no secrecy',
      })
      .example('$0 external-id new --tenant acme', 'prints the ID alone on one line: ID=$(ion-dest external-id new --tenant acme)')
      .example('$0 external-id new --tenant acme --json', '{ externalId, tenant, entropyBits, createdAt }') as never,
  handler: (args) => {
    // The tenant is checked before anything is generated; a bad one exits 2 naming --tenant.
    const issued = newExternalId({ ...(args.tenant !== undefined ? { tenant: args.tenant } : {}), tenantField: '--tenant' });
    process.stdout.write(args.json ? `${JSON.stringify(issued)}\n` : `${issued.externalId}\n`);
  },
};
