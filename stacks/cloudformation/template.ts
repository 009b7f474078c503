import { buildBucketPolicyResource, buildBucketResource } from './bucket-resources.js';
import { CONDITION, CONDITIONS, RULES } from './conditions.js';
import { AWS_REGION, getAtt, ifCondition, ref, type CfnValue } from './intrinsics.js';
import { readPackageVersion } from './package-version.js';
import { PARAMETER, PARAMETER_INTERFACE, PARAMETERS, type CfnParameter } from './parameters.js';
import { RESOURCE, type CfnResource } from './resource-names.js';
import { buildRoleResource } from './role-resource.js';

/** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html */
export interface CfnTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Metadata: Record<string, CfnValue>;
  Parameters: Record<string, CfnParameter>;
  Rules: CfnValue;
  Conditions: Record<string, CfnValue>;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, { Description: string; Value: CfnValue }>;
}

/** The output names: what the customer sends back to First Resonance (the setup guide's Step 3). */
export const OUTPUT = {
  roleArn: 'RoleArn',
  bucketName: 'BucketName',
  bucketRegion: 'BucketRegion',
} as const;

/**
 * The customer's CloudFormation template, as an object: the destination bucket
 * (unless an existing one is named), its TLS-only policy, and the delivery role.
 */
export function buildCloudFormationTemplate(version = readPackageVersion()): CfnTemplate {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `ION snapshot destination (ion-dest ${version}): an S3 bucket and the IAM role First Resonance assumes to deliver snapshots into it.`,
    Metadata: { 'AWS::CloudFormation::Interface': PARAMETER_INTERFACE },
    Parameters: PARAMETERS,
    Rules: RULES,
    Conditions: CONDITIONS,
    Resources: {
      [RESOURCE.bucket]: buildBucketResource(),
      [RESOURCE.bucketPolicy]: buildBucketPolicyResource(),
      [RESOURCE.role]: buildRoleResource(),
    },
    Outputs: {
      [OUTPUT.roleArn]: {
        Description: 'ARN of the delivery role: send it to your First Resonance account team.',
        Value: getAtt(RESOURCE.role, 'Arn'),
      },
      [OUTPUT.bucketName]: {
        Description: 'Name of the destination bucket: send it to your First Resonance account team.',
        Value: ifCondition(CONDITION.createBucket, ref(RESOURCE.bucket), ref(PARAMETER.bucketName)),
      },
      [OUTPUT.bucketRegion]: {
        Description:
          "Region of the destination bucket (this stack's region; launch the stack in an existing bucket's region): send it to your First Resonance account team.",
        Value: ref(AWS_REGION),
      },
    },
  };
}
