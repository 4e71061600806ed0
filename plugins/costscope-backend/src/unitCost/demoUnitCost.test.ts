import fs from 'node:fs/promises';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { moneyToNanos } from '@costscope/backstage-plugin-common';
import { DefaultUnitCostService } from '../service/DefaultUnitCostService';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { SpendQueries } from '../store/SpendQueries';
import { UnitMetricStore } from '../store/UnitMetricStore';
import { writeDemoBilling } from '../__testUtils__/demoBilling';
import { createTestDatabases } from '../__testUtils__/databases';
import { demoCatalog } from '../__testUtils__/demoCatalog';
import { createPipeline } from '../__testUtils__/pipeline';
import { UnitMetricFileLoader } from './UnitMetricFileLoader';

jest.setTimeout(120_000);

const CHECKOUT = 'component:default/checkout-api';
const METRICS = [{ name: 'orders', unit: 'order' }];

describe("the demo's cost per order", () => {
  const databases = createTestDatabases();
  let billingDir: string;

  beforeAll(async () => {
    billingDir = await writeDemoBilling();
  });
  afterAll(async () => {
    await fs.rm(billingDir, { recursive: true, force: true });
  });

  it.each(databases.eachSupportedId())(
    'covers 13 months of checkout-api and falls as orders grow faster than cost on %p',
    async id => {
      const knex = await databases.init(id);
      const pipeline = await createPipeline(knex, await demoCatalog());
      await pipeline.ingest.run(
        new FocusFileSource({
          id: 'demo-aws',
          paths: [path.join(billingDir, 'aws')],
          currency: 'USD',
        }),
        'manual',
      );
      const store = new UnitMetricStore(knex);
      const loader = new UnitMetricFileLoader({
        file: {
          path: path.join(billingDir, 'metrics/orders.csv'),
          schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
        },
        metrics: METRICS,
        store,
        logger: mockServices.logger.mock(),
      });
      // 2025-11-01 to 2026-11-22: one value a day.
      expect(await loader.load(new Date('2026-11-23T06:00:00Z'))).toBe(387);

      const service = new DefaultUnitCostService({
        store,
        spend: new SpendQueries(knex),
        config: { metrics: METRICS, maxDaysPerRequest: 400 },
        entityExists: ref => pipeline.queries.entityExists(ref),
        currency: async () => 'USD',
        costBasis: 'effective',
      });
      const answer = await service.entityUnitCost(CHECKOUT, {
        from: '2025-11-01',
        to: '2026-11-22',
        granularity: 'month',
      });
      expect(answer).toMatchObject({
        metric: 'orders',
        unit: 'order',
        hasValues: true,
      });
      expect(answer.points).toHaveLength(13);
      const perOrder = answer.points.map(p => moneyToNanos(p.unitCost!));
      // Around $0.10 to $0.13 an order: plausible for a checkout service.
      for (const nanos of perOrder) {
        expect(nanos > 80_000_000n && nanos < 150_000_000n).toBe(true);
      }
      expect(perOrder[12] < perOrder[0]).toBe(true);
      // While spend grows.
      expect(
        moneyToNanos(answer.points[11].cost) >
          moneyToNanos(answer.points[0].cost),
      ).toBe(true);
    },
  );
});
