# The module's logic, offline, with a mocked AWS provider (Terraform 1.7+):
#   terraform init && terraform test
# Every run is a plan: nothing is created, and the bucket's prevent_destroy never matters.
# The expected documents are the setup guide's, with the values below filled in.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_s3_bucket" {
    defaults = {
      region = "eu-west-1"
    }
  }
}

variables {
  trusted_account_id = "111122223333"
  external_id        = "ion-acme-7f3a9c"
  bucket_name        = "acme-ion-snapshots"
}

run "new_bucket_policies_are_exactly_the_contract" {
  command = plan

  assert {
    condition     = aws_iam_role.delivery.assume_role_policy == "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"ion-acme-7f3a9c\"}}}]}"
    error_message = "The trust policy is not the setup guide's document."
  }
  assert {
    condition     = aws_iam_role_policy.delivery_permissions.policy == "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"SnapshotDeliveryBucketAccess\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\",\"s3:AbortMultipartUpload\",\"s3:ListBucketMultipartUploads\",\"s3:ListMultipartUploadParts\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::acme-ion-snapshots\",\"arn:aws:s3:::acme-ion-snapshots/*\"]}]}"
    error_message = "The permission policy is not the setup guide's document."
  }
  assert {
    condition     = aws_iam_role_policy.delivery_permissions.name == "IonSnapshotDelivery"
    error_message = "The inline policy's name differs from the CloudFormation template's."
  }
  assert {
    condition     = aws_s3_bucket_policy.destination_tls_only[0].policy == "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::acme-ion-snapshots\",\"arn:aws:s3:::acme-ion-snapshots/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"
    error_message = "The bucket policy is not the TLS-only deny."
  }
  assert {
    condition     = aws_s3_bucket.destination[0].bucket == "acme-ion-snapshots" && length(data.aws_s3_bucket.existing) == 0
    error_message = "A new bucket is created under the given name, and no existing bucket is read."
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.destination_encryption[0].rule[*].apply_server_side_encryption_by_default[0].sse_algorithm) == "AES256"
    error_message = "Without a key the bucket is SSE-S3."
  }
  assert {
    condition     = length(aws_s3_bucket_notification.destination_event_bridge) == 1 && length(aws_s3_bucket_logging.destination_access_logs) == 0
    error_message = "EventBridge is on by default; access logging is off without a log bucket."
  }
  assert {
    condition     = output.bucket_name == "acme-ion-snapshots"
    error_message = "The bucket_name output is the new bucket's name."
  }
}

run "rotation_accepts_both_external_ids" {
  command = plan

  variables {
    additional_external_id = "ion-acme-8b4d0e"
  }

  assert {
    condition     = aws_iam_role.delivery.assume_role_policy == "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":[\"ion-acme-7f3a9c\",\"ion-acme-8b4d0e\"]}}}]}"
    error_message = "During a rotation the trust policy differs from the contract only in the list of both IDs."
  }
}

run "sse_kms_adds_the_key_statement_and_a_bucket_key" {
  command = plan

  variables {
    kms_key_arn       = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    access_log_bucket = "acme-access-logs"
  }

  assert {
    condition     = aws_iam_role_policy.delivery_permissions.policy == "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"SnapshotDeliveryBucketAccess\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\",\"s3:AbortMultipartUpload\",\"s3:ListBucketMultipartUploads\",\"s3:ListMultipartUploadParts\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::acme-ion-snapshots\",\"arn:aws:s3:::acme-ion-snapshots/*\"]},{\"Sid\":\"SnapshotDeliveryKmsKeyAccess\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\"Resource\":\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"}]}"
    error_message = "With a key, the permission policy is the contract plus the KMS statement on that key."
  }
  assert {
    condition = one(aws_s3_bucket_server_side_encryption_configuration.destination_encryption[0].rule[*].apply_server_side_encryption_by_default[0]) == {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
    error_message = "With a key the bucket is SSE-KMS with that key."
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.destination_encryption[0].rule[*].bucket_key_enabled) == true
    error_message = "With a key the bucket uses an S3 Bucket Key."
  }
  assert {
    condition     = aws_s3_bucket_logging.destination_access_logs[0].target_bucket == "acme-access-logs" && aws_s3_bucket_logging.destination_access_logs[0].target_prefix == "acme-ion-snapshots/"
    error_message = "Access logs go to the log bucket under the prefix <bucket name>/."
  }
}

