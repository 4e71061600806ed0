import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { moneyToNanos } from '@costscope/backstage-plugin-common';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { InventoryStore } from '../store/InventoryStore';
import { PriceStore } from '../store/PriceStore';
import { RecommendationStore } from '../store/RecommendationStore';
import { createTestDatabases } from '../__testUtils__/databases';
import { demoCatalog } from '../__testUtils__/demoCatalog';
import { createPipeline } from '../__testUtils__/pipeline';
import { DEFAULT_RECOMMENDATIONS_CONFIG } from './recommendationsConfig';
import { PriceCache, PriceFileSource } from './PriceCache';
import { RecommendationService } from './RecommendationService';
import { demoInventoryWithUtilisation } from './__testUtils__/demoInventory';

// The demo generator is plain CommonJS in examples/, shared with `npm start`.
const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');
const {
  demoPricesText,
  DEMO_PRICES_FILE,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/prices/generate.js');

jest.setTimeout(180_000);

const END = '2026-11-22';
// the instances a Compute Savings Plan covers in the demo billing (examples/README.md, mess 5)
const COVERED = [
  'i-0e4aab4ef02a1c8f1',
  'i-0ae2a30469b25003f',
  'i-0a0b06afc93e2cc48',
  'i-09bb5fc8822298daa',
  'i-0afd4d04b435d5d3e',
];

describe('the demo prices file', () => {
  it('is what examples/prices/generate.js writes from the fake Price List data', async () => {
    expect(await fs.readFile(DEMO_PRICES_FILE, 'utf8')).toBe(demoPricesText());
  });
});

describe('recommendations of the demo organisation', () => {
  const databases = createTestDatabases();
  let billingDir: string;

  beforeAll(async () => {
    billingDir = await fs.mkdtemp(path.join(os.tmpdir(), 'costscope-demo-'));
    generateDemoBilling({ outDir: billingDir, endDate: END });
  });

  it.each(databases.eachSupportedId())(
    'are allocated like the cost of their resources on %p',
    async id => {
      const knex = await databases.init(id);
      const pipeline = await createPipeline(knex, await demoCatalog());
      const run = await pipeline.ingest.run(
        new FocusFileSource({
          id: 'demo-aws',
          paths: [path.join(billingDir, 'aws')],
          currency: 'USD',
        }),
        'manual',
      );
      expect(run.status).toBe('succeeded');
      const inventory = new InventoryStore(knex);
      await inventory.replaceSnapshot(
        'demo-inventory',
        demoInventoryWithUtilisation(END),
        `${END}T00:00:00.000Z`,
      );
      // Prices as the demo gets them: the prices file, through the price cache.
      const prices = new PriceCache({
        store: new PriceStore(knex),
        sources: [new PriceFileSource(DEMO_PRICES_FILE)],
        inventoryRegions: async () => new Map(),
        logger: mockServices.logger.mock(),
      });
      expect((await prices.refreshAll())[0]).toMatchObject({
        status: 'succeeded',
      });
      const service = new RecommendationService({
        store: new RecommendationStore(knex),
        inventory,
        config: DEFAULT_RECOMMENDATIONS_CONFIG,
        currency: async () => 'USD',
        prices: currency => prices.table(currency),
        logger: mockServices.logger.mock(),
        now: () => new Date(`${END}T00:00:00Z`),
      });
      const refreshed = await service.refresh();
      expect(refreshed.recommendations).toBeGreaterThan(20);

      const org = await service.listForOrganisation(1000, END);
      expect(org.items).toHaveLength(refreshed.recommendations);
      const named = (name: string, kind: string) =>
        org.items.find(t => t.resourceName === name && t.kind === kind);

      // By the rules of their cost: convention, annotation with a project tag, nothing.
      expect(
        named('checkout-api-staging', 'office-hours-schedule'),
      ).toMatchObject({ entityRef: 'component:default/checkout-api' });
      const notebook = named('fraud-ml-notebook', 'idle-instance');
      expect(notebook).toMatchObject({
        entityRef: 'component:default/fraud-detector',
        // billed on weekdays only: cheaper than its hourly price around the clock
        priceSource: 'billing',
      });
      expect(moneyToNanos(notebook!.monthlySaving)).toBeLessThan(
        moneyToNanos('734.38'), // g5.xlarge x 730 h
      );
      expect(named('legacy-jumphost', 'idle-instance')).toMatchObject({
        priceSource: 'billing',
        monthlySaving: '30.368000000', // t3.medium billed 0.0416 an hour
      });
      expect(
        named('legacy-jumphost', 'idle-instance')?.entityRef,
      ).toBeUndefined();

      // No dollar counted twice: where a resource has several tips, each but its first is
      // priced after another tip of the same resource, and says which.
      const byResource = new Map<string, typeof org.items>();
      for (const tip of org.items) {
        byResource.set(tip.resourceId, [
          ...(byResource.get(tip.resourceId) ?? []),
          tip,
        ]);
      }
      const stacked = [...byResource.values()].filter(tips => tips.length > 1);
      expect(stacked.length).toBeGreaterThan(0);
      for (const tips of stacked) {
        const ids = new Set(tips.map(t => t.id));
        const firsts = tips.filter(t => !t.countedAfter);
        expect(firsts.map(t => t.kind)).toEqual(['overprovisioned-instance']);
        for (const tip of tips.filter(t => t.countedAfter)) {
          expect(ids.has(tip.countedAfter!)).toBe(true);
        }
      }

      // A covered instance bills 0: its recommendations would save no cash while the plan runs.
      expect(org.items.filter(t => COVERED.includes(t.resourceId))).toEqual([]);

      // Each recommendation is in its entity's list, and in its team's.
      const squad = await service.listForEntity(
        'group:default/checkout-squad',
        END,
      );
      expect(squad.items.map(t => t.resourceName)).toContain(
        'checkout-api-staging',
      );
      const fraud = await service.listForEntity(
        'component:default/fraud-detector',
        END,
      );
      expect(fraud.skipped?.map(s => [s.resourceName, s.code])).toEqual([
        ['fraud-gpu-1', 'accelerated'],
        ['fraud-gpu-2', 'accelerated'],
      ]);

      // The entities' own recommendations and the unallocated ones partition the organisation's
      // total.
      let sum = 0n;
      const refs = new Set(org.items.map(t => t.entityRef ?? ''));
      for (const ref of refs) {
        const own = ref
          ? (await service.listForEntity(ref, END)).items.filter(
              t => t.entityRef === ref,
            )
          : org.items.filter(t => !t.entityRef);
        expect(own.length).toBe(
          org.items.filter(t => (t.entityRef ?? '') === ref).length,
        );
        sum += own.reduce((s, t) => s + moneyToNanos(t.monthlySaving), 0n);
      }
      expect(sum).toBe(moneyToNanos(org.totalMonthlySaving));
    },
  );
});
