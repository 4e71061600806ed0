import { costQueries } from './costQueries';

describe('costQueries', () => {
  const window = { from: '2026-11-01', to: '2026-11-23' };

  it('reads several tag keys as a cascade that partitions the cost', () => {
    const queries = costQueries({
      accountId: '111122223333',
      window,
      tagKeys: ['service', 'team'],
      dimension: 'SERVICE',
      costMetric: 'unblended',
    });
    expect(queries).toHaveLength(2);
    expect(queries[0]).toMatchObject({
      tagKey: 'service',
      keepsUntagged: false,
    });
    expect(queries[0].input).toEqual({
      TimePeriod: { Start: '2026-11-01', End: '2026-11-23' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost', 'AmortizedCost'],
      GroupBy: [
        { Type: 'TAG', Key: 'service' },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
      Filter: {
        Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['111122223333'] },
      },
    });
    expect(queries[1]).toMatchObject({ tagKey: 'team', keepsUntagged: true });
    expect(queries[1].input.Filter).toEqual({
      And: [
        { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['111122223333'] } },
        { Tags: { Key: 'service', MatchOptions: ['ABSENT'] } },
      ],
    });
  });

  it('groups by linked account without an account filter, and by amortized cost', () => {
    const [query] = costQueries({
      accountId: '999988887777',
      window,
      tagKeys: ['service'],
      dimension: 'LINKED_ACCOUNT',
      costMetric: 'amortized',
    });
    expect(query.input.Filter).toBeUndefined();
    expect(query.input.Metrics).toEqual(['AmortizedCost']);
    expect(query.input.GroupBy![1]).toEqual({
      Type: 'DIMENSION',
      Key: 'LINKED_ACCOUNT',
    });
  });

  it('reads cost by dimension only when no tag key is configured', () => {
    const queries = costQueries({
      accountId: '111122223333',
      window,
      tagKeys: [],
      dimension: 'SERVICE',
      costMetric: 'net',
    });
    expect(queries).toHaveLength(1);
    expect(queries[0].input.GroupBy).toEqual([
      { Type: 'DIMENSION', Key: 'SERVICE' },
    ]);
    expect(queries[0].input.Metrics).toEqual([
      'NetUnblendedCost',
      'NetAmortizedCost',
    ]);
  });
});
