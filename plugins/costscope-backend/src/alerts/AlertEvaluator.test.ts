import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { CostAlert } from '@costscope/backstage-plugin-common';
import { toSnapshot } from '../allocation/catalogSnapshot';
import { BudgetService } from '../budgets/BudgetService';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { BudgetStore } from '../store/BudgetStore';
import { SpendQueries } from '../store/SpendQueries';
import { createTestDatabases } from '../__testUtils__/databases';
import { demoCatalog } from '../__testUtils__/demoCatalog';
import { createPipeline } from '../__testUtils__/pipeline';
import { AlertDelivery } from './AlertDelivery';
import { AlertEvaluator } from './AlertEvaluator';

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');

jest.setTimeout(180_000);

const END_DATE = '2026-11-22';

/** Records what it was given; the alerts it saw are the ones delivered. */
class RecordingDelivery implements AlertDelivery {
  readonly name = 'recording';
  readonly delivered: Array<{ alert: CostAlert; recipients: string[] }> = [];
  async deliver(alert: CostAlert, recipients: string[]) {
    this.delivered.push({ alert, recipients });
  }
}

describe('alerts on the demo organisation', () => {
  const databases = createTestDatabases();
  let billingDir: string;

  beforeAll(async () => {
    billingDir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-alerts-'));
    // Three months: enough history for baselines, quick to ingest.
    generateDemoBilling({ outDir: billingDir, endDate: END_DATE, months: 3 });
  });

  it.each(databases.eachSupportedId())(
    'finds the demo spike and nothing else, fires each alert once across two instances, on %p',
    async id => {
      const knex = await databases.init(id);
      const catalog = await demoCatalog();
      const pipeline = await createPipeline(knex, catalog);
      const run = await pipeline.ingest.run(
        new FocusFileSource({
          id: 'demo-aws',
          paths: [path.join(billingDir, 'aws')],
          currency: 'USD',
        }),
        'manual',
      );
      expect(run.status).toBe('succeeded');

      const snapshots = new Map(
        catalog.map(entity => {
          const snapshot = toSnapshot(entity);
          return [snapshot.ref, snapshot];
        }),
      );
      const store = new BudgetStore(knex);
      await store.putBudget(
        'group:default/payments-squad',
        {
          amount: '1000',
          period: 'monthly',
          currency: 'USD',
          thresholds: [
            { kind: 'actual', percent: 50 },
            { kind: 'actual', percent: 100 },
            { kind: 'forecast', percent: 100 },
          ],
          recipients: [],
        },
        'user:default/farah.haddad',
        '2026-11-01T09:00:00.000Z',
      );

      // Two backend instances evaluating at once, as after a shared ingest.
      const instance = () => {
        const delivery = new RecordingDelivery();
        const spend = new SpendQueries(knex);
        const directory = {
          getEntity: async (ref: string) => snapshots.get(ref),
          listEntitiesWithBudgetAnnotations: async () => [],
        };
        const evaluator = new AlertEvaluator({
          budgets: new BudgetService({
            store,
            spend,
            directory,
            configured: new Map(),
            currency: async () => 'USD',
            costBasis: 'billed',
            now: () => new Date('2026-11-23T08:00:00Z'),
          }),
          spend,
          store,
          costBasis: 'billed',
          deliveries: [delivery],
          logger: mockServices.logger.mock(),
          anomalies: {
            enabled: true,
            kinds: ['component'],
            lookbackDays: 14,
            options: {
              sensitivity: 4,
              minHistoryDays: 14,
              minAbsoluteChange: 10_000_000_000n,
            },
          },
          currency: async () => 'USD',
          getEntity: directory.getEntity,
          now: () => new Date('2026-11-23T08:00:00Z'),
        });
        return { evaluator, delivery };
      };
      const [first, second] = [instance(), instance()];
      const [firedA, firedB] = await Promise.all([
        first.evaluator.evaluate(),
        second.evaluator.evaluate(),
      ]);
      const fired = [...firedA, ...firedB];

      const anomalies = fired.filter(alert => alert.kind === 'anomaly');
      expect(
        anomalies.map(alert => [alert.entityRef, alert.period]).sort(),
      ).toEqual([
        ['component:default/fraud-detector', '2026-11-10'],
        ['component:default/fraud-detector', '2026-11-11'],
        ['component:default/fraud-detector', '2026-11-12'],
      ]);
      const spike = anomalies.find(alert => alert.period === '2026-11-10')!;
      expect(spike.drivers[0].serviceName).toBe('Amazon Elastic Compute Cloud');
      expect(
        spike.drivers
          .filter(driver => driver.resourceId)
          .every(driver => driver.resourceId!.startsWith('i-')),
      ).toBe(true);
      expect(spike.title).toBe('Unusual spend on fraud-detector on 2026-11-10');

      const budget = fired.filter(alert => alert.kind === 'budget');
      expect(budget.length).toBeGreaterThan(0);
      expect(
        budget.every(a => a.entityRef === 'group:default/payments-squad'),
      ).toBe(true);

      // Each alert went out once, through exactly one of the instances, to the owners.
      const delivered = [
        ...first.delivery.delivered,
        ...second.delivery.delivered,
      ];
      expect(delivered.map(d => d.alert.id).sort()).toEqual(
        fired.map(alert => alert.id).sort(),
      );
      expect(
        delivered.find(d => d.alert.kind === 'anomaly')!.recipients,
      ).toEqual(['group:default/payments-squad']);
      const stored = await store.listAlerts({ limit: 100 });
      expect(stored).toHaveLength(fired.length);
      expect(
        stored.every(alert => alert.deliveredTo.includes('recording')),
      ).toBe(true);

      // A later run finds everything stored already.
      expect(await first.evaluator.evaluate()).toEqual([]);
    },
  );
});
