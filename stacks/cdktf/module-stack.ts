import { TerraformStack, type TerraformElement } from 'cdktf';
import { Node, type Construct } from 'constructs';
import { destinationPropsFromVariables, defineOutputs } from './destination-stack.js';
import { CONSTRUCT_INPUTS, IonDestination } from './ion-destination.js';
import { declareVariables } from './variables.js';

/** The Terraform version the module needs: `validation` blocks that read another variable came in 1.9. */
export const MODULE_REQUIRED_TERRAFORM_VERSION = '>= 1.9.0';

/**
 * The AWS provider versions the module admits. Tested: 5.100.0, the only version the
 * offline test mirror holds. Admitted: every 5.x and 6.x. Every resource and argument
 * the module uses exists throughout 5.x, and the 6.0 upgrade guide changes none of them
 * except the meaning of `region` on `aws_s3_bucket` and the `aws_s3_bucket` data source
 * (Enhanced Region Support: the region the provider manages the resource in, where 5.x
 * reports the bucket's own region). For a created bucket both are the bucket's region;
 * for an existing bucket with 6.x, the `bucket_region` output is the caller's provider
 * region, so the module is called with a provider in the bucket's region (as the
 * CloudFormation stack is launched there). 7.0 is not admitted until it is reviewed.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/version-6-upgrade
 */
export const AWS_PROVIDER_CONSTRAINT = '>= 5.0.0, < 7.0.0';
/** The provider version the tests run. */
export const AWS_PROVIDER_TESTED_VERSION = '5.100.0';

/**
 * The Terraform module (templates/terraform): the inputs as variables, one
 * {@link IonDestination}, the outputs, and the version constraints. No `provider` and no
 * `backend`: the caller's configuration holds them, so the module works with
 * `for_each`, `count`, `depends_on` and `providers = { aws = aws.<alias> }`.
 * Every element keeps its construct ID as its Terraform name (`aws_s3_bucket.destination`).
 *
 * @see https://developer.hashicorp.com/terraform/language/modules/develop/providers
 */
export class DestinationModule extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.addOverride('terraform.required_version', MODULE_REQUIRED_TERRAFORM_VERSION);
    this.addOverride('terraform.required_providers', {
      aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_CONSTRAINT },
    });
    const variables = declareVariables(this, {}, CONSTRUCT_INPUTS);
    const destination = new IonDestination(this, 'ion_destination', destinationPropsFromVariables(variables));
    defineOutputs(this, destination);
  }

  /** A module's names are its API and its state addresses: each element is named by its construct ID. */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    return element instanceof Node ? element.id : element.node.id;
  }
}
