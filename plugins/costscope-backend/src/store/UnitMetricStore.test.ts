import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from './migrations';
import { UnitMetricStore } from './UnitMetricStore';

jest.setTimeout(60_000);

const REF = 'component:default/checkout-api';

/** Makes the database refuse inserting a value for `day`, as a failing write would. */
async function refuseDay(knex: Knex, day: string) {
  if (knex.client.config.client === 'pg') {
    await knex.raw(`CREATE FUNCTION refuse_day() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'refused'; END; $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER refuse_day BEFORE INSERT ON costscope_unit_metrics
      FOR EACH ROW WHEN (NEW.day = '${day}') EXECUTE FUNCTION refuse_day()`);
  } else {
    await knex.raw(`CREATE TRIGGER refuse_day BEFORE INSERT ON costscope_unit_metrics
      WHEN NEW.day = '${day}' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
  }
}

describe('UnitMetricStore', () => {
  const databases = createTestDatabases();

  async function storeOn(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    await applyMigrations(knex);
    return { knex, store: new UnitMetricStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'stores values exactly and replaces a day sent again on %p',
    async id => {
      const { knex, store } = await storeOn(id);
      const big = 9_007_199_254_740_993_123n; // beyond 2^53
      expect(
        await store.upsert(
          [
            {
              entityRef: REF,
              metric: 'orders',
              day: '2026-03-01',
              valueNanos: 5n,
            },
            {
              entityRef: REF,
              metric: 'orders',
              day: '2026-03-02',
              valueNanos: big,
            },
            {
              entityRef: REF,
              metric: 'users',
              day: '2026-03-01',
              valueNanos: 7n,
            },
          ],
          'api',
          new Date('2026-03-03T00:00:00Z'),
        ),
      ).toBe(3);
      await store.upsert(
        [
          {
            entityRef: REF,
            metric: 'orders',
            day: '2026-03-01',
            valueNanos: 6n,
          },
        ],
        'file',
      );

      const values = await store.dailyValues(REF, 'orders', {
        from: '2026-03-01',
        to: '2026-03-31',
      });
      expect([...values]).toEqual([
        ['2026-03-01', 6n],
        ['2026-03-02', big],
      ]);
      expect(
        await store.dailyValues(REF, 'orders', {
          from: '2026-03-02',
          to: '2026-03-02',
        }),
      ).toEqual(new Map([['2026-03-02', big]]));
      expect(await store.metricsOf(REF)).toEqual(new Set(['orders', 'users']));
      expect(await store.metricsOf('component:default/other')).toEqual(
        new Set(),
      );
      const sources = await knex('costscope_unit_metrics')
        .where({ metric: 'orders' })
        .orderBy('day')
        .pluck('source');
      expect(sources).toEqual(['file', 'api']);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a value beyond BIGINT before writing on %p',
    async id => {
      const { knex, store } = await storeOn(id);
      const row = { entityRef: REF, metric: 'orders', day: '2026-03-01' };
      await expect(
        store.upsert(
          [
            { ...row, valueNanos: 1n },
            { ...row, day: '2026-03-02', valueNanos: 2n ** 63n },
          ],
          'api',
        ),
      ).rejects.toThrow(/orders value of .* on 2026-03-02 is beyond/);
      const [{ n }] = await knex('costscope_unit_metrics').count({ n: '*' });
      expect(Number(n)).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores nothing when one row of a batch fails on %p',
    async id => {
      const { knex, store } = await storeOn(id);
      const rows = Array.from({ length: 250 }, (_, i) => ({
        entityRef: REF,
        metric: 'orders',
        day: `d${i}`,
        valueNanos: 1n,
      }));
      // A trigger refuses the last chunk's last row: the first two chunks, already written,
      // must be rolled back with it.
      await refuseDay(knex, 'd249');
      const outcome = await store.upsert(rows, 'api').then(
        stored => `stored ${stored}`,
        error => `failed: ${error.message}`,
      );
      expect(outcome).toMatch(/^failed: .*refused/);
      const [{ n }] = await knex('costscope_unit_metrics').count({ n: '*' });
      expect(Number(n)).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds the topmost reporters below an entity and sums their values exactly on %p',
    async id => {
      const { knex, store } = await storeOn(id);
      // team owns system store (components api, web) and batch; other owns pay.
      const ancestors: Array<[string, string[]]> = [
        ['group:default/team', []],
        ['system:default/store', ['group:default/team']],
        [
          'component:default/api',
          ['system:default/store', 'group:default/team'],
        ],
        [
          'component:default/web',
          ['system:default/store', 'group:default/team'],
        ],
        ['component:default/batch', ['group:default/team']],
        ['component:default/pay', ['group:default/other']],
      ];
      await knex('costscope_entity_ancestors').insert(
        ancestors.flatMap(([ref, above]) =>
          [ref, ...above].map(ancestor => ({
            entity_ref: ref,
            ancestor_ref: ancestor,
          })),
        ),
      );
      const big = 9_007_199_254_740_993_123n; // beyond 2^53
      const row = (ref: string, metric: string, day: string, v: bigint) => ({
        entityRef: `component:default/${ref}`,
        metric,
        day,
        valueNanos: v,
      });
      await store.upsert(
        [
          row('api', 'orders', '2026-03-01', big),
          row('api', 'orders', '2026-03-02', 1n),
          row('web', 'orders', '2026-03-01', 2n),
          row('pay', 'orders', '2026-03-01', 4n),
          row('api', 'streams', '2026-03-01', 30n),
          {
            entityRef: 'system:default/store',
            metric: 'streams',
            day: '2026-03-01',
            valueNanos: 100n,
          },
        ],
        'api',
      );
      const team = await store.reportersBelow('group:default/team');
      expect(Object.fromEntries(team)).toEqual({
        orders: ['component:default/api', 'component:default/web'],
        // api's streams are in store's already.
        streams: ['system:default/store'],
      });
      expect(
        Object.fromEntries(await store.reportersBelow('component:default/api')),
      ).toEqual({
        orders: ['component:default/api'],
        streams: ['component:default/api'],
      });
      expect((await store.reportersBelow('component:default/batch')).size).toBe(
        0,
      );
      const sums = await store.dailyValuesOf(team.get('orders')!, 'orders', {
        from: '2026-03-01',
        to: '2026-03-31',
      });
      expect(sums).toEqual(
        new Map([
          ['2026-03-01', big + 2n],
          ['2026-03-02', 1n],
        ]),
      );
    },
  );
});
