import type { CommandModule } from 'yargs';
import { PARTITIONS, REGIONS_BY_PARTITION } from '../../policy/index.js';
import { pickOptions } from '../options.js';

interface RegionsArgs {
  json: boolean;
}

/**
 * `ion-dest regions`: the regions every command accepts for `--region`, by partition
 * (the list in policy/partitions.ts; a region outside it is rejected before any AWS call).
 */
export const regionsCommand: CommandModule<object, RegionsArgs> = {
  command: 'regions',
  describe: 'List the AWS regions --region accepts, by partition',
  builder: (y) => y.options(pickOptions(['json'])).example('$0 regions --json', '') as never,
  handler: (args) => {
    if (args.json) {
      process.stdout.write(`${JSON.stringify(REGIONS_BY_PARTITION)}\n`);
      return;
    }
    const lines = PARTITIONS.map((partition) => `${partition}: ${REGIONS_BY_PARTITION[partition].join(' ')}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
