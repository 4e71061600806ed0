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
import { DefaultComplianceService } from './DefaultComplianceService';

jest.setTimeout(120_000);

describe('DefaultComplianceService.everyEntityCompliance', () => {
  const databases = createTestDatabases();
  let billingDir: string;

  beforeAll(async () => {
    billingDir = await writeDemoBilling();
  });

  it.each(databases.eachSupportedId())(
    'answers for every entity of the demo what entityCompliance answers, on %p',
    async id => {
      const knex = await databases.init(id);
      const pipeline = await createPipeline(knex, await demoCatalog());
      await writeDemoInventory(new InventoryStore(knex));
      await ingestDemoBilling(pipeline.ingest, billingDir);
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
