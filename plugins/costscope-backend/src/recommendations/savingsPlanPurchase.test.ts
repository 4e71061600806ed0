import {
  moneyToNanos,
  Recommendation,
} from '@costscope/backstage-plugin-common';
import { computeRecommendations } from './computeRecommendations';
import {
  recommendationsConfig,
  RecommendationsConfigOverrides,
} from './recommendationsConfig';
import {
  breakEvenMonth,
  EligibleUsageDay,
  purchaseWindow,
  savingsPlanPurchases,
} from './savingsPlanPurchase';
import { flat, instance, NOW } from './__testUtils__/resources';
import { testPriceTable } from './__testUtils__/prices';

const PAYER = '999988887777';
const A1 = '111122223333';
const A2 = '222233334444';
const WINDOW = { from: '2026-11-01', to: '2026-11-07' };
const DAYS = [
  '2026-11-01',
  '2026-11-02',
  '2026-11-03',
  '2026-11-04',
  '2026-11-05',
  '2026-11-06',
  '2026-11-07',
];
const usd = (amount: string) => moneyToNanos(amount);

function day(
  usageDate: string,
  subAccountId: string,
  amount: string,
  extra: Partial<EligibleUsageDay> = {},
): EligibleUsageDay {
  return {
    provider: 'AWS',
    billingAccountId: PAYER,
    subAccountId,
    usageDate,
    listNanos: usd(amount),
    ...extra,
  };
}

// A1 costs 48 a day but 36 on the 2nd and 60 on the 3rd; A2 24 every day. The payer's days:
// 72, 60, 84, 72, 72, 72, 72 (sum 504): the lowest is 60, a floor of 60 / 24 = 2.5 an hour.
const A1_DAYS = ['48', '36', '60', '48', '48', '48', '48'];
const USAGE: EligibleUsageDay[] = [
  ...DAYS.map((d, i) => day(d, A1, A1_DAYS[i])),
  ...DAYS.map(d => day(d, A2, '24')),
  // not counted: another provider, a day outside the window
  day('2026-11-02', 'acme-shared', '1', {
    provider: 'Google Cloud',
    billingAccountId: 'gcp',
  }),
  day('2026-10-31', A1, '1'),
];

function tip(
  id: string,
  kind: Recommendation['kind'],
  accountId: string,
  monthlySaving: string,
  provider = 'AWS',
): Recommendation {
  return {
    id,
    kind,
    provider,
    resourceId: id.split(':')[1],
    resourceKind: 'instance',
    accountId,
    region: 'us-east-1',
    action: '',
    reason: '',
    evidence: {},
    monthlySaving,
    currency: 'USD',
    confidence: 'high',
    priceSource: 'billing',
    state: 'open',
  };
}

// 73 / 730 = 0.1 an hour on A1, 36.5 / 730 = 0.05 on A2; the others do not count.
const TIPS = [
  tip('overprovisioned-instance:i-a1', 'overprovisioned-instance', A1, '73'),
  tip('idle-instance:i-a2', 'idle-instance', A2, '36.5'),
  tip('unattached-volume:vol-1', 'unattached-volume', A1, '100'),
  tip('idle-instance:i-other', 'idle-instance', '555566667777', '500'),
  tip('idle-instance:gce', 'idle-instance', A1, '500', 'Google Cloud'),
];

const config7 = (
  commitment: RecommendationsConfigOverrides['commitment'] = {},
) => recommendationsConfig({ commitment: { lookbackDays: 7, ...commitment } });

