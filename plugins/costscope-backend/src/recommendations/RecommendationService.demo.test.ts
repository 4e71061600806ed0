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
      expect(refreshed.recommendations).toBeGreaterThan(10);

      const org = await service.listForOrganisation(1000, END);
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

      // One Savings Plan purchase for the demo payer instead of a tip per instance, checked
      // against the generated CSVs with Python's Decimal: eligible usage (EC2 instances,
      // ECS/Fargate, Lambda, not covered) of the 30 complete days 2026-10-23..2026-11-21
      // sums to 52657.006280453; the lowest day, Sunday 2026-11-08, to 1409.242889521 (a
      // floor of 58.718453730 an hour). The 10 rightsizing tips save 4876.193829063 a month,
      // 6.679717574 an hour; covered 52.038736155982..., x 0.72 = 37.467890032 an hour,
      // x 0.28 x 730 = 10636.717670283 a month.
      const purchases = org.items.filter(
        t => t.kind === 'savings-plan-purchase',
      );
      expect(purchases).toHaveLength(1);
      const [purchase] = purchases;
      expect(purchase.entityRef).toBeUndefined();
      expect(purchase).toMatchObject({
        id: 'savings-plan-purchase:aws:999988887777',
        monthlySaving: '10636.717670283',
        savingsPlan: {
          scope: 'payer',
          payerAccountId: '999988887777',
          lookbackDays: 30,
          window: { from: '2026-10-23', to: '2026-11-21' },
          eligibleOnDemandCost: '52657.006280453',
          hourlyOnDemandFloor: '58.718453730',
          hourlyRightsizingSaving: '6.679717574',
          hourlyOnDemandCovered: '52.038736156',
          hourlyCommitment: '37.467890032',
          termMonths: 12,
          upfrontPercent: 0,
          expectedUtilizationPercent: 100,
          // 52.038736156 x 720 / 52657.006280453
          expectedCoveragePercent: 71.15,
          breakEvenMonth: 1,
        },
      });
      // No dollar counted twice: sized after every rightsizing tip of the payer's instances,
      // and no resource has two tips left.
      const rightsizing = org.items
        .filter(t =>
          [
            'idle-instance',
            'overprovisioned-instance',
            'office-hours-schedule',
          ].includes(t.kind),
        )
        .map(t => t.id)
        .sort();
      expect(rightsizing).toHaveLength(10);
      expect(purchase.savingsPlan!.sizedAfter).toEqual(rightsizing);
      const resources = org.items.map(t => t.resourceId);
      expect(new Set(resources).size).toBe(resources.length);

      // Each entity sees its share: checkout-api's eligible usage (its nodes off the plan, ECS)
      // is 7864.682357949 of 52657.006280453 (the CSVs again): 14.94 %,
      // 10636.717670283 x 7864.682357949 / 52657.006280453 = 1588.666195006 a month.
      const checkoutApi = await service.listForEntity(
        'component:default/checkout-api',
        END,
      );
      const share = checkoutApi.items.find(t => t.id === purchase.id)?.share;
      expect(share).toEqual({
        entityRef: 'component:default/checkout-api',
        eligibleOnDemandCost: '7864.682357949',
        totalEligibleOnDemandCost: '52657.006280453',
        percent: 14.94,
        monthlySaving: '1588.666195006',
      });
      // its total counts the share, not the whole plan
      expect(moneyToNanos(checkoutApi.totalMonthlySaving)).toBe(
        checkoutApi.items.reduce(
          (sum, t) =>
            sum + moneyToNanos(t.share?.monthlySaving ?? t.monthlySaving),
          0n,
        ),
      );
      // A team sees the sum of its parts' shares (platform-team's own NAT gateway is not
      // eligible): k8s-platform 10417.7664 (the CSVs) + ci-runners + observability.
      const partOf = async (ref: string) =>
        moneyToNanos(
          (await service.listForEntity(ref, END)).items.find(
            t => t.id === purchase.id,
          )?.share?.eligibleOnDemandCost ?? '0',
        );
      expect(await partOf('component:default/k8s-platform')).toBe(
        moneyToNanos('10417.7664'),
      );
      expect(await partOf('group:default/platform-team')).toBe(
        (await partOf('component:default/k8s-platform')) +
          (await partOf('component:default/ci-runners')) +
          (await partOf('component:default/observability')),
      );
      // an entity without eligible usage has no share
      expect(
        (
          await service.listForEntity('component:default/legacy-reports', END)
        ).items.filter(t => t.id === purchase.id),
      ).toEqual([]);

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
