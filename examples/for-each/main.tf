# Two destinations (one per environment) from one module call with for_each, in
# another region through an aliased provider passed to the module.

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
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu"
  region = "eu-west-1"
}

variable "trusted_account_id" {
  type        = string
  description = "First Resonance's 12-digit AWS account ID, as given by your account team."
  default     = "111122223333"
}

variable "destinations" {
  type = map(object({
    external_id = string
    bucket_name = string
  }))
  description = "One destination per environment: the external ID First Resonance gave for it, and its new bucket's name."
  default = {
    staging    = { external_id = "ion-acme-staging-7f3a9c", bucket_name = "acme-ion-snapshots-staging" }
    production = { external_id = "ion-acme-prod-8b4d0e", bucket_name = "acme-ion-snapshots-production" }
  }
}

module "ion_destination" {
  source   = "../../templates/terraform"
  for_each = var.destinations
  providers = {
    aws = aws.eu
  }

  trusted_account_id = var.trusted_account_id
  external_id        = each.value.external_id
  bucket_name        = each.value.bucket_name
  role_name          = "ion-snapshot-delivery-${each.key}"
}

output "destinations" {
  description = "Per environment: what to send to your First Resonance account team."
  value = {
    for name, destination in module.ion_destination : name => {
      role_arn      = destination.role_arn
      bucket_name   = destination.bucket_name
      bucket_region = destination.bucket_region
    }
  }
}
