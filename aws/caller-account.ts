import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { IonDestError } from '../errors/index.js';
import { toIonDestError } from './aws-errors.js';
import { createStsClient, type AwsClientOptions } from './clients.js';

/**
 * The account of the credentials in use (STS GetCallerIdentity, which needs no
 * permission): the owner to expect for a bucket of one's own.
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export async function readCallerAccount(options: AwsClientOptions): Promise<string> {
  const sts = createStsClient(options);
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    if (!out.Account) {
      throw new IonDestError('AWS_REQUEST_FAILED', 'STS GetCallerIdentity returned no account.', { source: 'aws' });
    }
    return out.Account;
  } catch (error) {
    throw toIonDestError(error, 'STS GetCallerIdentity', 'source');
  } finally {
    sts.destroy();
  }
}
