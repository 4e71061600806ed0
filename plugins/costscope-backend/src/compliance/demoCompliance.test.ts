import { toSnapshot } from '../allocation/catalogSnapshot';
import { ComplianceQueries } from '../store/ComplianceQueries';
import { InventoryStore } from '../store/InventoryStore';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  demoPolicy,
  ingestDemoBilling,
  writeDemoBilling,
  writeDemoInventory,
} from '../__testUtils__/demoBilling';
import { demoCatalog } from '../__testUtils__/demoCatalog';
import { createPipeline } from '../__testUtils__/pipeline';
import { DefaultComplianceService } from '../service/DefaultComplianceService';
import { chargebackLines, chargebackRules } from './chargeback';
import { summariseEntityCompliance } from './summarise';

jest.setTimeout(120_000);

describe('tag compliance and chargeback of the demo organisation', () => {
  const databases = createTestDatabases();
  let billingDir: string;

  beforeAll(async () => {
    billingDir = await writeDemoBilling();
  });

  /** The demo's catalog, inventory and bill, allocated. */
  async function demoIngested(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    const entities = await demoCatalog();
    const pipeline = await createPipeline(knex, entities);
    await writeDemoInventory(new InventoryStore(knex));
    await ingestDemoBilling(pipeline.ingest, billingDir);
    return { knex, entities };
  }

  it.each(databases.eachSupportedId())(
    'finds cart-service’s missing team tags, and charges back the whole bill on %p',
    async id => {
      const { knex, entities } = await demoIngested(id);
      const queries = new ComplianceQueries(knex);
      const range = { from: '2026-10-24', to: '2026-11-22' };
      const policy = await demoPolicy();
      const entityCompliance = async (entityRef: string) =>
        summariseEntityCompliance({
          entityRef,
          ...range,
          currency: 'USD',
          costBasis: 'billed',
          policy,
          resources: await queries.entityResources(entityRef, range, 'billed'),
        });
      // cart-service's resources carry `Service` (fine: keys ignore case) but no team.
      const cart = await entityCompliance('component:default/cart-service');
      // Only its cache cluster, of five resources, carries a team.
      expect(cart.resources).toEqual({ total: 5, compliant: 1 });
      expect(cart.nonCompliant[0].violations[0]).toMatchObject({
        key: 'team',
        problem: 'missing',
      });
      // checkout-api is tagged right.
      const api = await entityCompliance('component:default/checkout-api');
      expect(api.compliantShareByCount).toBe(1);
      // ci-runner-arm-1 got its team today: only env is missing now, and the card says
      // that billing data has not caught up.
      const ci = await entityCompliance('component:default/ci-runners');
      const arm = ci.nonCompliant.find(
        r => r.resourceName === 'ci-runner-arm-1',
      );
      expect(arm).toMatchObject({
        tagsUsed: 'inventory',
        violations: [{ key: 'env', problem: 'missing' }],
        disagreement: 'tag team added in inventory, not yet in billing data',
      });

      // Every month of the bill, charged to teams, shared or unallocated: exactly the bill,
      // on each basis.
      const year = { from: '2025-11-01', to: '2026-11-22' };
      for (const basis of ['billed', 'effective'] as const) {
        let charged = 0n;
        for await (const line of chargebackLines(
          queries.chargebackFacts(year, basis),
          chargebackRules({
            entities: entities.map(toSnapshot),
            by: 'costCenter',
            sharedEntities: [],
            sharedCost: 'proportional',
          }),
        )) {
          charged += line.costNanos;
        }
        expect({ basis, charged }).toEqual({
          basis,
          charged: await queries.billTotal(year, basis),
        });
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'answers everyEntityCompliance for every entity as entityCompliance does, on %p',
    async id => {
      const { knex } = await demoIngested(id);
      const service = new DefaultComplianceService({
        queries: new ComplianceQueries(knex),
        loadEntities: async () => [],
        policy: await demoPolicy(),
        chargeback: { sharedCost: 'own-line', sharedEntities: [] },
        currency: async () => 'USD',
        costBasis: 'billed',
      });
      const refs: string[] = (
        await knex('costscope_entities').select('entity_ref')
      ).map(row => row.entity_ref);
      let judged = 0;
      // A month, and a range whose resources changed tags (ci-runner-arm-1) on both bases.
      for (const query of [
        { from: '2026-10-01', to: '2026-10-31', costBasis: 'billed' as const },
        {
          from: '2026-09-15',
          to: '2026-11-22',
          costBasis: 'effective' as const,
        },
      ]) {
        const every = await service.everyEntityCompliance(query);
        for (const ref of refs) {
          const one = await service.entityCompliance(ref, query);
          expect({ ref, compliance: every(ref) }).toEqual({
            ref,
            compliance: one,
          });
          judged += one.resources.total;
        }
      }
      // Not every entity empty: the comparison judged resources.
      expect(refs.length).toBeGreaterThan(20);
      expect(judged).toBeGreaterThan(100);
    },
  );
});
