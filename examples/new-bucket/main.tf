# A root configuration that calls the ION destination module once: a new bucket and
# the delivery role. It is also the plain-Terraform path for a team without its own
# configuration:
#   terraform init
#   terraform apply -var trusted_account_id=111122223333 -var external_id=ion-acme-7f3a9c [-var region=eu-west-1]
# The module checks every input (its variables' validation blocks) before any AWS call.

terraform {
  required_version = ">= 1.9.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0.0, < 7.0.0"
    }
  }
  # The state stays beside this file; use your team's own backend instead.
  backend "local" {}
}

provider "aws" {
  region = var.region
}

variable "region" {
  type        = string
  description = "AWS region of the new bucket. null: the AWS environment's region (AWS_REGION, the profile)."
  default     = null
}

variable "trusted_account_id" {
  type        = string
  description = "First Resonance's 12-digit AWS account ID, as given by your account team."
}

variable "external_id" {
  type        = string
  description = "The external ID First Resonance gave you."
}

variable "bucket_name" {
  type        = string
  description = "Name of the new bucket. Empty: a generated name starting with ion-snapshots-."
  default     = ""
}

variable "access_log_bucket" {
  type        = string
  description = "Optional bucket that receives the new bucket's server access logs. Empty: none."
  default     = ""
}

module "ion_destination" {
  source = "../../templates/terraform"

  trusted_account_id = var.trusted_account_id
  external_id        = var.external_id
  bucket_name        = var.bucket_name
  access_log_bucket  = var.access_log_bucket
}

output "role_arn" {
  description = "Send to your First Resonance account team."
  value       = module.ion_destination.role_arn
}

output "bucket_name" {
  description = "Send to your First Resonance account team."
  value       = module.ion_destination.bucket_name
}

output "bucket_region" {
  description = "Send to your First Resonance account team."
  value       = module.ion_destination.bucket_region
}
