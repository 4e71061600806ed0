import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { InventoryResource } from '@costscope/backstage-plugin-node';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { InventoryStore } from '../store/InventoryStore';
import { RecommendationStore } from '../store/RecommendationStore';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { FocusRow, focusCsv, writeFocusDir } from '../__testUtils__/focus';
import { createPipeline } from '../__testUtils__/pipeline';
import { DEFAULT_RECOMMENDATIONS_CONFIG } from './recommendationsConfig';
import {
  allocationOf,
  RecommendationService,
  runRates,
} from './RecommendationService';
import { flat, instance, NOW, resource } from './__testUtils__/resources';
import { testPriceTable } from './__testUtils__/prices';

jest.setTimeout(60_000);

const API = 'component:default/api';
const WEB = 'component:default/web';

const entities = [
  entity('Group', 'team-a', { type: 'team', children: [] }),
  entity('Group', 'team-b', { type: 'team', children: [] }),
  entity('System', 'store', { owner: 'team-a' }),
  entity('Component', 'api', { owner: 'team-a', system: 'store' }),
  entity('Component', 'web', { owner: 'team-b' }),
];

/** Days before NOW (2026-11-22): 1 is 2026-11-21. */
const daysBefore = (n: number) =>
  new Date(NOW.getTime() - n * 86_400_000).toISOString().slice(0, 10);

/** A row per day from `from` to `to` days before NOW. */
function daily(
  from: number,
  to: number,
  row: Omit<FocusRow, 'day'>,
): FocusRow[] {
  const rows: FocusRow[] = [];
  for (let n = from; n >= to; n--) rows.push({ ...row, day: daysBefore(n) });
  return rows;
}

function bill(apiDailyCost: string): FocusRow[] {
  return [
    // 2.40 a day for 14 days: a run rate of 0.10 an hour
    ...daily(14, 1, {
      cost: apiDailyCost,
      resource: 'i-api',
      tags: { service: 'api' },
    }),
    // 7 USD to api, then 14 USD to web: web has more of its cost
    ...daily(14, 8, {
      cost: '1',
      resource: 'i-shared',
      tags: { service: 'api' },
    }),
    ...daily(7, 1, {
      cost: '2',
      resource: 'i-shared',
      tags: { service: 'web' },
    }),
    // appeared 3 days ago: priced on those days
    ...daily(3, 1, {
      cost: '5',
      resource: 'i-partial',
      tags: { service: 'api' },
    }),
    // billed before the last 7 days only: allocated by billing, priced from the table
    ...daily(14, 9, { cost: '9', resource: 'i-old', tags: { service: 'api' } }),
    // stopped on two of the last 7 days, which cost nothing
    ...[7, 6, 5, 3, 2].map(n => ({
      day: daysBefore(n),
      cost: '2.4',
      resource: 'i-weekday',
      tags: { service: 'web' },
    })),
    // billed without tags: unallocated, so its inventory tags decide
    ...daily(7, 1, { cost: '1.2', resource: 'i-unalloc' }),
  ];
}

const idle = [flat('cpu', 1, 3)];
const inventory: InventoryResource[] = [
  instance({ resourceId: 'i-api', type: 't3.medium', utilisation: idle }),
  instance({ resourceId: 'i-shared', type: 't3.medium', utilisation: idle }),
  instance({ resourceId: 'i-partial', type: 't3.medium', utilisation: idle }),
  instance({ resourceId: 'i-old', type: 't3.medium', utilisation: idle }),
  instance({ resourceId: 'i-weekday', type: 't3.medium', utilisation: idle }),
  instance({
    resourceId: 'i-unalloc',
    type: 't3.medium',
    utilisation: idle,
    tags: { service: 'web' },
  }),
  // no billing at all: allocated by its tags, priced from the table
  instance({
    resourceId: 'i-orphan',
    type: 't3.medium',
    utilisation: idle,
    tags: { service: 'web' },
  }),
  instance({
    resourceId: 'i-nobody',
    type: 't3.medium',
    utilisation: idle,
    tags: {},
  }),
  instance({
    resourceId: 'i-nodata',
    utilisation: [],
    tags: { service: 'api' },
  }),
  resource('volume', {
    resourceId: 'vol-1',
    state: 'available',
    type: 'gp3',
    sizeGiB: 100,
    tags: { service: 'api' },
  }),
];

