import { IonDestError } from '../errors/index.js';

/**
 * Resolve the endpoint override: the `--endpoint-url` flag, else the SDK's own
 * `AWS_ENDPOINT_URL`. Plain HTTP is allowed only to an endpoint the user names
 * (such as the local emulator); with no override every client talks TLS to AWS.
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
export function resolveEndpointUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = flag ?? env.AWS_ENDPOINT_URL;
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidEndpoint(value, 'an endpoint URL is an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidEndpoint(value, 'an endpoint URL uses http:// or https://');
  }
  if (url.username || url.password) {
    throw invalidEndpoint(url.origin, 'an endpoint URL carries no user name or password');
  }
  return value.replace(/\/+$/, '');
}

function invalidEndpoint(value: string, rule: string): IonDestError {
  const problem = { field: 'endpoint URL', value, rule };
  return new IonDestError('INVALID_INPUT', `Invalid endpoint URL ${JSON.stringify(value)}: ${rule}.`, {
    source: 'user',
    problems: [problem],
  });
}