describe('savingsPlanPurchases', () => {
  it('commits the payer floor after the rightsizing tips, worked by hand', () => {
    const [purchase, ...more] = savingsPlanPurchases({
      usage: USAGE,
      window: WINDOW,
      recommendations: TIPS,
      config: config7(),
      currency: 'USD',
    });
    expect(more).toEqual([]);
    // floor 2.5, less 0.1 + 0.05 = 2.35 covered; commitment 2.35 x 0.72 = 1.692;
    // saving 2.35 x 0.28 x 730 = 480.34; covered a month 2.35 x 730 = 1715.5;
    // coverage 2.35 x 168 / 504 = 0.78333... -> 78.33 %
    expect(purchase).toMatchObject({
      id: `savings-plan-purchase:aws:${PAYER}`,
      kind: 'savings-plan-purchase',
      provider: 'AWS',
      resourceId: PAYER,
      resourceName: `Compute Savings Plan, payer ${PAYER}`,
      resourceKind: 'payer',
      accountId: PAYER,
      region: 'global',
      monthlySaving: '480.340000000',
      currentMonthlyCost: '1715.500000000',
      confidence: 'medium',
      priceSource: 'billing',
      evidence: { lookbackDays: 7 },
      savingsPlan: {
        scope: 'payer',
        payerAccountId: PAYER,
        lookbackDays: 7,
        window: WINDOW,
        eligibleOnDemandCost: '504.000000000',
        hourlyOnDemandFloor: '2.500000000',
        hourlyRightsizingSaving: '0.150000000',
        sizedAfter: ['idle-instance:i-a2', 'overprovisioned-instance:i-a1'],
        hourlyOnDemandCovered: '2.350000000',
        monthlyOnDemandCovered: '1715.500000000',
        hourlyCommitment: '1.692000000',
        discountPercent: 28,
        termMonths: 12,
        upfrontPercent: 0,
        upfrontPayment: '0.000000000',
        expectedUtilizationPercent: 100,
        expectedCoveragePercent: 78.33,
        breakEvenMonth: 1,
      },
    });
    expect(purchase.savingsPlan!.accountId).toBeUndefined();
    expect(purchase.action).toBe(
      `Buy a 12-month Compute Savings Plan (no upfront) on payer ${PAYER}: commit 1.6920 USD an hour`,
    );
    expect(purchase.reason).toContain('never fell under 2.5000 USD an hour');
    expect(purchase.reason).toContain(
      'Sized after 2 rightsizing tips (resize, stop, schedule), which take 0.1500 USD an hour off it first.',
    );
  });

  it('makes one plan per linked account with scope account, all upfront', () => {
    const purchases = savingsPlanPurchases({
      usage: USAGE,
      window: WINDOW,
      recommendations: TIPS,
      config: config7({ scope: 'account', upfrontPercent: 100 }),
      currency: 'USD',
    });
    // A1: floor 36 / 24 = 1.5, less 0.1 = 1.4; commitment 1.008; saving 1.4 x 0.28 x 730 =
    // 286.16; upfront 1.008 x 730 x 12 = 8830.08. A2: 1 - 0.05 = 0.95; 0.684; 194.18;
    // 0.684 x 8760 = 5991.84. All upfront, 28 % off, 12 months: month 9 (0.72 x 12 = 8.64).
    expect(
      purchases.map(p => [
        p.id,
        p.savingsPlan!.accountId,
        p.savingsPlan!.hourlyCommitment,
        p.monthlySaving,
        p.savingsPlan!.upfrontPayment,
        p.savingsPlan!.breakEvenMonth,
        p.savingsPlan!.sizedAfter,
      ]),
    ).toEqual([
      [
        `savings-plan-purchase:aws:${PAYER}:${A1}`,
        A1,
        '1.008000000',
        '286.160000000',
        '8830.080000000',
        9,
        ['overprovisioned-instance:i-a1'],
      ],
      [
        `savings-plan-purchase:aws:${PAYER}:${A2}`,
        A2,
        '0.684000000',
        '194.180000000',
        '5991.840000000',
        9,
        ['idle-instance:i-a2'],
      ],
    ]);
    expect(purchases[0].action).toBe(
      `Buy a 12-month Compute Savings Plan (all upfront) on account ${A1}: commit 1.0080 USD an hour`,
    );
  });

  it('recommends nothing when a day of the window had no eligible usage, or tips take it all', () => {
    const gap = USAGE.filter(row => row.usageDate !== '2026-11-05');
    expect(
      savingsPlanPurchases({
        usage: gap,
        window: WINDOW,
        recommendations: [],
        config: config7(),
        currency: 'USD',
      }),
    ).toEqual([]);
    expect(
      savingsPlanPurchases({
        usage: USAGE,
        window: WINDOW,
        // 1825 / 730 = 2.5: the whole floor
        recommendations: [
          tip('idle-instance:i-big', 'idle-instance', A1, '1825'),
        ],
        config: config7(),
        currency: 'USD',
      }),
    ).toEqual([]);
    expect(
      savingsPlanPurchases({
        usage: USAGE,
        window: WINDOW,
        recommendations: [],
        config: config7({ enabled: false }),
        currency: 'USD',
      }),
    ).toEqual([]);
  });

  it('is less sure on fewer days than asked for', () => {
    const [purchase] = savingsPlanPurchases({
      usage: USAGE,
      window: WINDOW,
      recommendations: [],
      config: recommendationsConfig(), // 30 days asked, 7 there
      currency: 'USD',
    });
    expect(purchase).toMatchObject({
      confidence: 'low',
      evidence: { lookbackDays: 7 },
      // 2.5 x 0.28 x 730 = 511
      monthlySaving: '511.000000000',
      savingsPlan: { lookbackDays: 30, sizedAfter: [] },
    });
    expect(purchase.reason).toContain('No rightsizing tip applies');
  });

  it('rounds once: a floor of 1 nano a day', () => {
    // 7 nanos a day (every day) / 24 x 0.28 x 730 = 1430.8 / 24 = 59.616... nanos -> 60
    const usage = DAYS.map(d => ({ ...day(d, A1, '0'), listNanos: 7n }));
    const [purchase] = savingsPlanPurchases({
      usage,
      window: WINDOW,
      recommendations: [],
      config: config7(),
      currency: 'USD',
    });
    expect(purchase.monthlySaving).toBe('0.000000060');
    // 7 / 24 x 0.72 = 0.21 nanos an hour -> 0
    expect(purchase.savingsPlan!.hourlyCommitment).toBe('0.000000000');
  });
});

