import { ConfigReader } from '@backstage/config';
import { readAwsModuleConfig } from './config';

function read(aws: object) {
  return readAwsModuleConfig(new ConfigReader({ costscope: { aws } }));
}

describe('readAwsModuleConfig', () => {
  it('reads costscope.aws.athena with its defaults', () => {
    const config = read({
      accounts: [{ accountId: '111122223333' }],
      regions: ['eu-west-1'],
      athena: {
        database: 'cur',
        table: 'focus',
        outputLocation: 's3://acme-athena-results/costscope',
        dataLocation: 's3://acme-billing/focus/acme/data',
        scanBudgetBytes: 1000000,
      },
    })!;
    expect(config.athena).toMatchObject({
      database: 'cur',
      table: 'focus',
      workgroup: 'primary',
      outputLocation: 's3://acme-athena-results/costscope',
      region: 'eu-west-1',
      format: 'focus',
      partitionColumn: 'billing_period',
      dataLocation: { bucket: 'acme-billing', prefix: 'focus/acme/data/' },
      months: 3,
      scanBudgetBytes: 1000000,
      pricePerTbUsd: '5',
      poll: { initialMs: 500, maxMs: 5000 },
      schedule: { frequency: { hours: 12 } },
    });
    expect(
      read({ accounts: [{ accountId: '111122223333' }] })!.athena,
    ).toBeUndefined();
  });

  it('is undefined without a costscope.aws section', () => {
    expect(readAwsModuleConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('applies defaults', () => {
    const config = read({ accounts: [{ accountId: '111122223333' }] })!;
    expect(config).toMatchObject({
      accounts: [{ accountId: '111122223333', regions: ['us-east-1'] }],
      costMetric: 'unblended',
      tagKeys: ['service', 'team'],
      dimension: 'SERVICE',
      backfillDays: 90,
      settleDays: 3,
      maxCostExplorerRequestsPerRun: 50,
      inventory: { enabled: true, lookbackDays: 14 },
      retry: { maxAttempts: 5 },
    });
    expect(config.costSchedule.frequency).toEqual({ hours: 12 });
    expect(config.prices).toMatchObject({
      enabled: true,
      region: 'us-east-1',
      schedule: { frequency: { hours: 24 } },
    });
    expect(config.commitments).toEqual({
      enabled: true,
      schedule: {
        frequency: { hours: 24 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 2 },
      },
    });
  });

  it.each([
    [{ accounts: [] }, /accounts': lists no account/],
    [
      { accounts: [{ accountId: '1234' }] },
      /accounts\[0\]\.accountId': '1234' is not/,
    ],
    [
      {
        accounts: [
          {
            accountId: '111122223333',
            roleArn: 'arn:aws:iam::222233334444:role/costscope',
          },
        ],
      },
      /roleArn': the role is in account 222233334444, not 111122223333/,
    ],
    [
      { accounts: [{ accountId: '111122223333', roleArn: 'costscope' }] },
      /is not an IAM role ARN/,
    ],
    [
      {
        accounts: [
          { accountId: '111122223333' },
          { accountId: '111122223333' },
        ],
      },
      /listed twice/,
    ],
    [
      { accounts: [{ accountId: '111122223333' }], costMetric: 'blended' },
      /costMetric': must be one of unblended, amortized, net/,
    ],
    [
      { accounts: [{ accountId: '111122223333' }], regions: ['mars-1'] },
      /'mars-1' is not an AWS region/,
    ],
    [
      { accounts: [{ accountId: '111122223333' }], backfillDays: 0 },
      /backfillDays': must be a whole number from 1 to 425/,
    ],
    [
      {
        accounts: [{ accountId: '111122223333' }],
        groupBy: { tagKeys: ['a', 'b', 'c'] },
        maxCostExplorerRequestsPerRun: 2,
      },
      /needs at least one request per tag key \(3\)/,
    ],
    [
      {
        accounts: [{ accountId: '111122223333' }],
        groupBy: { dimension: 'REGION' },
      },
      /must be SERVICE or LINKED_ACCOUNT/,
    ],
    [
      {
        accounts: [{ accountId: '111122223333' }],
        prices: { region: 'eu-west-1' },
      },
      /prices\.region': the Price List API has endpoints in us-east-1, eu-central-1, ap-south-1 only, got 'eu-west-1'/,
    ],
    [
      {
        accounts: [{ accountId: '111122223333' }],
        athena: { database: 'cur', table: 'focus' },
      },
      /athena\.outputLocation': is required/,
    ],
    [
      {
        accounts: [{ accountId: '111122223333' }],
        athena: {
          database: 'cur',
          table: 'focus; DROP TABLE x',
          outputLocation: 's3://results/',
        },
      },
      /athena\.table': 'focus; DROP TABLE x' is not a plain name/,
    ],
    [
      {
        accounts: [{ accountId: '111122223333' }],
        athena: {
          database: 'cur',
          table: 'focus',
          outputLocation: 's3://results/',
          pricePerTbUsd: '5 USD',
        },
      },
      /athena\.pricePerTbUsd': '5 USD' is not a USD amount/,
    ],
  ])('rejects %j with an error naming the entry', (aws, message) => {
    expect(() => read(aws)).toThrow(message);
  });
});
