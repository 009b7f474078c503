# A bucket the team already has: the module creates only the delivery role, scoped to
# that bucket, and changes nothing on the bucket. Call it with a provider in the
# bucket's region (with the AWS provider 6.x, bucket_region is the provider's region).

terraform {
  required_version = ">= 1.9.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0.0, < 7.0.0"
    }
  }
  backend "local" {}
}

provider "aws" {
  region = "eu-west-1"
}

module "ion_destination" {
  source = "../../templates/terraform"

  trusted_account_id  = "111122223333"
  external_id         = "ion-acme-7f3a9c"
  bucket_name         = "acme-existing-snapshots"
  use_existing_bucket = true
  role_name           = "ion-snapshot-delivery"
}

output "role_arn" {
  description = "Send to your First Resonance account team."
  value       = module.ion_destination.role_arn
}

output "bucket_region" {
  description = "Send to your First Resonance account team."
  value       = module.ion_destination.bucket_region
}
