import { join, relative, resolve } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { LocalBackend, TerraformOutput, TerraformStack, type TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { GENERATED_BUCKET_PREFIX, GENERATED_ROLE_PREFIX } from '../../policy/index.js';
import { expression, variableReference as v } from './hcl.js';
import { IonDestination } from './ion-destination.js';
import { VARIABLE, declareVariables, type DestinationInputs, type VariableName } from './variables.js';

export { GENERATED_BUCKET_PREFIX, GENERATED_ROLE_PREFIX };
export { LOCAL } from './ion-destination.js';

/** The stack's name: `cdktf deploy` and cdktf.out/stacks/ use it. */
export const STACK_NAME = 'ion-dest-destination';

/** The Terraform version the synthesized configuration needs: validations that compare two variables came in 1.9. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.9.0';


/** The committed Terraform's state file, relative to the directory `terraform` runs in. */
export const DEFAULT_STATE_PATH = 'terraform.tfstate';

/**
 * The stack's outputs: what the customer sends back (Step 3 of the setup guide). Their
 * construct IDs are their Terraform names, so `cdktf deploy` and `cdktf output` show them as is.
 */
export const OUTPUT = { roleArn: 'role_arn', bucketName: 'bucket_name', bucketRegion: 'bucket_region' } as const;
export type OutputName = (typeof OUTPUT)[keyof typeof OUTPUT];

/** Each output's description, in the Terraform and in the docs' table. */
export const OUTPUT_DESCRIPTIONS: Record<OutputName, string> = {
  [OUTPUT.roleArn]: 'ARN of the delivery role: send it to your First Resonance account team.',
  [OUTPUT.bucketName]: 'The destination bucket: send its name to your First Resonance account team.',
  [OUTPUT.bucketRegion]: "The destination bucket's region: send it to your First Resonance account team.",
};

/**
 * The state file `cdktf deploy` uses. cdktf runs Terraform in `<outdir>/stacks/<stack>/`,
 * which `cdktf synth` rewrites, so the state lives beside cdktf.json instead, named as
 * cdktf names it; the backend holds the path relative to the stack's directory, never a
 * machine's absolute path.
 */
export function deployStatePath(outdir: string, cwd: string = process.cwd()): string {
  const stackDir = resolve(cwd, outdir, 'stacks', STACK_NAME);
  return relative(stackDir, join(cwd, `terraform.${STACK_NAME}.tfstate`));
}

export interface DestinationStackOptions {
  /** Values that become the variables' defaults: how `cdktf deploy` takes its configuration. */
  inputs?: DestinationInputs;
  /**
   * Send every provider call to this endpoint (a local emulator) with path-style S3
   * and no account or metadata lookups. Never set for the committed Terraform.
   */
  endpointUrl?: string;
  /** The local backend's state file, relative to the Terraform working directory. */
  statePath?: string;
}

/** The three outputs, with their descriptions (Step 3 of the setup guide), from an {@link IonDestination}. */
export function defineOutputs(scope: Construct, destination: IonDestination): void {
  const outputs: [string, string][] = [
    [OUTPUT.roleArn, destination.roleArn],
    [OUTPUT.bucketName, destination.bucketName],
    [OUTPUT.bucketRegion, destination.bucketRegion],
  ];
  for (const [name, value] of outputs) {
    const description = OUTPUT_DESCRIPTIONS[name as OutputName];
    // The construct ID is the Terraform name: `cdktf deploy` and `cdktf output` show it as is.
    new TerraformOutput(scope, name, { value, description }).overrideLogicalId(name);
  }
}

/** The construct's props as references to the stack's (or module's) variables. */
export function destinationPropsFromVariables(variables: Record<Exclude<VariableName, 'region'>, TerraformVariable>) {
  return {
    trustedAccountId: variables[VARIABLE.trustedAccountId].stringValue,
    externalId: variables[VARIABLE.externalId].stringValue,
    additionalExternalId: variables[VARIABLE.additionalExternalId].stringValue,
    bucketName: variables[VARIABLE.bucketName].stringValue,
    useExistingBucket: expression(v(VARIABLE.useExistingBucket)) as unknown as boolean,
    kmsKeyArn: variables[VARIABLE.kmsKeyArn].stringValue,
    accessLogBucket: variables[VARIABLE.accessLogBucket].stringValue,
    eventBridgeNotifications: expression(v(VARIABLE.eventBridgeNotifications)) as unknown as boolean,
    roleName: variables[VARIABLE.roleName].stringValue,
    tenantPrefix: variables[VARIABLE.tenantPrefix].stringValue,
  };
}

/**
 * The shipped cdktf stack (`cdktf deploy`): its own AWS provider and local backend,
 * the inputs as Terraform variables, one {@link IonDestination}, and the outputs the
 * customer sends back. The same resources and settings as the CloudFormation template.
 */
export class DestinationStack extends TerraformStack {
  constructor(scope: Construct, id: string = STACK_NAME, options: DestinationStackOptions = {}) {
    super(scope, id);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    new LocalBackend(this, { path: options.statePath ?? DEFAULT_STATE_PATH });

    const variables = declareVariables(this, options.inputs);
    new AwsProvider(this, 'aws', {
      region: expression(`${v(VARIABLE.region)} != "" ? ${v(VARIABLE.region)} : null`),
      ...(options.endpointUrl ? emulatorProviderSettings(options.endpointUrl) : {}),
    });
    const destination = new IonDestination(this, 'ion_destination', destinationPropsFromVariables(variables));
    defineOutputs(this, destination);
  }
}

/**
 * Provider settings for a local AWS emulator: its endpoint for S3, IAM and STS,
 * path-style S3 (no per-bucket host names), and no calls to the real AWS to check
 * credentials, find the account or read instance metadata.
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/guides/custom-service-endpoints
 */
function emulatorProviderSettings(endpointUrl: string) {
  return {
    endpoints: [{ s3: endpointUrl, iam: endpointUrl, sts: endpointUrl }],
    s3UsePathStyle: true,
    skipCredentialsValidation: true,
    skipMetadataApiCheck: 'true',
    skipRequestingAccountId: true,
  };
}
