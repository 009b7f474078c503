import { describe, expect, it } from 'vitest';
import { IonDestError } from '../../errors/index.js';
import { roleArn } from '../../policy/index.js';
import { verifyDestination, type VerifyOptions } from '../../verifier/index.js';

const GOOD: VerifyOptions = {
  roleArn: roleArn('aws', '444455556666', 'ion-delivery'),
  externalId: 'ion-acme-7f3a9c',
  bucket: 'acme-ion-snapshots',
  region: 'us-east-1',
  tenant: 'acme',
};

describe('verifyDestination input validation', () => {
  it.each<[string, Partial<VerifyOptions>, string[]]>([
    ['a malformed role ARN', { roleArn: 'arn:aws:iam::12:role/x' }, ['roleArn']],
    ['a region outside the role partition', { region: 'us-gov-west-1' }, ['region']],
    ['a tenant that would leave its prefix', { tenant: '../other' }, ['tenant']],
    ['a bad expected bucket owner', { expectedBucketOwner: 'acme' }, ['expectedBucketOwner']],
    ['a session shorter than AWS allows', { sessionDurationSeconds: 60 }, ['sessionDurationSeconds']],
    ['several problems at once', { bucket: 'A', externalId: 'x' }, ['externalId', 'bucket']],
    ['an endpoint that is not a URL', { endpointUrl: 'localhost:4566' }, ['endpointUrl']],
  ])('rejects %s before asking for credentials', async (_name, change, fields) => {
    let credentialCalls = 0;
    const credentials = async () => {
      credentialCalls += 1;
      throw new Error('no AWS call may happen');
    };
    const error = await verifyDestination({ ...GOOD, ...change, credentials }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('INVALID_INPUT');
    expect((error as IonDestError).problems.map((p) => p.field)).toEqual(fields);
    expect(credentialCalls).toBe(0);
  });
});
