import {
  ALL_OBJECTS_ARN_SUFFIX,
  bucketArn as bucketArnOf,
  bucketObjectsArn as bucketObjectsArnOf,
  buildTlsOnlyBucketPolicy,
  DESTINATION_BUCKET_SETTINGS as SETTINGS,
} from '../../policy/index.js';
import { CONDITION } from './conditions.js';
import { getAtt, ifCondition, join, onlyIf, PARTITION_PSEUDO, ref, sub, type CfnIntrinsic } from './intrinsics.js';
import { PARAMETER } from './parameters.js';
import { RESOURCE, type CfnResource } from './resource-names.js';

/** Incomplete multipart uploads hold storage (and cost) until aborted (policy/bucket-settings.ts). */
export const ABORT_INCOMPLETE_MULTIPART_DAYS = SETTINGS.lifecycle.abortIncompleteMultipartUploadDays;
/** Id of the bucket's lifecycle rule (policy/bucket-settings.ts). */
export const ABORT_MULTIPART_RULE_ID = SETTINGS.lifecycle.ruleId;
/** Retain, or not, as policy/bucket-settings.ts says. */
const RETENTION = SETTINGS.retainOnDelete ? 'Retain' : 'Delete';

/**
 * The destination bucket's ARN: the created bucket's (`Fn::GetAtt` list form, which
 * the Control Tower rules resolve), or the existing bucket's, built from its name.
 */
export function destinationBucketArn(): CfnIntrinsic {
  return ifCondition(
    CONDITION.createBucket,
    getAtt(RESOURCE.bucket, 'Arn'),
    sub(bucketArnOf(PARTITION_PSEUDO, `\${${PARAMETER.bucketName}}`)),
  );
}

/** ARN of every object in the destination bucket (`Fn::Join` of the bucket ARN and `/*` for a created bucket). */
export function destinationBucketObjectsArn(): CfnIntrinsic {
  return ifCondition(
    CONDITION.createBucket,
    createdBucketObjectsArn(),
    sub(bucketObjectsArnOf(PARTITION_PSEUDO, `\${${PARAMETER.bucketName}}`)),
  );
}

function createdBucketObjectsArn(): CfnIntrinsic {
  return join('', [getAtt(RESOURCE.bucket, 'Arn'), ALL_OBJECTS_ARN_SUFFIX]);
}

/**
 * The bucket, created unless the customer names an existing one. docs/customer-admin-cloudformation.md's
 * table ("What the stack creates, and why") gives the reason for each setting.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html
 */
export function buildBucketResource(): CfnResource {
  return {
    Type: 'AWS::S3::Bucket',
    Condition: CONDITION.createBucket,
    // Deleting or replacing the stack must never delete delivered snapshots.
    DeletionPolicy: RETENTION,
    UpdateReplacePolicy: RETENTION,
    Properties: {
      BucketName: onlyIf(CONDITION.hasBucketName, ref(PARAMETER.bucketName)),
      VersioningConfiguration: { Status: SETTINGS.versioningStatus },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: ifCondition(
              CONDITION.useKmsKey,
              { SSEAlgorithm: SETTINGS.encryption.withKey.algorithm, KMSMasterKeyID: ref(PARAMETER.kmsKeyArn) },
              { SSEAlgorithm: SETTINGS.encryption.withoutKey.algorithm },
            ),
            // A Bucket Key cuts KMS requests (and their cost) by orders of magnitude for multipart uploads.
            BucketKeyEnabled: onlyIf(CONDITION.useKmsKey, SETTINGS.encryption.withKey.bucketKeyEnabled),
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: SETTINGS.publicAccessBlock.blockPublicAcls,
        BlockPublicPolicy: SETTINGS.publicAccessBlock.blockPublicPolicy,
        IgnorePublicAcls: SETTINGS.publicAccessBlock.ignorePublicAcls,
        RestrictPublicBuckets: SETTINGS.publicAccessBlock.restrictPublicBuckets,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: SETTINGS.objectOwnership }] },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: ABORT_MULTIPART_RULE_ID,
            Status: 'Enabled',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_DAYS },
          },
        ],
      },
      NotificationConfiguration: onlyIf(CONDITION.eventBridgeEnabled, {
        EventBridgeConfiguration: { EventBridgeEnabled: true },
      }),
      LoggingConfiguration: onlyIf(CONDITION.hasAccessLogBucket, {
        DestinationBucketName: ref(PARAMETER.accessLogBucket),
        LogFilePrefix: sub(`\${AWS::StackName}${SETTINGS.accessLogPrefixSeparator}`),
      }),
    },
  };
}

/**
 * The created bucket's policy: refuse every request that is not over TLS. Retained
 * like the bucket: deleting the stack must not leave the kept bucket without its
 * TLS-only deny.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucketpolicy.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
 */
export function buildBucketPolicyResource(): CfnResource {
  return {
    Type: 'AWS::S3::BucketPolicy',
    Condition: CONDITION.createBucket,
    DeletionPolicy: RETENTION,
    UpdateReplacePolicy: RETENTION,
    Properties: {
      Bucket: ref(RESOURCE.bucket),
      PolicyDocument: buildTlsOnlyBucketPolicy<CfnIntrinsic>({
        bucketArn: getAtt(RESOURCE.bucket, 'Arn'),
        bucketObjectsArn: createdBucketObjectsArn(),
      }),
    },
  };
}
