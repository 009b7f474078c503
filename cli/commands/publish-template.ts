import type { CommandModule } from 'yargs';
import { pickOptions } from '../options.js';

interface PublishTemplateArgs {
  bucket: string;
  prefix?: string;
  region?: string;
  'bucket-owner'?: string;
  'endpoint-url'?: string;
  profile?: string;
  json: boolean;
}

/**
 * `ion-dest publish-template`: upload the generated CloudFormation template under a
 * versioned key and print its HTTPS URL, for `launch-url`.
 */
export const publishTemplateCommand: CommandModule<object, PublishTemplateArgs> = {
  command: 'publish-template',
  describe: 'Upload the CloudFormation template to S3 under <prefix>/ion-destination/<version>/ and print its URL',
  builder: (y) =>
    y
      .options(pickOptions(['bucket', 'endpoint-url', 'profile', 'json'], ['bucket']))
      .option('prefix', { type: 'string', describe: 'Key prefix in front of ion-destination/<version>/' })
      .option('region', { type: 'string', describe: "The bucket's region (default: asked of S3 through the environment's region, AWS_REGION or the profile's)" })
      .option('bucket-owner', {
        type: 'string',
        describe: "12-digit account that must own the bucket (default: the caller's own account)",
      })
      .example('$0 publish-template --bucket fr-cfn-templates --prefix customer-setup', '') as never,
  handler: async (args) => {
    // Loaded here, not at the top: `--help` and the other commands need none of it (nor the AWS SDK it loads).
    const { publishTemplate } = await import('../../stacks/cloudformation/publish-template.js');
    const published = await publishTemplate({
      bucket: args.bucket,
      ...(args.prefix !== undefined ? { prefix: args.prefix } : {}),
      ...(args.region !== undefined ? { region: args.region } : {}),
      ...(args['bucket-owner'] !== undefined ? { bucketOwner: args['bucket-owner'] } : {}),
      ...(args['endpoint-url'] !== undefined ? { endpointUrl: args['endpoint-url'] } : {}),
      ...(args.profile !== undefined ? { profile: args.profile } : {}),
    });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(published)}\n`);
      return;
    }
    const state = published.created ? 'published' : 'already published (identical)';
    process.stderr.write(`${state}: s3://${published.bucket}/${published.key} (${published.region})\n`);
    process.stdout.write(`${published.url}\n`);
  },
};
