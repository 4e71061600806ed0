import { InventoryResource } from '@costscope/backstage-plugin-node';
import { computeRecommendations } from '../computeRecommendations';
import {
  recommendationsConfig,
  RecommendationsConfigOverrides,
} from '../recommendationsConfig';
import { NOW, resource } from '../__testUtils__/resources';
import { testPriceTable } from '../__testUtils__/prices';
import { PRICE_REMEDY } from '../priceTable';

const prices = testPriceTable();

function run(
  resources: InventoryResource[],
  overrides: RecommendationsConfigOverrides = {},
  billingHourlyCost?: Map<string, bigint>,
) {
  return computeRecommendations(resources, {
    config: recommendationsConfig(overrides),
    now: NOW,
    prices,
    ...(billingHourlyCost ? { billingHourlyCost } : {}),
  });
}

const daysAgo = (days: number) =>
  new Date(NOW.getTime() - days * 86_400_000).toISOString();

describe('unattached volumes', () => {
  const orphan = resource('volume', {
    resourceId: 'vol-orphan',
    state: 'available',
    type: 'gp3',
    sizeGiB: 2625,
  });

  it('flags a volume attached to nothing, priced by size and type', () => {
    const result = run([
      orphan,
      resource('volume', {
        resourceId: 'vol-root',
        state: 'in-use',
        type: 'gp3',
        sizeGiB: 100,
        attachedTo: 'i-1',
      }),
      resource('volume', {
        resourceId: 'vol-eu',
        region: 'eu-west-1',
        state: 'available',
        type: 'gp3',
        sizeGiB: 500,
        name: 'scratch',
      }),
    ]);
    expect(
      result.recommendations.map(r => [r.id, r.monthlySaving, r.priceSource]),
    ).toEqual([
      // 2625 GiB x 0.08 = 210
      ['unattached-volume:vol-orphan', '210.000000000', 'price-table'],
      // 500 GiB x 0.088 = 44
      ['unattached-volume:vol-eu', '44.000000000', 'price-table'],
    ]);
    expect(result.recommendations[0]).toMatchObject({
      currentType: 'gp3',
      confidence: 'high',
      evidence: { sizeGiB: 2625, resourceState: 'available' },
      reason:
        'The 2625 GiB gp3 volume is attached to no instance (state available) and is billed all the same.',
    });
    expect(result.recommendations[1].resourceName).toBe('scratch');
  });

  it('prefers the billing cost, and says why it cannot price a volume', () => {
    const billed = run(
      [orphan],
      {},
      // 0.2917 USD/h -> x 730 = 212.941
      new Map([['vol-orphan', 291_700_000n]]),
    );
    expect(billed.recommendations[0]).toMatchObject({
      monthlySaving: '212.941000000',
      priceSource: 'billing',
    });
    const unpriced = run([
      resource('volume', { state: 'available', type: 'floppy', sizeGiB: 1 }),
      resource('volume', {
        resourceId: 'vol-nosize',
        state: 'available',
        type: 'gp3',
      }),
    ]);
    expect(unpriced.recommendations).toEqual([]);
    expect(unpriced.skipped.map(s => [s.code, s.message])).toEqual([
      [
        'no-price',
        `No billing cost for this volume, and no on-demand price is known for volume type floppy in us-east-1 (prices from test, read 2026-07-20): ${PRICE_REMEDY}`,
      ],
      [
        'unknown-size',
        'No billing cost for this volume, and the inventory gives no size',
      ],
    ]);
  });

  it('can be turned off', () => {
    expect(
      run([orphan], { unattachedVolume: { enabled: false } }).recommendations,
    ).toEqual([]);
  });
});

describe('unassociated addresses', () => {
  it('flags an Elastic IP associated with nothing', () => {
    const result = run([
      resource('address', { resourceId: 'eipalloc-free' }),
      resource('address', { resourceId: 'eipalloc-used', attachedTo: 'i-1' }),
    ]);
    expect(result.recommendations).toEqual([
      expect.objectContaining({
        id: 'unassociated-address:eipalloc-free',
        action: 'Release the Elastic IP address',
        // 0.005 x 730 = 3.65
        monthlySaving: '3.650000000',
        priceSource: 'price-table',
        confidence: 'high',
      }),
    ]);
    expect(
      run([resource('address')], { unassociatedAddress: { enabled: false } })
        .recommendations,
    ).toEqual([]);
  });

  it('cannot price another provider without billing data', () => {
    const result = run([resource('address', { provider: 'Azure' })]);
    expect(result.skipped[0].message).toBe(
      'No billing cost for this address, and the cached prices cover AWS only',
    );
    expect(
      run(
        [resource('address', { provider: 'Azure', resourceId: 'pip-1' })],
        {},
        new Map([['pip-1', 4_000_000n]]),
      ).recommendations[0].monthlySaving,
    ).toBe('2.920000000');
  });
});

describe('old snapshots', () => {
  const snapshots = [
    resource('snapshot', {
      resourceId: 'snap-old',
      sizeGiB: 200,
      createdAt: daysAgo(210),
      state: 'completed',
    }),
    resource('snapshot', {
      resourceId: 'snap-90',
      sizeGiB: 30,
      createdAt: daysAgo(90),
    }),
    resource('snapshot', {
      resourceId: 'snap-new',
      sizeGiB: 30,
      createdAt: daysAgo(6),
    }),
  ];

  it('flags snapshots older than the configured age, the saving an upper bound', () => {
    const result = run(snapshots);
    expect(result.recommendations).toHaveLength(1);
    expect(result.recommendations[0]).toMatchObject({
      id: 'old-snapshot:snap-old',
      // 200 GiB x 0.05 = 10
      monthlySaving: '10.000000000',
      confidence: 'low',
      evidence: { ageDays: 210, sizeGiB: 200, resourceState: 'completed' },
    });
    expect(result.recommendations[0].reason).toContain(
      'Created 210 days ago (older than 90 days). Saving is an upper bound',
    );
  });

  it('honours the age threshold', () => {
    expect(
      run(snapshots, { oldSnapshot: { olderThanDays: 5 } }).recommendations.map(
        r => r.resourceId,
      ),
    ).toEqual(['snap-old', 'snap-90', 'snap-new']);
    expect(
      run(snapshots, { oldSnapshot: { enabled: false } }).recommendations,
    ).toEqual([]);
  });

  it('is sure of a billed snapshot, and says why it cannot judge one without a date', () => {
    const billed = run(
      snapshots,
      {},
      new Map([['snap-old', 3_000_000n]]), // 0.003/h x 730 = 2.19
    );
    expect(billed.recommendations[0]).toMatchObject({
      monthlySaving: '2.190000000',
      priceSource: 'billing',
      confidence: 'high',
    });
    const undated = run([resource('snapshot', { sizeGiB: 1 })]);
    expect(undated.skipped[0]).toMatchObject({
      code: 'unknown-age',
      kind: 'old-snapshot',
    });
  });
});