run "existing_bucket_gets_only_the_role" {
  command = plan

  variables {
    bucket_name                = "acme-existing-snapshots"
    use_existing_bucket        = true
    event_bridge_notifications = true
    access_log_bucket          = "acme-access-logs"
  }

  assert {
    condition = alltrue([
      length(aws_s3_bucket.destination) == 0,
      length(aws_s3_bucket_versioning.destination_versioning) == 0,
      length(aws_s3_bucket_server_side_encryption_configuration.destination_encryption) == 0,
      length(aws_s3_bucket_public_access_block.destination_public_access_block) == 0,
      length(aws_s3_bucket_ownership_controls.destination_ownership_controls) == 0,
      length(aws_s3_bucket_policy.destination_tls_only) == 0,
      length(aws_s3_bucket_lifecycle_configuration.destination_lifecycle) == 0,
      length(aws_s3_bucket_notification.destination_event_bridge) == 0,
      length(aws_s3_bucket_logging.destination_access_logs) == 0,
    ])
    error_message = "An existing bucket is left unchanged: no bucket resource at all."
  }
  assert {
    condition     = aws_iam_role_policy.delivery_permissions.policy == "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"SnapshotDeliveryBucketAccess\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\",\"s3:AbortMultipartUpload\",\"s3:ListBucketMultipartUploads\",\"s3:ListMultipartUploadParts\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::acme-existing-snapshots\",\"arn:aws:s3:::acme-existing-snapshots/*\"]}]}"
    error_message = "The role is scoped to the existing bucket, exactly as the contract."
  }
  assert {
    condition     = output.bucket_name == "acme-existing-snapshots" && output.bucket_region == "eu-west-1"
    error_message = "The outputs name the existing bucket and the region S3 reports for it."
  }
}

run "tenant_prefix_narrows_the_grant_to_the_prefix" {
  command = plan

  variables {
    tenant_prefix = "acme"
  }

  assert {
    condition     = aws_iam_role_policy.delivery_permissions.policy == "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"SnapshotDeliveryTenantObjects\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\",\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"],\"Resource\":\"arn:aws:s3:::acme-ion-snapshots/acme/*\"},{\"Sid\":\"SnapshotDeliveryTenantListing\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::acme-ion-snapshots\",\"Condition\":{\"StringLike\":{\"s3:prefix\":\"acme/*\"}}},{\"Sid\":\"SnapshotDeliveryBucketUploads\",\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucketMultipartUploads\"],\"Resource\":\"arn:aws:s3:::acme-ion-snapshots\"}]}"
    error_message = "With tenant_prefix, objects are granted under <bucket>/<prefix>/* only and ListBucket only for s3:prefix <prefix>/*."
  }
}

run "tenant_prefix_with_a_key_keeps_the_key_statement" {
  command = plan

  variables {
    tenant_prefix = "acme"
    kms_key_arn   = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = aws_iam_role_policy.delivery_permissions.policy == "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"SnapshotDeliveryTenantObjects\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\",\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"],\"Resource\":\"arn:aws:s3:::acme-ion-snapshots/acme/*\"},{\"Sid\":\"SnapshotDeliveryTenantListing\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::acme-ion-snapshots\",\"Condition\":{\"StringLike\":{\"s3:prefix\":\"acme/*\"}}},{\"Sid\":\"SnapshotDeliveryBucketUploads\",\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucketMultipartUploads\"],\"Resource\":\"arn:aws:s3:::acme-ion-snapshots\"},{\"Sid\":\"SnapshotDeliveryKmsKeyAccess\",\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\"Resource\":\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"}]}"
    error_message = "With tenant_prefix and a key, the narrowed statements are followed by the KMS statement."
  }
}

run "rejects_a_tenant_prefix_with_a_slash" {
  command = plan
  variables {
    tenant_prefix = "acme/prod"
  }
  expect_failures = [var.tenant_prefix]
}

run "rejects_a_tenant_prefix_with_two_dots" {
  command = plan
  variables {
    tenant_prefix = "ac..me"
  }
  expect_failures = [var.tenant_prefix]
}

run "rejects_a_malformed_account_id" {
  command = plan
  variables {
    trusted_account_id = "1234"
  }
  expect_failures = [var.trusted_account_id]
}

run "rejects_an_external_id_with_a_space" {
  command = plan
  variables {
    external_id = "has space"
  }
  expect_failures = [var.external_id]
}

run "rejects_an_additional_external_id_equal_to_the_first" {
  command = plan
  variables {
    additional_external_id = "ion-acme-7f3a9c"
  }
  expect_failures = [var.additional_external_id]
}

run "rejects_a_reserved_bucket_suffix" {
  command = plan
  variables {
    bucket_name = "acme--x-s3"
  }
  expect_failures = [var.bucket_name]
}

run "rejects_an_existing_bucket_without_its_name" {
  command = plan
  variables {
    bucket_name         = ""
    use_existing_bucket = true
  }
  expect_failures = [var.use_existing_bucket]
}

run "rejects_a_kms_alias" {
  command = plan
  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:111122223333:alias/my-key"
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_a_role_path" {
  command = plan
  variables {
    role_name = "path/name"
  }
  expect_failures = [var.role_name]
}

run "rejects_an_ip_address_as_log_bucket" {
  command = plan
  variables {
    access_log_bucket = "10.0.0.1"
  }
  expect_failures = [var.access_log_bucket]
}
