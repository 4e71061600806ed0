import { CostLine } from '@costscope/backstage-plugin-node';
import { DailyAggregator } from './DailyAggregator';

const node = (
  billedCost: string,
  allocated?: CostLine['allocated'],
): CostLine => ({
  chargeDate: '2026-03-01',
  billingPeriod: '2026-03-01',
  provider: 'AWS',
  billingAccountId: '1',
  subAccountId: '1',
  serviceName: 'Amazon Elastic Compute Cloud',
  resourceId: 'i-node-1',
  chargeCategory: 'Usage',
  currency: 'USD',
  billedCost,
  effectiveCost: billedCost,
  // A new object per line: sources need not share equal tag sets.
  tags: { 'eks:cluster-name': 'prod' },
  ...(allocated ? { allocated } : {}),
});

const pod = (name: string, labels: Record<string, string>) => ({
  methodId: 'AWS-EKS-SplitCost',
  resourceId: `pod/${name}`,
  resourceName: name,
  tags: { ...labels },
});

describe('DailyAggregator, FOCUS 1.3 split lines', () => {
  it('keeps a fact per allocated resource, allocated by its tags and the line own', () => {
    const aggregator = new DailyAggregator();
    for (const line of [
      node('1.5', pod('checkout-1', { app: 'checkout' })),
      node('4'),
      node('0.5', pod('checkout-1', { app: 'checkout' })),
      node('3', pod('cart-1', { app: 'cart' })),
      // Same pod and labels, another method: a split of its own.
      node('1', { ...pod('cart-1', { app: 'cart' }), methodId: 'other' }),
      node('2'),
    ]) {
      aggregator.add(line);
    }
    const facts = [...aggregator.factsOf('2026-03-01')];
    const keys = new Map(aggregator.allocationKeys().map(k => [k.allocKey, k]));
    expect(
      facts
        .map(f => [
          f.allocatedMethodId ?? null,
          f.allocatedResourceId ?? null,
          f.allocatedResourceName ?? null,
          f.allocatedTags ?? null,
          keys.get(f.allocKey)!.tags,
          f.billedNanos,
          f.lineCount,
        ])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    ).toEqual([
      [
        null,
        null,
        null,
        null,
        '{"eks:cluster-name":"prod"}',
        6_000_000_000n,
        2,
      ],
      [
        'AWS-EKS-SplitCost',
        'pod/cart-1',
        'cart-1',
        '{"app":"cart"}',
        '{"app":"cart","eks:cluster-name":"prod"}',
        3_000_000_000n,
        1,
      ],
      [
        'other',
        'pod/cart-1',
        'cart-1',
        '{"app":"cart"}',
        '{"app":"cart","eks:cluster-name":"prod"}',
        1_000_000_000n,
        1,
      ],
      [
        'AWS-EKS-SplitCost',
        'pod/checkout-1',
        'checkout-1',
        '{"app":"checkout"}',
        '{"app":"checkout","eks:cluster-name":"prod"}',
        2_000_000_000n,
        2,
      ],
    ]);
    // Three tag sets: the node's, and each pod's with the node's.
    expect(keys.size).toBe(3);
  });
});
