import type { CommandModule } from 'yargs';
import { buildQuickCreateUrl, DEFAULT_STACK_NAME } from '../../stacks/cloudformation/quick-create-url.js';
import { pickOptions, withFlagNames } from '../options.js';

/** Region of the stack (and so of a bucket it creates) when --region is not given. */
const DEFAULT_REGION = 'us-east-1';

interface LaunchUrlArgs {
  'template-url': string;
  'trusted-account': string;
  'external-id': string[];
  region: string;
  'stack-name': string;
  'bucket-name'?: string;
  'use-existing-bucket': boolean;
  'kms-key-arn'?: string;
  'role-name'?: string;
  'tenant-prefix'?: string;
  'access-log-bucket'?: string;
  'event-bridge': boolean;
  json: boolean;
}

/**
 * `ion-dest launch-url`: print the CloudFormation console quick-create link that
 * a customer's admin opens to create the destination stack, values prefilled.
 */
export const launchUrlCommand: CommandModule<object, LaunchUrlArgs> = {
  command: 'launch-url',
  describe: "Print the one-click CloudFormation link (quick-create URL) for a customer's admin",
  builder: (y) =>
    y
      .options(pickOptions(['trusted-account', 'kms-key-arn', 'role-name', 'json'], ['trusted-account']))
      .option('template-url', {
        type: 'string',
        demandOption: true,
        describe: 'HTTPS S3 URL of the published template (printed by `ion-dest publish-template`)',
      })
      .option('external-id', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'External ID the role requires; give it twice (new, then old) during a rotation',
      })
      .option('region', {
        type: 'string',
        default: DEFAULT_REGION,
        describe: "Region the stack (and a new bucket) is created in; for an existing bucket, that bucket's region",
      })
      .option('stack-name', { type: 'string', default: DEFAULT_STACK_NAME, describe: 'Stack name the console proposes' })
      .option('bucket-name', { type: 'string', describe: 'Prefill BucketName (empty: a generated name)' })
      .option('use-existing-bucket', {
        type: 'boolean',
        default: false,
        describe: 'Prefill UseExistingBucket=true: --bucket-name is an existing bucket; only the role is created',
      })
      .option('tenant-prefix', { type: 'string', describe: 'Prefill TenantPrefix: narrow the role to keys under <prefix>/ (the tenant)' })
      .option('access-log-bucket', { type: 'string', describe: 'Prefill AccessLogBucket (server access logging target)' })
      .option('event-bridge', {
        type: 'boolean',
        default: true,
        describe: 'EventBridge notifications on the new bucket (--no-event-bridge turns them off)',
      })
      .example(
        '$0 launch-url --template-url https://fr-templates.s3.us-east-1.amazonaws.com/ion-destination/0.1.0/ion-destination.cfn.yaml --trusted-account 111122223333 --external-id ion-acme-7f3a9c --region eu-west-1',
        '',
      ) as never,
  handler: (args) => {
    // The library names each option; the problems come back named as flags.
    const url = withFlagNames(() => buildQuickCreateUrl({
      templateUrl: args['template-url'],
      trustedAccountId: args['trusted-account'],
      externalIds: args['external-id'],
      region: args.region,
      stackName: args['stack-name'],
      ...(args['bucket-name'] !== undefined ? { bucketName: args['bucket-name'] } : {}),
      useExistingBucket: args['use-existing-bucket'],
      ...(args['kms-key-arn'] !== undefined ? { kmsKeyArn: args['kms-key-arn'] } : {}),
      ...(args['role-name'] !== undefined ? { roleName: args['role-name'] } : {}),
      ...(args['tenant-prefix'] !== undefined ? { tenantPrefix: args['tenant-prefix'] } : {}),
      ...(args['access-log-bucket'] !== undefined ? { accessLogBucket: args['access-log-bucket'] } : {}),
      eventBridgeNotifications: args['event-bridge'],
    }));
    process.stdout.write(args.json ? `${JSON.stringify({ url, region: args.region, stackName: args['stack-name'] })}\n` : `${url}\n`);
  },
};
