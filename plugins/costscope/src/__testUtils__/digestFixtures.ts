import type {
  CostDigest,
  DigestPeriod,
} from '@costscope/backstage-plugin-common';

/** A team's digest: a week (30 Nov – 6 Dec 2026) or a month (November 2026). */
export function digestFor(
  entityRef: string,
  period: DigestPeriod,
  overrides: Partial<CostDigest> = {},
): CostDigest {
  const week = period === 'week';
  return {
    entityRef,
    title: 'Payments',
    period,
    from: week ? '2026-11-30' : '2026-11-01',
    to: week ? '2026-12-06' : '2026-11-30',
    currency: 'USD',
    costBasis: 'effective',
    total: week ? '1250.000000000' : '5400.250000000',
    previous: week
      ? { from: '2026-11-23', to: '2026-11-29', total: '1000.000000000' }
      : { from: '2026-10-01', to: '2026-10-31', total: '6000.250000000' },
    change: week ? '250.000000000' : '-600.000000000',
    changeRatio: week ? 0.25 : -0.099996,
    lastYear: week
      ? null
      : {
          from: '2025-11-01',
          to: '2025-11-30',
          total: '4000.000000000',
          change: '1400.250000000',
        },
    topEntities: [
      {
        key: 'component:default/checkout-api',
        label: 'Checkout API',
        cost: week ? '1000.000000000' : '4400.250000000',
        previousCost: week ? '700.000000000' : '5000.000000000',
        change: week ? '300.000000000' : '-599.750000000',
      },
      {
        key: '(not visible to you)',
        cost: week ? '250.000000000' : '1000.000000000',
        previousCost: week ? '300.000000000' : '1000.250000000',
        change: week ? '-50.000000000' : '-0.250000000',
      },
    ],
    topServices: [
      {
        key: 'AmazonEC2',
        label: 'Amazon EC2',
        cost: week ? '1250.000000000' : '5400.250000000',
        previousCost: week ? '1000.000000000' : '6000.250000000',
        change: week ? '250.000000000' : '-600.000000000',
      },
    ],
    budgetsAtRisk: [
      {
        entityRef: 'component:default/checkout-api',
        title: 'Checkout API',
        state: 'forecast-over',
        amount: '4000.000000000',
        spent: '1000.000000000',
        forecast: '4100.000000000',
        percentUsed: 25,
        period: { from: '2026-12-01', to: '2027-01-01' },
      },
    ],
    alerts: [
      {
        id: 'a1',
        entityRef: 'component:default/checkout-api',
        kind: 'anomaly',
        title: 'Checkout API spent unusually much on 2026-12-02',
        createdAt: '2026-12-03T06:00:00.000Z',
        link: '/catalog/default/component/checkout-api/cost',
      },
    ],
    unitCosts: [
      {
        entityRef: 'component:default/checkout-api',
        metric: 'orders',
        unit: 'order',
        unitCost: week ? '0.104166667' : '0.112000000',
        previousUnitCost: week ? '0.125000000' : '0.118000000',
        change: week ? '-0.020833333' : '-0.006000000',
      },
    ],
    savings: {
      openCount: 2,
      monthlySaving: '300.000000000',
      top: [
        {
          id: 'idle-instance:i-0abc',
          entityRef: 'component:default/checkout-api',
          resourceId: 'i-0abc',
          action: 'Stop i-0abc, idle for 14 days',
          monthlySaving: '200.000000000',
        },
      ],
    },
    compliance: { shareByCost: 0.82, previousShareByCost: 0.75 },
    ...(week ? {} : { chargeback: { total: '5600.000000000' } }),
    ...(week
      ? {}
      : {
          ownUnitCosts: [
            {
              entityRef,
              metric: 'orders',
              unit: 'order',
              unitCost: '0.108000000',
              previousUnitCost: '0.115000000',
              change: '-0.007000000',
              reportingEntities: 3,
            },
          ],
          commitments: {
            month: '2026-11',
            eligibleListCost: '17.000000000',
            coveredListCost: '15.000000000',
            eligibleEffectiveCost: '12.800000000',
            coverage: 0.882352,
            effectiveSavingsRate: 0.17647,
            organisation: {
              coverage: 0.9,
              utilization: 0.75,
              usedCommitmentCost: '10.800000000',
              unusedCommitmentCost: '3.600000000',
              effectiveSavingsRate: 0.2,
            },
          },
        }),
    ...overrides,
  };
}
