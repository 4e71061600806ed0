import { gzipSync } from 'node:zlib';
import { toSnapshot } from '../allocation/catalogSnapshot';
import { GzippedJson, jsonTextOf } from '../lib/gzippedJson';
import { DefaultComplianceService } from '../service/DefaultComplianceService';
import { ComplianceQueries } from '../store/ComplianceQueries';
import { InventoryStore } from '../store/InventoryStore';
import { KeptReportStore } from '../store/KeptReportStore';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  demoPolicy,
  ingestDemoBilling,
  writeDemoBilling,
  writeDemoInventory,
} from '../__testUtils__/demoBilling';
import { demoCatalog } from '../__testUtils__/demoCatalog';
import { createPipeline } from '../__testUtils__/pipeline';
import { ReportKeeper } from './ReportKeeper';
import { TagPolicy } from './tagPolicy';

jest.setTimeout(180_000);

/** The day after the demo's last day: the Costscope page opens on its last 30 days. */
const NOW = new Date('2026-11-23T08:00:00Z');
const OPENED_ON = { from: '2026-10-24', to: '2026-11-22' };
const QUERY = { ...OPENED_ON, costBasis: 'effective' as const };

describe('organisation reports kept at rebuild time', () => {
  const databases = createTestDatabases();
  let billingDir: string;

  beforeAll(async () => {
    billingDir = await writeDemoBilling();
  });

  async function demoAllocated(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    const entities = await demoCatalog();
    const pipeline = await createPipeline(knex, entities);
    const inventory = new InventoryStore(knex);
    await writeDemoInventory(inventory);
    for (const run of await ingestDemoBilling(pipeline.ingest, billingDir)) {
      expect(run.status).toBe('succeeded');
    }
    const store = new KeptReportStore(knex);
    const policy = await demoPolicy();
    const service = (options: { kept: boolean; policy?: TagPolicy }) =>
      new DefaultComplianceService({
        queries: new ComplianceQueries(knex),
        loadEntities: async () => entities.map(toSnapshot),
        policy: options.policy ?? policy,
        chargeback: { sharedCost: 'own-line', sharedEntities: [] },
        currency: async () => 'USD',
        costBasis: 'effective',
        ...(options.kept ? { keptReports: store } : {}),
      });
    const live = service({ kept: false });
    const keeper = new ReportKeeper({
      store,
      compliance: live,
      costBasis: 'effective',
      now: () => NOW,
    });
    return { knex, pipeline, inventory, store, service, live, keeper };
  }

  it.each(databases.eachSupportedId())(
    'serves the live compliance and chargeback from one kept row, and only for the range, basis and configuration kept, on %p',
    async id => {
      const { knex, store, service, live, keeper } = await demoAllocated(id);
      const outcomes = await keeper.refresh();
      expect(outcomes.map(outcome => outcome.report)).toEqual([
        'compliance',
        'chargeback-group',
      ]);
      expect(outcomes[0]).toMatchObject({
        range: OPENED_ON,
        costBasis: 'effective',
      });

      const kept = service({ kept: true });
      const compliance = jsonTextOf(
        await kept.organisationComplianceJson(QUERY),
      );
      expect(JSON.parse(compliance)).toEqual(
        await live.organisationCompliance(QUERY),
      );
      // The demo's report is not trivial: resources judged, some failing the policy.
      expect(JSON.parse(compliance).resources.total).toBeGreaterThan(10);
      const chargeback = jsonTextOf(await kept.chargebackJson(QUERY, 'group'));
      expect(JSON.parse(chargeback)).toEqual(
        await live.chargeback(QUERY, 'group'),
      );

      // Served from the row: a marked body shows it is the kept one that was read.
      await knex('costscope_kept_reports')
        .where({ report: 'compliance' })
        .update({ body_gzip: gzipSync('{"kept":true}') });
      expect(jsonTextOf(await kept.organisationComplianceJson(QUERY))).toBe(
        '{"kept":true}',
      );
      expect(
        jsonTextOf(await kept.organisationComplianceJson({ ...OPENED_ON })),
      ).toBe('{"kept":true}');
      // Another basis, range, owner kind, a restricted caller or another policy: live.
      const elsewhere = [
        await kept.organisationComplianceJson({
          ...QUERY,
          costBasis: 'billed',
        }),
        await kept.organisationComplianceJson({
          ...QUERY,
          to: '2026-11-21',
        }),
        await kept.organisationComplianceJson(QUERY, {
          key: 'restricted',
          hidden: async () => new Set(['component:default/checkout-api']),
        }),
        await service({
          kept: true,
          policy: { ...(await demoPolicy()), keyCaseInsensitive: false },
        }).organisationComplianceJson(QUERY),
      ];
      for (const body of elsewhere) {
        expect(jsonTextOf(body)).not.toBe('{"kept":true}');
      }
      expect(
        JSON.parse(jsonTextOf(await kept.chargebackJson(QUERY, 'costCenter'))),
      ).toEqual(await live.chargeback(QUERY, 'costCenter'));
      expect(
        (
          await store.read({
            report: 'compliance',
            range: OPENED_ON,
            costBasis: 'effective',
            inputsKey: live.inputsKey,
          })
        )?.text(),
      ).toBe('{"kept":true}');
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps once per rollups, inventory and day; a rebuild drops every report, a new inventory snapshot the compliance, on %p',
    async id => {
      const { pipeline, inventory, store, keeper, live } = await demoAllocated(
        id,
      );
      const key = (report: 'compliance' | 'chargeback-group') => ({
        report,
        range: OPENED_ON,
        costBasis: 'effective' as const,
        inputsKey: live.inputsKey,
      });
      expect(await keeper.refresh()).toHaveLength(2);
      expect(await keeper.refresh()).toEqual([]);

      // New tags arrive: the compliance read them, the chargeback did not.
      await writeDemoInventory(inventory, '2026-11-23T06:00:00Z');
      expect(await store.read(key('compliance'))).toBeUndefined();
      expect(await store.read(key('chargeback-group'))).toBeDefined();
      expect((await keeper.refresh()).map(outcome => outcome.report)).toEqual([
        'compliance',
      ]);

      await pipeline.allocation.run({ force: true });
      expect(await store.read(key('compliance'))).toBeUndefined();
      expect(await store.read(key('chargeback-group'))).toBeUndefined();
      expect(await keeper.refresh()).toHaveLength(2);

      const nextDay = new ReportKeeper({
        store,
        compliance: live,
        costBasis: 'effective',
        now: () => new Date('2026-11-24T00:30:00Z'),
      });
      expect(await nextDay.refresh()).toHaveLength(2);
      expect(await store.read(key('compliance'))).toBeUndefined();
      expect(
        await store.read({
          ...key('compliance'),
          range: { from: '2026-10-25', to: '2026-11-23' },
        }),
      ).toBeDefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps no report of data replaced while it was computed, on %p',
    async id => {
      const { pipeline, inventory, store, live } = await demoAllocated(id);
      const key = {
        report: 'compliance' as const,
        range: OPENED_ON,
        costBasis: 'effective' as const,
        inputsKey: live.inputsKey,
      };
      const body = await GzippedJson.of(
        JSON.stringify(await live.organisationCompliance(QUERY)),
      );

      const beforeRebuild = await store.versions();
      await pipeline.allocation.run({ force: true });
      expect(await store.replace(key, beforeRebuild, body)).toBe(false);

      const beforeInventory = await store.versions();
      await writeDemoInventory(inventory, '2026-11-23T06:00:00Z');
      expect(await store.replace(key, beforeInventory, body)).toBe(false);
      // The chargeback reads no inventory: a new snapshot does not make it stale.
      expect(
        await store.replace(
          { ...key, report: 'chargeback-group' },
          beforeInventory,
          await GzippedJson.of('{}'),
        ),
      ).toBe(true);
      expect(await store.read(key)).toBeUndefined();

      expect(await store.replace(key, await store.versions(), body)).toBe(true);
      expect((await store.read(key))?.text()).toBe(body.text());
    },
  );
});
