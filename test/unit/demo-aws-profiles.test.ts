import { describe, expect, it } from 'vitest';
import { exportLine, shellQuote } from '../../demo/steps/aws-profiles.js';

describe('shellQuote', () => {
  it.each([
    ['http://127.0.0.1:4566', 'http://127.0.0.1:4566'],
    ['/tmp/ion-dest-demo-aws-AbC123/config', '/tmp/ion-dest-demo-aws-AbC123/config'],
    ['us-east-1', 'us-east-1'],
    ['/tmp/with space/config', "'/tmp/with space/config'"],
    ["/tmp/it's/config", "'/tmp/it'\\''s/config'"],
    ['/tmp/$HOME/config', "'/tmp/$HOME/config'"],
    ['', "''"],
  ])('%j becomes %s', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });
});

describe('exportLine', () => {
  it('sets the endpoint, both region variables and the two files, in that order, and nothing else', () => {
    expect(exportLine('http://127.0.0.1:4566', 'us-east-1', { configFile: '/tmp/a b/config', credentialsFile: '/tmp/a b/credentials' })).toBe(
      "export AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE='/tmp/a b/config' AWS_SHARED_CREDENTIALS_FILE='/tmp/a b/credentials'",
    );
  });
});
