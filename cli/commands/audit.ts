import type { CommandModule } from 'yargs';
import { assertNoProblems } from '../../policy/index.js';
import type { AuditOptions } from '../../verifier/audit-destination.js';
import { EXIT_FAILED, commandOutcome } from '../exit-codes.js';
import { pickOptions, withFlagNames } from '../options.js';

interface AuditArgs {
  'role-name'?: string;
  bucket?: string;
  'trusted-account'?: string;
  'external-id'?: string[];
  region?: string;
  json: boolean;
  'endpoint-url'?: string;
  profile?: string;
  'tenant-prefix'?: string;
}

/** `ion-dest audit`: the customer compares their role and bucket with the contract, with their own credentials. */
export const auditCommand: CommandModule<object, AuditArgs> = {
  command: 'audit',
  describe: "Compare the delivery role and bucket in your account with the setup guide's contract",
  builder: (y) =>
    y
      .options(pickOptions(['role-name', 'bucket', 'trusted-account', 'region', 'json', 'endpoint-url', 'profile']))
      .option('external-id', { type: 'string', array: true, describe: 'External ID the trust policy must require; repeat during a rotation' })
      .option('tenant-prefix', {
        type: 'string',
        describe: 'The tenant prefix the grant is narrowed to (TenantPrefix / tenant_prefix): check the prefix-narrowed policy as exact',
      })
      .example('$0 audit --role-name ion-delivery --bucket acme-ion-snapshots --trusted-account 111122223333 --external-id ion-acme-7f3a9c', '') as never,
  handler: async (args) => {
    assertNoProblems(
      (['role-name', 'bucket', 'trusted-account', 'external-id'] as const).map((flag) =>
        args[flag] === undefined || args[flag] === '' ? { field: `--${flag}`, value: '', rule: `--${flag} is required` } : undefined,
      ),
    );
    const options: AuditOptions = {
      roleName: args['role-name'] as string,
      bucket: args.bucket as string,
      trustedAccountId: args['trusted-account'] as string,
      externalIds: args['external-id'] ?? [],
      ...(args.region !== undefined ? { region: args.region } : {}),
      ...(args['endpoint-url'] !== undefined ? { endpointUrl: args['endpoint-url'] } : {}),
      ...(args.profile !== undefined ? { profile: args.profile } : {}),
      ...(args['tenant-prefix'] !== undefined ? { tenantPrefix: args['tenant-prefix'] } : {}),
    };
    // Loaded here, not at the top: `--help` and the other commands need none of it (nor the AWS SDK it loads).
    const { auditDestination } = await import('../../verifier/audit-destination.js');
    const { renderChecklist, renderJson } = await import('../../verifier/report.js');
    // The library checks every value (naming each option); the problems come back named as flags.
    const report = await withFlagNames(() => auditDestination(options));
    const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
    const heading = `Auditing role ${report.destination.roleArn ?? options.roleName} and bucket ${options.bucket} for account ${options.trustedAccountId}`;
    process.stdout.write(args.json ? renderJson(report) : renderChecklist(heading, report, { colour }));
    if (!report.ok) commandOutcome.exitCode = EXIT_FAILED;
  },
};