describe('purchaseWindow', () => {
  it('ends at the last complete day of facts and counts back', () => {
    const now = new Date('2026-11-22T05:00:00Z');
    // facts of today (the 22nd) are still coming in
    expect(
      purchaseWindow({ now, lookbackDays: 30, lastDay: '2026-11-22' }),
    ).toEqual({ from: '2026-10-23', to: '2026-11-21' });
    expect(
      purchaseWindow({ now, lookbackDays: 7, lastDay: '2026-11-20' }),
    ).toEqual({ from: '2026-11-14', to: '2026-11-20' });
    expect(
      purchaseWindow({
        now,
        lookbackDays: 60,
        firstDay: '2026-11-10',
        lastDay: '2026-11-22',
      }),
    ).toEqual({ from: '2026-11-10', to: '2026-11-21' });
    expect(purchaseWindow({ now, lookbackDays: 30 })).toBeUndefined();
    expect(
      purchaseWindow({
        now,
        lookbackDays: 30,
        firstDay: '2026-11-22',
        lastDay: '2026-11-22',
      }),
    ).toBeUndefined();
  });
});

describe('breakEvenMonth', () => {
  it('is the month the plan has paid for itself', () => {
    expect(breakEvenMonth(28, 0, 12)).toBe(1); // nothing paid ahead
    expect(breakEvenMonth(28, 100, 12)).toBe(9); // 0.72 x 12 = 8.64
    // partial: 0.72 x 0.5 x 12 / (1 - 0.72 x 0.5) = 4.32 / 0.64 = 6.75
    expect(breakEvenMonth(28, 50, 12)).toBe(7);
    expect(breakEvenMonth(28, 100, 36)).toBe(26); // 0.72 x 36 = 25.92
    expect(breakEvenMonth(25, 100, 12)).toBe(9); // 0.75 x 12 = 9 exactly
  });
});

describe('computeRecommendations with usage', () => {
  it('sizes the purchase after the listed resize of an instance in the payer', () => {
    // c6i.2xlarge (0.34/h) at 20 / 30 %: resized to c6i.xlarge, saving 0.17 x 730 = 124.1;
    // on A1, so 0.17 an hour comes off the floor: 2.5 - 0.17 = 2.33; 2.33 x 0.28 x 730 = 476.252
    const { recommendations } = computeRecommendations(
      [
        instance({
          utilisation: [flat('cpu', 20, 30), flat('memory', 20, 30)],
        }),
      ],
      {
        config: config7(),
        now: NOW,
        prices: testPriceTable(),
        savingsPlanUsage: { usage: USAGE, window: WINDOW },
      },
    );
    expect(recommendations.map(r => [r.id, r.monthlySaving])).toEqual([
      [`savings-plan-purchase:aws:${PAYER}`, '476.252000000'],
      ['overprovisioned-instance:i-0123456789abcdef0', '124.100000000'],
    ]);
    expect(recommendations[0].savingsPlan!.sizedAfter).toEqual([
      'overprovisioned-instance:i-0123456789abcdef0',
    ]);
    // a resize under the minimum saving is not listed, and the plan is not sized after it
    const high = computeRecommendations(
      [
        instance({
          utilisation: [flat('cpu', 20, 30), flat('memory', 20, 30)],
        }),
      ],
      {
        config: recommendationsConfig({
          minimumMonthlySaving: '200',
          commitment: { lookbackDays: 7 },
        }),
        now: NOW,
        prices: testPriceTable(),
        savingsPlanUsage: { usage: USAGE, window: WINDOW },
      },
    ).recommendations;
    expect(high.map(r => [r.id, r.monthlySaving])).toEqual([
      [`savings-plan-purchase:aws:${PAYER}`, '511.000000000'],
    ]);
  });
});
