/**
 * AWS partitions and their regions. A region belongs to exactly one partition,
 * and ARNs in that region must name that partition.
 *
 * Kept as data (not a pattern) so a typo such as `us-east-7` is rejected before
 * any AWS call. When AWS opens a region, add it here.
 *
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export const PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const;
export type Partition = (typeof PARTITIONS)[number];

export const REGIONS_BY_PARTITION: Readonly<Record<Partition, readonly string[]>> = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'mx-central-1',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
};

export const ALL_REGIONS: readonly string[] = Object.values(REGIONS_BY_PARTITION).flat();

export function isPartition(value: string): value is Partition {
  return (PARTITIONS as readonly string[]).includes(value);
}

/** The partition a known region belongs to, or undefined for an unknown region. */
export function partitionOfRegion(region: string): Partition | undefined {
  for (const partition of PARTITIONS) {
    if (REGIONS_BY_PARTITION[partition].includes(region)) return partition;
  }
  return undefined;
}
