import { createTestDatabases } from '../__testUtils__/databases';
import {
  ingestDemoBilling,
  writeDemoBilling,
} from '../__testUtils__/demoBilling';
import { demoCatalog } from '../__testUtils__/demoCatalog';
import { createPipeline } from '../__testUtils__/pipeline';
import { KeptSummaryStore } from '../store/KeptSummaryStore';
import { ORG_REF } from '../store/AllocationStore';
import { SummaryKeeper } from './SummaryKeeper';

jest.setTimeout(180_000);

/** The day after the demo's last day: pages open on its last 30 days. */
const NOW = new Date('2026-11-23T08:00:00Z');
const OPENED_ON = { from: '2026-10-24', to: '2026-11-22' };

describe('summaries kept at rebuild time', () => {
  const databases = createTestDatabases();
  let billingDir: string;

  beforeAll(async () => {
    billingDir = await writeDemoBilling();
  });

  async function demoAllocated(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    const pipeline = await createPipeline(knex, await demoCatalog());
    for (const run of await ingestDemoBilling(pipeline.ingest, billingDir)) {
      expect(run.status).toBe('succeeded');
    }
    const store = new KeptSummaryStore(knex);
    const keeper = (costBasis: 'billed' | 'effective' | 'list') =>
      new SummaryKeeper({
        store,
        queries: pipeline.queries,
        costBasis,
        currency: 'USD',
        now: () => NOW,
      });
    return { knex, pipeline, store, keeper };
  }

  it.each(databases.eachSupportedId())(
    'answers any entity’s summary of a range from the organisation’s rollup as the live read does, on %p',
    async id => {
      const { pipeline, store, keeper } = await demoAllocated(id);
      const refs = await store.entityRefs();
      let withCost = 0;
      for (const [costBasis, range] of [
        ['billed', { from: '2026-10-01', to: '2026-10-31' }],
        ['effective', { from: '2026-09-15', to: '2026-11-22' }],
        ['list', OPENED_ON],
      ] as const) {
        const summaryOf = await keeper(costBasis).everyEntitySummary(range);
        for (const ref of refs) {
          const live = await pipeline.queries.summary(ref, range, {
            currency: 'USD',
            costBasis,
          });
          expect({ ref, body: summaryOf(ref) }).toEqual({ ref, body: live });
          if (live.total !== '0.000000000') withCost += 1;
        }
      }
      // Entities with cost were compared, not only empty ones.
      expect(withCost).toBeGreaterThan(refs.length);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps for every entity and basis the summary the live read gives, overlaps and unused rules included, on %p',
    async id => {
      const { pipeline, store, keeper } = await demoAllocated(id);
      const refs = await store.entityRefs();
      expect(refs.length).toBeGreaterThan(20);

      for (const costBasis of ['billed', 'effective', 'list'] as const) {
        const kept = await keeper(costBasis).compute(OPENED_ON);
        expect(kept.map(summary => summary.entityRef)).toEqual(refs);
        for (const summary of kept) {
          const live = await pipeline.queries.summary(
            summary.entityRef,
            OPENED_ON,
            { currency: 'USD', costBasis },
          );
          expect({
            ref: summary.entityRef,
            body: JSON.parse(summary.body.text()),
          }).toEqual({ ref: summary.entityRef, body: live });
        }
        // The demo exercises every part: cost, previous cost, overlaps and rules without cost.
        const bodies = kept.map(summary => JSON.parse(summary.body.text()));
        expect(bodies.some(body => body.overlaps.length > 0)).toBe(true);
        expect(bodies.some(body => body.previous.total !== '0.000000000')).toBe(
          true,
        );
        expect(
          bodies.some(body =>
            body.mappingRules.some(
              (rule: { cost: string }) => rule.cost === '0.000000000',
            ),
          ),
        ).toBe(true);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the range pages open on once per rollup version and day, and a rebuild drops them, on %p',
    async id => {
      const { pipeline, store, keeper } = await demoAllocated(id);
      const effective = keeper('effective');

      const first = await effective.refresh();
      expect(first).toMatchObject({
        range: OPENED_ON,
        costBasis: 'effective',
        entities: (await store.entityRefs()).length,
      });
      const ref = 'component:default/checkout-api';
      const body = await store.read(ref, 'effective', OPENED_ON);
      expect(JSON.parse(body!.text()).total).not.toBe('0.000000000');
      expect(await store.read(ref, 'billed', OPENED_ON)).toBeUndefined();
      expect(
        await store.read(ref, 'effective', { ...OPENED_ON, to: '2026-11-21' }),
      ).toBeUndefined();
      expect(await store.read(ORG_REF, 'effective', OPENED_ON)).toBeUndefined();

      // Same rollups, same day: nothing to do.
      expect(await effective.refresh()).toBeUndefined();

      // A rebuild gives the rollups a new version and drops what was kept of the old ones.
      await pipeline.allocation.run({ force: true });
      expect(await store.read(ref, 'effective', OPENED_ON)).toBeUndefined();
      expect(await effective.refresh()).toMatchObject({ range: OPENED_ON });
      expect((await store.read(ref, 'effective', OPENED_ON))?.text()).toBe(
        body!.text(),
      );

      // The next day pages open on the next range.
      const nextDay = new SummaryKeeper({
        store,
        queries: pipeline.queries,
        costBasis: 'effective',
        currency: 'USD',
        now: () => new Date('2026-11-24T00:30:00Z'),
      });
      expect(await nextDay.refresh()).toMatchObject({
        range: { from: '2026-10-25', to: '2026-11-23' },
      });
      expect(await store.read(ref, 'effective', OPENED_ON)).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps nothing read from rollups that were rebuilt while it computed, on %p',
    async id => {
      const { pipeline, store, keeper } = await demoAllocated(id);
      const version = await store.rollupVersion();
      const summaries = await keeper('effective').compute(OPENED_ON);
      await pipeline.allocation.run({ force: true });
      expect(await store.replace(version!, summaries)).toBe(false);
      expect(await store.keptRange()).toBeUndefined();
      expect(
        await store.replace((await store.rollupVersion())!, summaries),
      ).toBe(true);
      expect(await store.keptRange()).toMatchObject({ range: OPENED_ON });
    },
  );
});
