import { addMoney } from '@costscope/backstage-plugin-common';
import { computeRecommendations } from './computeRecommendations';
import { demoInventoryWithUtilisation } from './__testUtils__/demoInventory';
import { testPriceTable } from './__testUtils__/prices';

// The demo inventory (examples/billing/inventory.js, README "Inventory") on 2026-11-22, with
// 14 days of hourly utilisation as the fake CloudWatch serves it. Prices as the fake AWS Price
// List serves them (test/fake-aws/pricingData.js).
const prices = testPriceTable();
const NOW = new Date('2026-11-22T00:00:00Z');
const resources = demoInventoryWithUtilisation('2026-11-22');

describe('recommendations for the demo inventory', () => {
  const { recommendations, skipped } = computeRecommendations(resources, {
    now: NOW,
    prices,
  });
  const ofKind = (kind: string) =>
    recommendations
      .filter(r => r.kind === kind)
      .map(r => [
        r.resourceId,
        r.resourceName ?? '',
        r.currentType ?? '',
        r.suggestedType ?? '',
        r.monthlySaving,
      ])
      .sort((a, b) => a[0].localeCompare(b[0]));

  it('finds the idle instances', () => {
    expect(ofKind('idle-instance')).toEqual([
      // g5.xlarge 1.006 x 730
      [
        'i-04a4fd2957fa1605c',
        'fraud-ml-notebook',
        'g5.xlarge',
        '',
        '734.380000000',
      ],
      // t3.medium 0.0416 x 730
      [
        'i-0d788d60b52cd7913',
        'legacy-jumphost',
        't3.medium',
        '',
        '30.368000000',
      ],
    ]);
  });

  it('resizes the over-provisioned instances, and not the spiky one', () => {
    expect(ofKind('overprovisioned-instance')).toEqual([
      // c6i.4xlarge -> c6i.2xlarge in eu-west-1: (0.768 - 0.384) x 730
      [
        'i-00a84843f3a8ab302',
        'ledger-worker-eu',
        'c6i.4xlarge',
        'c6i.2xlarge',
        '280.320000000',
      ],
      // t3.large -> t3a.large: (0.0832 - 0.0752) x 730
      [
        'i-041dc0f621da257b1',
        'grafana-1',
        't3.large',
        't3a.large',
        '5.840000000',
      ],
      // c6i.2xlarge -> c6i.xlarge: (0.34 - 0.17) x 730
      [
        'i-083431a382f99c2d4',
        'ledger-worker-1',
        'c6i.2xlarge',
        'c6i.xlarge',
        '124.100000000',
      ],
      // m6i.24xlarge -> m6i.16xlarge: (4.608 - 3.072) x 730; memory keeps them off 12xlarge
      [
        'i-0afd4d04b435d5d3e',
        'k8s-node-c',
        'm6i.24xlarge',
        'm6i.16xlarge',
        '1121.280000000',
      ],
      [
        'i-0bdf3ba2cb3af263a',
        'k8s-node-d',
        'm6i.24xlarge',
        'm6i.16xlarge',
        '1121.280000000',
      ],
      // eu-west-1: (5.136 - 3.424) x 730
      [
        'i-0bfb6f713355614d7',
        'k8s-node-eu-b',
        'm6i.24xlarge',
        'm6i.16xlarge',
        '1249.760000000',
      ],
      // eu-west-1: (5.136 - 2.568) x 730
      [
        'i-0d34282787ab90d03',
        'k8s-node-eu-a',
        'm6i.24xlarge',
        'm6i.12xlarge',
        '1874.640000000',
      ],
    ]);
    const ids = recommendations.map(r => r.id);
    // feature-store-materializer: ~8 % average, but the 02:00 job peaks at ~96 %
    expect(ids).not.toContain('overprovisioned-instance:i-0d7acb00ababefc83');
    // steady high: fraud GPUs, prometheus, the busy checkout and k8s nodes
    for (const id of [
      'i-067d2bc9d21274a1d',
      'i-0bfd9068200438fbe',
      'i-0769eaa52be46520e',
      'i-0a465b6e5dd4ae599',
      'i-0a0b06afc93e2cc48',
      'i-0e4aab4ef02a1c8f1',
    ]) {
      expect(ids).not.toContain(`overprovisioned-instance:${id}`);
      expect(ids).not.toContain(`idle-instance:${id}`);
    }
  });

  it('schedules the staging instances that run around the clock', () => {
    // c6i.xlarge 0.17 x 730 x 118 / 168
    expect(ofKind('office-hours-schedule')).toEqual([
      [
        'i-096113366673ed32b',
        'checkout-api-staging',
        'c6i.xlarge',
        '',
        '87.165476190',
      ],
      [
        'i-0cae94ca89b22ebb6',
        'payment-gateway-staging',
        'c6i.xlarge',
        '',
        '87.165476190',
      ],
    ]);
  });

  it('finds the idle volumes, the free address and the old snapshots', () => {
    expect(ofKind('unattached-volume')).toEqual([
      // 2625 GiB gp3 x 0.08
      ['vol-045f7faa0034802bc', '', 'gp3', '', '210.000000000'],
      // 500 GiB gp3 x 0.088 (eu-west-1)
      [
        'vol-0fd29dae69f5fd4f5',
        'ledger-backfill-scratch',
        'gp3',
        '',
        '44.000000000',
      ],
    ]);
    expect(ofKind('unassociated-address')).toEqual([
      [
        'eipalloc-0464b674914b93304',
        'payment-egress-old',
        '',
        '',
        '3.650000000',
      ],
    ]);
    expect(ofKind('old-snapshot')).toEqual([
      // prometheus-1's 200 GiB root volume x 0.05
      ['snap-044f4415fec822ad4', '', '', '', '10.000000000'],
      // legacy-jumphost's 30 GiB root volume x 0.05
      ['snap-09ce15e94b7297ac1', '', '', '', '1.500000000'],
    ]);
  });

  it('makes no per-instance commitment tip: a Savings Plan is bought per payer', () => {
    // without billing usage, no purchase either (RecommendationService.demo.test.ts has one)
    expect(
      recommendations.filter(r => r.kind === 'savings-plan-purchase'),
    ).toEqual([]);
  });

  it('says why the GPU instances are not resized, and skips nothing else', () => {
    expect(skipped.map(s => [s.resourceName, s.code])).toEqual([
      ['fraud-gpu-1', 'accelerated'],
      ['fraud-gpu-2', 'accelerated'],
    ]);
  });

  it('totals exactly and ranks by saving', () => {
    const savings = recommendations.map(r => r.monthlySaving);
    const total = addMoney(...savings);
    expect(total).toMatch(/^\d+\.\d{9}$/);
    for (let i = 1; i < savings.length; i++) {
      expect(Number(savings[i - 1])).toBeGreaterThanOrEqual(Number(savings[i]));
    }
    expect(recommendations.every(r => r.priceSource === 'price-table')).toBe(
      true,
    );
  });

  it('takes the billing cost of a resource when it has one', () => {
    // the orphan volume as the demo billing charges it: 7 USD a day = 0.291666666... an hour;
    // passed as 291666667 nanos an hour -> x 730 = 212.916666910
    const { recommendations: billed } = computeRecommendations(resources, {
      now: NOW,
      prices,
      billingHourlyCost: new Map([['vol-045f7faa0034802bc', 291_666_667n]]),
    });
    expect(
      billed.find(r => r.id === 'unattached-volume:vol-045f7faa0034802bc'),
    ).toMatchObject({ priceSource: 'billing', monthlySaving: '212.916666910' });
  });
});