const entityForTags = (
  _provider: string,
  _accountId: string,
  tags: Record<string, string>,
) => (tags.service ? `component:default/${tags.service}` : undefined);

async function setUp(knex: Knex, apiDailyCost = '2.4') {
  const pipeline = await createPipeline(knex, entities);
  await ingest(pipeline, apiDailyCost);
  const inventoryStore = new InventoryStore(knex);
  await inventoryStore.replaceSnapshot('ec2', inventory, NOW.toISOString());
  const clock = { now: new Date('2026-11-22T06:00:00Z') };
  const service = new RecommendationService({
    store: new RecommendationStore(knex),
    inventory: inventoryStore,
    config: DEFAULT_RECOMMENDATIONS_CONFIG,
    currency: async () => 'USD',
    prices: async () => testPriceTable(),
    entityForTags,
    logger: mockServices.logger.mock(),
    now: () => clock.now,
  });
  return { pipeline, service, clock };
}

async function ingest(
  pipeline: Awaited<ReturnType<typeof createPipeline>>,
  apiDailyCost: string,
) {
  const dir = await writeFocusDir({
    'focus.csv': focusCsv(bill(apiDailyCost)),
  });
  const run = await pipeline.ingest.run(
    new FocusFileSource({ id: 'focus', paths: [dir], currency: 'USD' }),
    'manual',
  );
  expect(run.status).toBe('succeeded');
}

const summary = (
  recommendations: Array<{
    id: string;
    monthlySaving: string;
    priceSource: string;
    entityRef?: string;
  }>,
) =>
  recommendations.map(t => [
    t.id,
    t.monthlySaving,
    t.priceSource,
    t.entityRef ?? '-',
  ]);

