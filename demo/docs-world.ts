import { CUSTOMER_ACCOUNT_ID, EMULATOR_REGION, VENDOR_ACCOUNT_ID } from '../emulator/accounts.js';

/**
 * The world `ion-dest demo` builds on the emulator, and which the docs' examples name
 * literally: First Resonance's identity and buckets, the customer's administrator, and
 * the customer's stack with a fixed role name, bucket, external ID and tenant. Fixed,
 * not random, so that every example runs verbatim against `demo --keep-running`; on
 * real AWS the demo keeps a random external ID and a timestamped stack name instead.
 */
export const DOCS_WORLD = {
  region: EMULATOR_REGION,
  /** First Resonance: the IAM user its delivery service signs as, and the profile the docs name it by. */
  vendor: { accountId: VENDOR_ACCOUNT_ID, userName: 'ion-delivery', profile: 'fr-delivery' },
  /** The customer's administrator: deploys the stack, audits it, reads what was delivered. */
  customer: { accountId: CUSTOMER_ACCOUNT_ID, userName: 'acme-admin', profile: 'acme-admin' },
  /** The customer's CloudFormation stack. */
  stackName: 'ion-dest-demo',
  /** The stack's RoleName parameter: `arn:aws:iam::444455556666:role/ion-delivery`. */
  roleName: 'ion-delivery',
  /** The stack's BucketName parameter. */
  bucket: 'acme-ion-snapshots',
  externalId: 'ion-acme-7f3a9c',
  tenant: 'acme',
  /** First Resonance's bucket for published templates (`publish-template`). */
  templatesBucket: 'fr-cfn-templates',
  /** First Resonance's attachments bucket and the tenant's prefix in it (`deliver --attachments s3://…`). */
  attachmentsBucket: 'fr-ion-attachments',
  attachmentsPrefix: 'tenants/tenant_acme/',
  /** The sample attachments under the prefix: key (relative to the prefix) and content. */
  attachments: {
    'WO-1001/traveler.txt': 'Traveler for WO-1001\n',
    'WO-1001/photos/weld-seam.bin': '\u0000\u0001\u0002 weld seam',
    'parts/P-200/drawing-rev-C.csv': 'rev,date\nC,2026-01-01\n',
  },
} as const;

/** The delivery role's ARN in the docs' world. */
export const DOCS_WORLD_ROLE_ARN = `arn:aws:iam::${DOCS_WORLD.customer.accountId}:role/${DOCS_WORLD.roleName}`;
