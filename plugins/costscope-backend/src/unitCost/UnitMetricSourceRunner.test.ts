import { mockServices } from '@backstage/backend-test-utils';
import { UnitMetricSource } from '@costscope/backstage-plugin-node';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyMigrations } from '../store/migrations';
import { UnitMetricStore } from '../store/UnitMetricStore';
import { UnitMetricSourceRunner } from './UnitMetricSourceRunner';

jest.setTimeout(60_000);

const REF = 'component:default/checkout-api';
const NOW = new Date('2026-03-10T08:00:00Z');

describe('UnitMetricSourceRunner', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'asks for the last 35 complete days and stores the good samples under the source id on %p',
    async id => {
      const knex = await databases.init(id);
      await applyMigrations(knex);
      const read = jest.fn(async () => [
        {
          entityRef: 'Component:default/Checkout-API',
          metric: 'orders',
          date: '2026-03-09',
          value: '4.2e3',
        },
        { entityRef: REF, metric: 'orders', date: '2026-02-03', value: '7' },
        // Left out: a metric not configured, today (incomplete), before the range, negative, not a number.
        { entityRef: REF, metric: 'streams', date: '2026-03-09', value: '1' },
        { entityRef: REF, metric: 'orders', date: '2026-03-10', value: '1' },
        { entityRef: REF, metric: 'orders', date: '2026-02-02', value: '1' },
        { entityRef: REF, metric: 'orders', date: '2026-03-08', value: '-1' },
        { entityRef: REF, metric: 'orders', date: '2026-03-07', value: 'NaN' },
      ]);
      const source: UnitMetricSource = { id: 'prometheus', read };
      const logger = mockServices.logger.mock();
      const runner = new UnitMetricSourceRunner({
        sources: [source],
        metrics: ['orders'],
        store: new UnitMetricStore(knex),
        loadEntities: async () => [{ entityRef: REF, annotations: {} }],
        logger,
      });
      expect(await runner.run(source, NOW)).toBe(2);
      expect(read).toHaveBeenCalledWith(
        expect.objectContaining({
          from: '2026-02-03',
          to: '2026-03-09',
          metrics: ['orders'],
          entities: [{ entityRef: REF, annotations: {} }],
        }),
      );
      const rows = await knex('costscope_unit_metrics')
        .orderBy('day')
        .select(
          'entity_ref',
          'day',
          'source',
          knex.raw('CAST(value_nanos AS TEXT) as v'),
        );
      expect(rows).toEqual([
        {
          entity_ref: REF,
          day: '2026-02-03',
          source: 'prometheus',
          v: '7000000000',
        },
        {
          entity_ref: REF,
          day: '2026-03-09',
          source: 'prometheus',
          v: '4200000000000',
        },
      ]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'left out 5 of 7 values of unit metric source prometheus',
        ),
      );
    },
  );

  it('refuses source ids used twice or reserved', () => {
    const options = {
      metrics: ['orders'],
      store: {} as UnitMetricStore,
      loadEntities: async () => [],
      logger: mockServices.logger.mock(),
    };
    const source = (sourceId: string) => ({
      id: sourceId,
      read: async () => [],
    });
    expect(
      () =>
        new UnitMetricSourceRunner({
          ...options,
          sources: [source('p'), source('p')],
        }),
    ).toThrow("'p' is used twice or reserved");
    expect(
      () =>
        new UnitMetricSourceRunner({ ...options, sources: [source('api')] }),
    ).toThrow("'api' is used twice or reserved");
  });
});
