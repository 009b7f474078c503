/** What a deployment of the customer's stack produced: the setup guide's Step 3 values and where they came from. */
export interface DeployedDestination {
  method: 'cloudformation' | 'cdktf';
  /** The CloudFormation stack, or the cdktf stack (its state stays in a temporary folder). */
  stackName: string;
  roleArn: string;
  roleName: string;
  /** The customer's account: the role's. */
  accountId: string;
  bucket: string;
  bucketRegion: string;
}
