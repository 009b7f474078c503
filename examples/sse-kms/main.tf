# A new bucket encrypted with a customer-managed KMS key (SSE-KMS with an S3 Bucket
# Key). The role is granted kms:GenerateDataKey and kms:Decrypt on that key; the key's
# default policy lets the account's IAM policies grant its use.

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

resource "aws_kms_key" "snapshots" {
  description         = "Encrypts delivered ION snapshots"
  enable_key_rotation = true
}

module "ion_destination" {
  source = "../../templates/terraform"

  trusted_account_id = "111122223333"
  external_id        = "ion-acme-7f3a9c"
  bucket_name        = "acme-ion-snapshots-kms"
  kms_key_arn        = aws_kms_key.snapshots.arn
}

output "role_arn" {
  description = "Send to your First Resonance account team."
  value       = module.ion_destination.role_arn
}

output "bucket_name" {
  description = "Send to your First Resonance account team."
  value       = module.ion_destination.bucket_name
}
