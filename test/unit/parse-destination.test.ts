import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SESSION_DURATION_SECONDS,
  findDestinationProblems,
  parseDestination,
  type DestinationInput,
} from '../../destination/index.js';
import type { InputProblem } from '../../errors/index.js';
import { ROLE_ARN_RULE } from '../../policy/index.js';
import { problemsOf } from '../helpers/input-problems.js';

const GOOD: DestinationInput = {
  roleArn: 'arn:aws:iam::444455556666:role/ion-delivery',
  externalId: 'ion-acme-7f3a9c',
  bucket: 'acme-ion-snapshots',
  region: 'us-east-1',
  tenant: 'acme',
};

/** The INVALID_INPUT problems parseDestination throws. */
function destinationProblems(input: DestinationInput, names?: Parameters<typeof parseDestination>[1]): InputProblem[] {
  return problemsOf(() => parseDestination(input, names));
}

describe('parseDestination: a good destination, the defaults filled in', () => {
  it.each<[string, Partial<DestinationInput>, Partial<ReturnType<typeof parseDestination>>]>([
    [
      'the minimum: owner from the role ARN, the default session, no endpoint',
      {},
      { expectedBucketOwner: '444455556666', sessionDurationSeconds: DEFAULT_SESSION_DURATION_SECONDS, endpointUrl: undefined, externalIds: ['ion-acme-7f3a9c'], retiredExternalIds: [] },
    ],
    ['an explicit bucket owner', { expectedBucketOwner: '777788889999' }, { expectedBucketOwner: '777788889999' }],
    ['a rotation: both IDs, current first', { additionalExternalId: 'ion-acme-0b1d2e' }, { externalIds: ['ion-acme-7f3a9c', 'ion-acme-0b1d2e'] }],
    ['a retired ID', { retiredExternalIds: ['ion-acme-old'] }, { retiredExternalIds: ['ion-acme-old'] }],
    ['the shortest session AssumeRole allows', { sessionDurationSeconds: 900 }, { sessionDurationSeconds: 900 }],
    ['the longest session', { sessionDurationSeconds: 43_200 }, { sessionDurationSeconds: 43_200 }],
    ['an endpoint, its trailing slash dropped', { endpointUrl: 'http://127.0.0.1:4566/' }, { endpointUrl: 'http://127.0.0.1:4566' }],
    [
      'a role with a path in GovCloud',
      { roleArn: 'arn:aws-us-gov:iam::444455556666:role/delivery/ion-delivery', region: 'us-gov-west-1' },
      {
        roleArn: 'arn:aws-us-gov:iam::444455556666:role/delivery/ion-delivery',
        region: 'us-gov-west-1',
        role: { partition: 'aws-us-gov', accountId: '444455556666', path: '/delivery/', roleName: 'ion-delivery' },
      },
    ],
  ])('%s', (_name, change, expected) => {
    expect(parseDestination({ ...GOOD, ...change })).toMatchObject({ ...GOOD, ...expected });
  });
});

describe('parseDestination: each bad value named by its option, with the value and the rule', () => {
  it.each<[string, Partial<DestinationInput>, InputProblem[]]>([
    ['a malformed role ARN', { roleArn: 'arn:aws:iam::12:role/x' }, [{ field: 'roleArn', value: 'arn:aws:iam::12:role/x', rule: ROLE_ARN_RULE }]],
    ['an external ID with a space', { externalId: 'ion acme' }, [{ field: 'externalId', value: 'ion acme', rule: expect.stringContaining('2 to 1224 characters') }]],
    ['an uppercase bucket', { bucket: 'Acme' }, [{ field: 'bucket', value: 'Acme', rule: expect.stringContaining('lowercase') }]],
    ['an unknown region', { region: 'mars-east-1' }, [{ field: 'region', value: 'mars-east-1', rule: expect.stringContaining('AWS region name') }]],
    ['a region outside the role ARN partition', { region: 'cn-north-1' }, [{ field: 'region', value: 'cn-north-1', rule: 'region cn-north-1 is in partition aws-cn, not aws' }]],
    ['a tenant that would leave its prefix', { tenant: '../other' }, [{ field: 'tenant', value: '../other', rule: expect.stringContaining('a tenant is 1 to 128') }]],
    ['a bucket owner that is not an account', { expectedBucketOwner: 'acme' }, [{ field: 'expectedBucketOwner', value: 'acme', rule: expect.stringContaining('12 digits') }]],
    ['a second ID equal to the first', { additionalExternalId: 'ion-acme-7f3a9c' }, [{ field: 'additionalExternalId', value: 'ion-acme-7f3a9c', rule: 'the second external ID must differ from the first' }]],
    ['a retired ID still accepted', { retiredExternalIds: ['ion-acme-7f3a9c'] }, [{ field: 'retiredExternalIds', value: 'ion-acme-7f3a9c', rule: expect.stringContaining('cannot also be one the role must accept') }]],
    ['a session shorter than AssumeRole allows', { sessionDurationSeconds: 899 }, [{ field: 'sessionDurationSeconds', value: '899', rule: 'a session duration is a whole number of seconds from 900 to 43200' }]],
    ['a session longer than AssumeRole allows', { sessionDurationSeconds: 43_201 }, [{ field: 'sessionDurationSeconds', value: '43201', rule: expect.stringContaining('900 to 43200') }]],
    ['a fractional session', { sessionDurationSeconds: 1000.5 }, [{ field: 'sessionDurationSeconds', value: '1000.5', rule: expect.stringContaining('whole number') }]],
    ['an endpoint that is not a URL', { endpointUrl: 'localhost:4566' }, [{ field: 'endpointUrl', value: 'localhost:4566', rule: expect.stringContaining('http:// or https://') }]],
    ['an endpoint with a password', { endpointUrl: 'https://u:p@example.com' }, [{ field: 'endpointUrl', value: 'https://example.com', rule: expect.stringContaining('no user name or password') }]],
    [
      'several problems at once, in field order',
      { externalId: 'x', bucket: 'B', tenant: '' },
      [
        { field: 'externalId', value: 'x', rule: expect.any(String) },
        { field: 'bucket', value: 'B', rule: expect.any(String) },
        { field: 'tenant', value: '', rule: expect.any(String) },
      ],
    ],
  ])('%s', (_name, change, problems) => {
    expect(destinationProblems({ ...GOOD, ...change })).toEqual(problems);
  });

  it('names a field as the caller asks (a fleet row), the rest by option', () => {
    expect(destinationProblems({ ...GOOD, bucket: 'B', sessionDurationSeconds: 1 }, { bucket: 'row 3 bucket' }).map((p) => p.field)).toEqual([
      'row 3 bucket',
      'sessionDurationSeconds',
    ]);
  });

  it('findDestinationProblems returns the same problems without throwing, for callers that add their own', () => {
    expect(findDestinationProblems({ ...GOOD, bucket: 'B' })).toEqual(destinationProblems({ ...GOOD, bucket: 'B' }));
    expect(findDestinationProblems(GOOD)).toEqual([]);
  });
});