describe('RecommendationService', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'prices recommendations from the run rate and allocates them like their cost on %p',
    async id => {
      const { service } = await setUp(await databases.init(id));
      expect(await service.refresh()).toEqual({
        computedAt: '2026-11-22T06:00:00.000Z',
        recommendations: 9,
        skipped: 1,
        reopened: [],
      });

      const api = await service.listForEntity(
        'Component:default/API',
        '2026-11-22',
      );
      expect(summary(api.items)).toEqual([
        // 15 USD over its 3 days: 208333333 nano-units an hour, x 730
        ['idle-instance:i-partial', '152.083333090', 'billing', API],
        // 2.40 a day / 24 h x 730 h
        ['idle-instance:i-api', '73.000000000', 'billing', API],
        // t3.medium at 0.0416 an hour, from the table
        ['idle-instance:i-old', '30.368000000', 'price-table', API],
        // 100 GiB of gp3 at 0.08
        ['unattached-volume:vol-1', '8.000000000', 'price-table', API],
      ]);
      expect(api).toMatchObject({
        entityRef: API,
        currency: 'USD',
        totalMonthlySaving: '263.451333090',
        dismissed: [],
        computedAt: '2026-11-22T06:00:00.000Z',
      });
      expect(api.skipped?.map(s => [s.resourceId, s.code])).toEqual([
        ['i-nodata', 'no-utilisation'],
      ]);
      // The team sees its system's and component's recommendations.
      const teamA = await service.listForEntity(
        'group:default/team-a',
        '2026-11-22',
      );
      expect(teamA.items.map(t => t.id)).toEqual(api.items.map(t => t.id));
      expect(teamA.totalMonthlySaving).toBe('263.451333090');

      const teamB = await service.listForEntity(
        'group:default/team-b',
        '2026-11-22',
      );
      expect(summary(teamB.items)).toEqual([
        // 14 USD over the last 7 days: 83333333 nano-units an hour, x 730
        ['idle-instance:i-shared', '60.833333090', 'billing', WEB],
        // 5 days of 2.40 over 7 days: 71428571 nano-units an hour, x 730
        ['idle-instance:i-weekday', '52.142856830', 'billing', WEB],
        // 1.20 a day: 0.05 an hour
        ['idle-instance:i-unalloc', '36.500000000', 'billing', WEB],
        ['idle-instance:i-orphan', '30.368000000', 'price-table', WEB],
      ]);

      const org = await service.listForOrganisation(100, '2026-11-22');
      expect(org.entityRef).toBe('organization');
      expect(org.items).toHaveLength(9);
      expect(
        org.items.find(t => t.resourceId === 'i-nobody')?.entityRef,
      ).toBeUndefined();
      // 263.45133309 + 179.84418992 + 30.368 (the unallocated one)
      expect(org.totalMonthlySaving).toBe('473.663523010');
      const top2 = await service.listForOrganisation(2, '2026-11-22');
      expect(top2.items.map(t => t.id)).toEqual([
        'idle-instance:i-partial',
        'idle-instance:i-api',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'dismisses, snoozes and reopens recommendations, and brings back changed ones on %p',
    async id => {
      const knex = await databases.init(id);
      const { service, pipeline } = await setUp(knex);
      await service.refresh();
      const by = 'user:default/dana';

      const dismissed = await service.setState(
        'idle-instance:i-api',
        { state: 'dismissed', reason: 'runs the quarterly close' },
        by,
        '2026-11-22',
      );
      expect(dismissed).toMatchObject({
        state: 'dismissed',
        dismissal: {
          state: 'dismissed',
          reason: 'runs the quarterly close',
          by,
          at: '2026-11-22T06:00:00.000Z',
        },
      });
      await service.setState(
        'idle-instance:i-partial',
        { state: 'snoozed', reason: 'after the freeze', until: '2026-11-25' },
        by,
        '2026-11-22',
      );
      const on24 = await service.listForEntity(API, '2026-11-24');
      expect(on24.items.map(t => t.id)).toEqual([
        'idle-instance:i-old',
        'unattached-volume:vol-1',
      ]);
      expect(on24.totalMonthlySaving).toBe('38.368000000');
      expect(on24.dismissed.map(t => [t.id, t.state])).toEqual([
        ['idle-instance:i-partial', 'snoozed'],
        ['idle-instance:i-api', 'dismissed'],
      ]);
      // The snooze ends on its day.
      const on25 = await service.listForEntity(API, '2026-11-25');
      expect(on25.items.map(t => [t.id, t.state, t.dismissal])).toEqual([
        ['idle-instance:i-partial', 'open', undefined],
        ['idle-instance:i-old', 'open', undefined],
        ['unattached-volume:vol-1', 'open', undefined],
      ]);
      expect(
        (await service.get('idle-instance:i-partial', '2026-11-25'))?.state,
      ).toBe('open');

      await expect(
        service.setState(
          'idle-instance:i-gone',
          { state: 'open' },
          by,
          '2026-11-22',
        ),
      ).rejects.toThrow(/no recommendation 'idle-instance:i-gone'/);
      await expect(
        service.setState(
          'idle-instance:i-gone',
          { state: 'dismissed', reason: 'x' },
          by,
          '2026-11-22',
        ),
      ).rejects.toMatchObject({ name: 'NotFoundError' });

      // Reopened by hand.
      const reopened = await service.setState(
        'idle-instance:i-partial',
        { state: 'open' },
        by,
        '2026-11-22',
      );
      expect(reopened.state).toBe('open');
      expect(reopened.dismissal).toBeUndefined();

      // A recomputation keeps the dismissal while the recommendation stays about the same...
      expect((await service.refresh()).reopened).toEqual([]);
      expect(
        (await service.get('idle-instance:i-api', '2026-11-22'))?.state,
      ).toBe('dismissed');
      // ...and brings the recommendation back when its saving moves by more than half.
      await ingest(pipeline, '4.8');
      expect((await service.refresh()).reopened).toEqual([
        'idle-instance:i-api',
      ]);
      const back = await service.get('idle-instance:i-api', '2026-11-22');
      expect([back?.state, back?.monthlySaving]).toEqual([
        'open',
        '146.000000000',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves recommendations unallocated without a tag rule on %p',
    async id => {
      const knex = await databases.init(id);
      await setUp(knex);
      const service = new RecommendationService({
        store: new RecommendationStore(knex),
        inventory: new InventoryStore(knex),
        config: DEFAULT_RECOMMENDATIONS_CONFIG,
        currency: async () => 'USD',
        prices: async () => testPriceTable(),
        logger: mockServices.logger.mock(),
        now: () => NOW,
      });
      await service.refresh();
      const org = await service.listForOrganisation(100, '2026-11-22');
      expect(
        org.items
          .filter(t => !t.entityRef)
          .map(t => t.resourceId)
          .sort(),
      ).toEqual(['i-nobody', 'i-orphan', 'i-unalloc', 'vol-1']);
    },
  );
});

describe('RecommendationService, Savings Plan purchase', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'recommends one purchase for the payer, with each entity share, its state, and the prices on %p',
    async id => {
      const knex = await databases.init(id);
      const pipeline = await createPipeline(knex, entities);
      // 14 days of eligible usage: Fargate for web 24 a day, Lambda for api 48 a day (24 five
      // days ago), untagged Lambda 24 a day. The payer's days: 96, and 72 five days ago.
      const dir = await writeFocusDir({
        'focus.csv': focusCsv([
          ...daily(14, 1, {
            cost: '24',
            resource: 'svc-web',
            service: 'Amazon Elastic Container Service',
            tags: { service: 'web' },
          }),
          ...daily(14, 1, {
            cost: '48',
            resource: 'fn-api',
            service: 'AWS Lambda',
            tags: { service: 'api' },
          }).map(row =>
            row.day === daysBefore(5) ? { ...row, cost: '24' } : row,
          ),
          ...daily(14, 1, {
            cost: '24',
            resource: 'fn-none',
            service: 'AWS Lambda',
          }),
          // not eligible: a database
          ...daily(14, 1, {
            cost: '1000',
            resource: 'db-1',
            service: 'Amazon Relational Database Service',
            tags: { service: 'api' },
          }),
        ]),
      });
      const run = await pipeline.ingest.run(
        new FocusFileSource({ id: 'focus', paths: [dir], currency: 'USD' }),
        'manual',
      );
      expect(run.status).toBe('succeeded');
      const prices = [
        {
          source: 'aws-price-list',
          refreshedAt: '2026-11-20T02:00:00.000Z',
          attemptedAt: '2026-11-21T02:00:00.000Z',
          error: 'AccessDeniedException: not authorized',
        },
      ];
      const service = new RecommendationService({
        store: new RecommendationStore(knex),
        inventory: new InventoryStore(knex),
        config: DEFAULT_RECOMMENDATIONS_CONFIG,
        currency: async () => 'USD',
        prices: async () => testPriceTable(),
        priceStatus: async () => prices,
        logger: mockServices.logger.mock(),
        now: () => new Date('2026-11-22T06:00:00Z'),
      });
      await service.refresh();
      const today = '2026-11-22';

      // 14 complete days 2026-11-08..21 (fewer than the 30 asked: low confidence); floor
      // 72 / 24 = 3 an hour; commitment 3 x 0.72 = 2.16; saving 3 x 0.28 x 730 = 613.2.
      const org = await service.listForOrganisation(100, today);
      expect(org.prices).toEqual(prices);
      expect(org.items).toHaveLength(1);
      const [purchase] = org.items;
      expect(purchase).toMatchObject({
        id: 'savings-plan-purchase:aws:999988887777',
        monthlySaving: '613.200000000',
        confidence: 'low',
        savingsPlan: {
          window: { from: '2026-11-08', to: '2026-11-21' },
          eligibleOnDemandCost: '1320.000000000',
          hourlyOnDemandFloor: '3.000000000',
          hourlyCommitment: '2.160000000',
        },
      });
      expect(org.totalMonthlySaving).toBe('613.200000000');

      // api: 13 x 48 + 24 = 648 of 1320: 49.09 %, 613.2 x 648 / 1320 = 301.025454545...;
      // web: 336 of 1320: 25.45 %, 156.087272727...; the untagged 336 is unallocated.
      const shareOf = async (ref: string) => {
        const list = await service.listForEntity(ref, today);
        return [
          list.totalMonthlySaving,
          list.items.map(t => [t.id, t.share?.percent, t.share?.monthlySaving]),
          list.prices,
        ];
      };
      expect(await shareOf(API)).toEqual([
        '301.025454545',
        [[purchase.id, 49.09, '301.025454545']],
        prices,
      ]);
      expect(await shareOf(WEB)).toEqual([
        '156.087272727',
        [[purchase.id, 25.45, '156.087272727']],
        prices,
      ]);
      // the system and the team that own api see api's part
      expect((await shareOf('system:default/store'))[0]).toBe('301.025454545');
      expect((await shareOf('group:default/team-a'))[0]).toBe('301.025454545');

      // dismissed (by an admin: it is unallocated), it leaves every total
      await service.setState(
        purchase.id,
        { state: 'dismissed', reason: 'bought one last week' },
        'user:default/admin',
        today,
      );
      const api = await service.listForEntity(API, today);
      expect(api.totalMonthlySaving).toBe('0.000000000');
      expect(api.dismissed.map(t => [t.id, t.share?.monthlySaving])).toEqual([
        [purchase.id, '301.025454545'],
      ]);
      expect(
        (await service.listForOrganisation(100, today)).totalMonthlySaving,
      ).toBe('0.000000000');
    },
  );
});

describe('runRates', () => {
  const row = (resourceId: string, usageDate: string, billedNanos: bigint) => ({
    resourceId,
    usageDate,
    billedNanos,
  });
  const days = ['01', '02', '03', '04', '05', '06', '07', '08'].map(
    d => `2026-11-${d}`,
  );

  it('divides the cost of the last days with facts by their hours, rounding half up', () => {
    const rows = [
      // a day before the window, then 84 a day: 588 / 168 h = 3.5 -> 4
      row('a', days[0], 1_000_000n),
      ...days.slice(1).map(d => row('a', d, 84n)),
      // appeared on the second day of the window: 6000 / 144 h = 41.67 -> 42
      ...days.slice(2).map(d => row('b', d, 1000n)),
      // a credit: none
      ...days.slice(1).map(d => row('c', d, -24n)),
      // billed on 2 of the 7 days, stopped on the others: 336 / 168 h
      row('d', days[1], 168n),
      row('d', days[7], 168n),
      // billed before the window only: none
      row('e', days[0], 5n),
    ];
    expect(runRates(rows)).toEqual(
      new Map([
        ['a', 4n],
        ['b', 42n],
        ['d', 2n],
      ]),
    );
  });

  it('uses the days there are when fewer than seven', () => {
    expect(
      runRates([
        row('a', days[0], 47n),
        row('a', days[1], 1n),
        row('a', days[1], 0n),
      ]),
    ).toEqual(new Map([['a', 1n]])); // 48 / 48 h
    expect(runRates([])).toEqual(new Map());
  });
});

describe('allocationOf', () => {
  it('picks the entity with most cost, ignoring unallocated cost', () => {
    const rows = [
      { resourceId: 'a', usageDate: 'd1', entityRef: 'x', billedNanos: 5n },
      { resourceId: 'a', usageDate: 'd2', entityRef: 'y', billedNanos: 3n },
      { resourceId: 'a', usageDate: 'd3', entityRef: 'y', billedNanos: 3n },
      { resourceId: 'a', usageDate: 'd3', billedNanos: 100n },
      { resourceId: 'b', usageDate: 'd1', entityRef: 'z', billedNanos: 0n },
      { resourceId: 'b', usageDate: 'd1', entityRef: 'w', billedNanos: 0n },
      { resourceId: 'c', usageDate: 'd1', billedNanos: 9n },
    ];
    expect(allocationOf(rows)).toEqual(
      new Map([
        ['a', 'y'],
        ['b', 'w'], // a tie (a covered instance bills 0) goes to the smallest ref
      ]),
    );
  });
});
