import type { AwsCredentialIdentity } from '@smithy/types';
import { createIamClient, createS3Client } from '../../aws/clients.js';
import { POLICY_VERSION, validateAccountId, assertNoProblems, type PolicyDocument } from '../../policy/index.js';
import { EMULATOR_REGION, MOTO_ACCOUNT_HEADER, createAccountIdentity, type AccountIdentity } from '../../emulator/accounts.js';
import type { Emulator } from '../../emulator/emulator.js';

/** The tenant prefix every scenario verifies. */
export const TENANT = 'acme';
/** The external ID First Resonance hands to the test customer. */
export const EXTERNAL_ID = 'ion-acme-7f3a9c';

/** An administrator's identity policy: everything, for the customer's own setup and inspection. */
export const ADMINISTRATOR_POLICY: PolicyDocument = {
  Version: POLICY_VERSION,
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** The customer's administrator, who runs `audit` and inspects the bucket after `verify`. */
export function createCustomerAdmin(emulator: Emulator, accountId: string): Promise<AccountIdentity> {
  return createAccountIdentity(emulator, { accountId, userName: 'customer-admin', policy: ADMINISTRATOR_POLICY });
}

/** Signature header moto routes a JSON-protocol request by while enforcement is off. */
function unsignedScope(service: string, region: string): string {
  return `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

/**
 * Create a customer-managed KMS key in `accountId` (enforcement off) and return its ARN.
 * Through KMS's JSON API, as the toolkit ships no KMS client.
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html
 */
export async function createKmsKey(emulator: Emulator, accountId: string, region = EMULATOR_REGION): Promise<string> {
  assertNoProblems([validateAccountId(accountId)]);
  const response = await fetch(`${emulator.url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'TrentService.CreateKey',
      authorization: unsignedScope('kms', region),
      [MOTO_ACCOUNT_HEADER]: accountId,
    },
    body: JSON.stringify({ Description: 'ion-dest test destination key' }),
  });
  const body = (await response.json()) as { KeyMetadata?: { Arn?: string } };
  const arn = body.KeyMetadata?.Arn;
  if (!response.ok || !arn) throw new Error(`emulator CreateKey failed: HTTP ${response.status}`);
  return arn;
}

/** Clients signed with an identity's keys (enforcement on). */
export function clientsFor(emulator: Emulator, credentials: AwsCredentialIdentity, region = EMULATOR_REGION) {
  const base = { region, endpointUrl: emulator.url, credentials, maxAttempts: 1 };
  return { s3: createS3Client({ ...base, expectedBucketOwner: undefined }), iam: createIamClient(base) };
}
