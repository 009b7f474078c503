/** Logical IDs of the template's resources. Renaming one makes CloudFormation replace it. */
export const RESOURCE = {
  bucket: 'DestinationBucket',
  bucketPolicy: 'DestinationBucketPolicy',
  role: 'DeliveryRole',
} as const;

/** A resource definition as the Resources section holds it. */
export interface CfnResource {
  Type: string;
  Condition?: string;
  DeletionPolicy?: 'Retain' | 'Delete';
  UpdateReplacePolicy?: 'Retain' | 'Delete';
  Metadata?: Record<string, unknown>;
  Properties: Record<string, unknown>;
}
