import { describe, expect, it } from 'vitest';
import { IonDestError } from '../../errors/index.js';
import { refreshMarginMs, MAX_REFRESH_MARGIN_MS } from '../../destination/delivery-credentials.js';
import { parseDuration, parseSize } from '../../delivery/orchestration/parse-size.js';
import { choosePartSize, DEFAULT_PART_SIZE, MAX_PARTS } from '../../delivery/upload/upload-archive.js';
import { validateDeliveryOptions, type DeliverSnapshotOptions } from '../../delivery/orchestration/deliver-options.js';
import { directoryAttachmentSource, directoryTableSource } from '../../delivery/index.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe('parseSize', () => {
  const good: [string, number][] = [
    ['1024', 1024],
    ['512MiB', 512 * MiB],
    ['5GiB', 5 * GiB],
    ['5 GiB', 5 * GiB],
    ['1.5GiB', 1.5 * GiB],
    ['100mb', 100_000_000],
    ['2KB', 2000],
    ['3kib', 3072],
    ['1TiB', 2 ** 40],
  ];
  for (const [text, bytes] of good) it(`${text} → ${bytes}`, () => expect(parseSize(text)).toBe(bytes));
  for (const text of ['', '0', '-5MiB', '5 parsecs', 'MiB', '1e9', '5GiBs']) {
    it(`rejects ${JSON.stringify(text)} naming the field`, () => {
      expect(() => parseSize(text, '--max-archive-size')).toThrow(IonDestError);
      expect(() => parseSize(text, '--max-archive-size')).toThrow(/Invalid --max-archive-size/);
    });
  }
});

describe('parseDuration', () => {
  const good: [string, number][] = [['0s', 0], ['90m', 5_400_000], ['24h', 86_400_000], ['7d', 604_800_000], ['1.5h', 5_400_000]];
  for (const [text, ms] of good) it(`${text} → ${ms} ms`, () => expect(parseDuration(text)).toBe(ms));
  for (const text of ['24', 'h', '1w', '-1h']) it(`rejects ${text}`, () => expect(() => parseDuration(text, '--older-than')).toThrow(/--older-than/));
});

describe('choosePartSize: within 10,000 parts', () => {
  const cases: [string, number, number | undefined, number][] = [
    ['small object, default', 100, undefined, DEFAULT_PART_SIZE],
    ['1 GiB, default', GiB, undefined, DEFAULT_PART_SIZE],
    ['200 GiB grows the default', 200 * GiB, undefined, 21 * MiB],
    ['requested below S3 minimum', 100, 1 * MiB, 5 * MiB],
    ['5 TiB object', 5 * 2 ** 40, undefined, 525 * MiB],
  ];
  for (const [label, size, requested, expected] of cases) {
    it(label, () => {
      const part = choosePartSize(size, requested);
      expect(part).toBe(expected);
      expect(Math.ceil(size / part)).toBeLessThanOrEqual(MAX_PARTS);
    });
  }
});

describe('refresh margin', () => {
  const cases: [string, number, number][] = [
    ['one-hour session: five minutes', 3_600_000, MAX_REFRESH_MARGIN_MS],
    ['15-minute session: a quarter is less than five minutes', 900_000, 225_000],
    ['3-second test session: 750 ms', 3_000, 750],
    ['no lifetime left: zero', -5, 0],
  ];
  for (const [label, lifetime, margin] of cases) it(label, () => expect(refreshMarginMs(lifetime)).toBe(margin));
});

describe('validateDeliveryOptions: every problem at once, before any AWS call', () => {
  const base: DeliverSnapshotOptions = {
    roleArn: 'arn:aws:iam::444455556666:role/IonSnapshotDelivery',
    externalId: 'ion-acme-7f3a9c',
    bucket: 'acme-ion-snapshots',
    region: 'us-east-1',
    tenant: 'acme',
    jobId: 'job-1',
    tables: directoryTableSource('.'),
    attachments: directoryAttachmentSource('.'),
  };
  it('accepts the documented form', () => expect(() => validateDeliveryOptions(base)).not.toThrow());
  it('lists each bad field with its rule', () => {
    try {
      validateDeliveryOptions({ ...base, roleArn: 'arn:aws:iam::4444:role/x', tenant: 'a/b', jobId: '..', partSize: MiB, concurrency: 0, region: 'cn-north-1' });
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(IonDestError);
      const fields = (error as IonDestError).problems.map((p) => p.field);
      expect(fields).toEqual(['roleArn', 'tenant', 'jobId', 'partSize', 'concurrency']);
    }
  });
  it('rejects a region outside the role ARN partition', () => {
    expect(() => validateDeliveryOptions({ ...base, region: 'cn-north-1' })).toThrow(/partition aws-cn, not aws/);
  });
});
