import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { IonDestError } from '../../errors/index.js';
import { IonDestination, type IonDestinationProps } from '../../stacks/cdktf/ion-destination.js';
import { contractDocument } from '../fixtures/contract.js';
import { makeWorkDir, terraform } from './terraform-harness.js';

const ACCOUNT = '111122223333';

/** A team's own stack: its own providers (one aliased to another region), its own backend, two destinations. */
class TeamStack extends TerraformStack {
  readonly staging: IonDestination;
  readonly production: IonDestination;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: 'team.tfstate' });
    new AwsProvider(this, 'aws', { region: 'us-east-1' });
    const eu = new AwsProvider(this, 'aws_eu', { region: 'eu-west-1', alias: 'eu' });
    this.staging = new IonDestination(this, 'staging', {
      trustedAccountId: ACCOUNT,
      externalId: 'ion-acme-staging-7f3a9c',
      bucketName: 'acme-ion-snapshots-staging',
    });
    this.production = new IonDestination(this, 'production', {
      trustedAccountId: ACCOUNT,
      externalId: 'ion-acme-prod-8b4d0e',
      bucketName: 'acme-existing-snapshots',
      useExistingBucket: true,
      roleName: 'ion-snapshot-delivery-production',
      provider: eu,
    });
    for (const [name, destination] of [['staging', this.staging], ['production', this.production]] as const) {
      new TerraformOutput(this, `${name}_role_arn`, { value: destination.roleArn });
      new TerraformOutput(this, `${name}_bucket_region`, { value: destination.bucketRegion });
    }
  }
}

type Synthesized = {
  provider: { aws: { alias?: string; region: string }[] };
  terraform: { backend: { local: { path: string } } };
  locals: Record<string, unknown>;
  data: Record<string, Record<string, { provider?: string }>>;
  resource: Record<string, Record<string, { provider?: string; count?: string; name?: string; assume_role_policy?: string }>>;
  output: Record<string, { value: string }>;
};

function synthTeamStack(): Synthesized {
  const app = new App({ stackTraces: false });
  const stack = new TeamStack(app, 'team');
  stack.runAllValidations();
  return stack.toTerraform() as Synthesized;
}

const work = makeWorkDir('construct');
afterAll(() => work.remove());

describe('IonDestination inside a team\'s own cdktf stack', () => {
  const synthesized = synthTeamStack();
  const resources = Object.values(synthesized.resource).flatMap((byName) => Object.entries(byName));

  it('keeps the team\'s providers and backend, and adds none of its own', () => {
    expect(synthesized.provider.aws).toEqual([{ region: 'us-east-1' }, { alias: 'eu', region: 'eu-west-1' }]);
    expect(synthesized.terraform.backend).toEqual({ local: { path: 'team.tfstate' } });
  });

  it('two instances: every resource twice, under distinct names, the aliased one on aws.eu only', () => {
    for (const [type, byName] of Object.entries(synthesized.resource)) {
      expect(Object.keys(byName), type).toHaveLength(2);
    }
    const onEu = resources.filter(([, r]) => r.provider === 'aws.eu').map(([name]) => name);
    const onDefault = resources.filter(([, r]) => r.provider === undefined).map(([name]) => name);
    expect(onEu.every((name) => name.startsWith('production_'))).toBe(true);
    expect(onDefault.every((name) => name.startsWith('staging_'))).toBe(true);
    expect(onEu).toHaveLength(resources.length / 2);
    expect(Object.values(synthesized.data.aws_partition!).map((d) => d.provider ?? 'default').sort()).toEqual(['aws.eu', 'default']);
  });

  it('its attributes are references the team can output', () => {
    expect(synthesized.output.staging_role_arn!.value).toMatch(/^\$\{aws_iam_role\.staging_delivery_[0-9A-F]+\.arn\}$/);
    expect(synthesized.output.production_bucket_region!.value).toMatch(/data\.aws_s3_bucket\.production_existing_[0-9A-F]+/);
  });

  it('plain values go into the trust policy as written: the contract with the partition filled in', () => {
    const role = resources.find(([name, r]) => name.startsWith('staging_delivery_') && r.assume_role_policy)![1];
    const trustLocal = /^\$\{local\.(\w+)\}$/.exec(role.assume_role_policy!)![1]!;
    const chosen = /: local\.(\w+)\}$/.exec(String(synthesized.locals[trustLocal]))![1]!;
    const template = String(synthesized.locals[chosen]);
    const inputsLocal = Object.keys(synthesized.locals).find((name) => name.startsWith('staging_inputs_'))!;
    const filled = template
      .replaceAll(/\$\{data\.aws_partition\.\w+\.partition\}/g, 'aws')
      .replaceAll(`\${local.${inputsLocal}.trusted_account_id}`, ACCOUNT)
      .replaceAll(`\${local.${inputsLocal}.external_id}`, 'ion-acme-staging-7f3a9c');
    expect(JSON.parse(filled)).toEqual(contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: 'ion-acme-staging-7f3a9c' }));
  });

  it('`terraform validate` accepts the synthesized stack with no warning', async () => {
    writeFileSync(join(work.dir, 'main.tf.json'), JSON.stringify(synthesized));
    await terraform(['init', '-input=false', '-backend=false'], work.dir);
    const output = await terraform(['validate'], work.dir);
    expect(output).toContain('Success! The configuration is valid.');
    expect(output).not.toContain('Warning');
  });

  it.each<[string, Partial<IonDestinationProps>, string]>([
    ['a malformed account ID', { trustedAccountId: '1234' }, 'Invalid trustedAccountId "1234": an AWS account ID is exactly 12 digits.'],
    ['a KMS alias', { kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:alias/k' }, 'Invalid kmsKeyArn "arn:aws:kms:us-east-1:111122223333:alias/k"'],
    ['an existing bucket without its name', { useExistingBucket: true }, 'Invalid useExistingBucket "true"'],
    ['the same ID twice', { additionalExternalId: 'ion-acme-7f3a9c' }, 'Invalid additionalExternalId "ion-acme-7f3a9c": additionalExternalId differs from externalId'],
  ])('rejects %s before synthesizing, naming the prop, the value and the rule', (_, bad, message) => {
    const app = new App({ stackTraces: false });
    const stack = new TerraformStack(app, 'bad');
    const build = () => new IonDestination(stack, 'd', { trustedAccountId: ACCOUNT, externalId: 'ion-acme-7f3a9c', ...bad });
    expect(build).toThrow(IonDestError);
    expect(build).toThrow(message);
  });
});
