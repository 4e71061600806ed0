import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigReader } from '@backstage/config';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  FakeOpenCost,
  startFakeOpenCost,
} from '../../../../test/fake-opencost';
import { AllocationOutcome } from '../allocation/AllocationEngine';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { KubernetesStore } from '../store/KubernetesStore';
import { writeDemoBilling } from '../__testUtils__/demoBilling';
import { createTestDatabases } from '../__testUtils__/databases';
import { demoCatalog, EXAMPLES } from '../__testUtils__/demoCatalog';
import { createPipeline } from '../__testUtils__/pipeline';
import { checkRollupInvariants } from '../__testUtils__/rollupInvariants';
import { KubernetesSplitter } from './KubernetesSplitter';
import { readKubernetesConfig } from './readKubernetesConfig';

/** These tests compare with the bill's `BilledCost`. */
const BILLED_USD = { currency: 'USD', costBasis: 'billed' } as const;

jest.setTimeout(180_000);

/** The demo's cluster config as `npm start` reads it, pointed at this test's fake OpenCost. */
async function demoClusters(url: string) {
  const appConfig = parse(
    await fs.readFile(path.join(EXAMPLES, '../app-config.yaml'), 'utf8'),
  );
  for (const cluster of appConfig.costscope.kubernetes.clusters)
    cluster.opencost.url = url;
  return readKubernetesConfig(new ConfigReader(appConfig)).clusters;
}

const sums = (knex: any, table: string) =>
  knex(table).first(
    knex.raw('CAST(SUM(billed_nanos) AS TEXT) as billed'),
    knex.raw('CAST(SUM(effective_nanos) AS TEXT) as effective'),
  );

describe('the demo cluster (npm start)', () => {
  const databases = createTestDatabases();
  let billingDir: string;
  let fake: FakeOpenCost;

  beforeAll(async () => {
    billingDir = await writeDemoBilling();
    fake = await startFakeOpenCost(); // the demo cluster, as scripts/start.sh serves it
  });
  afterAll(() => fake.close());

  it.each(databases.eachSupportedId())(
    'splits k8s-platform over the demo components, the total unchanged, on %p',
    async id => {
      const knex = await databases.init(id);
      const clusters = await demoClusters(fake.url);
      const pipeline = await createPipeline(knex, await demoCatalog(), {
        kubernetes: ({ runs, logger }) =>
          new KubernetesSplitter({
            clusters,
            store: new KubernetesStore(knex),
            logger,
            runs,
          }),
      });
      const outcomes: AllocationOutcome[] = [];
      const allocate = pipeline.allocation.run.bind(pipeline.allocation);
      pipeline.allocation.run = async options => {
        outcomes.push(await allocate(options));
        return outcomes[outcomes.length - 1];
      };
      const run = await pipeline.ingest.run(
        new FocusFileSource({
          id: 'demo-aws',
          paths: [path.join(billingDir, 'aws')],
          currency: 'USD',
        }),
        'manual',
      );
      expect(run.status).toBe('succeeded');

      const [report] = outcomes[outcomes.length - 1].kubernetes!;
      expect(report.error).toBeUndefined();
      expect(report.daysWithoutData).toEqual([]);
      expect(report.daysSplit.length).toBeGreaterThan(300);
      // A year of a cluster is read a week at a time, not in one answer.
      const windows = fake
        .requestLog()
        .filter(r => r.path === '/allocation/compute')
        .map(r => r.query.window.split(',').map(t => Date.parse(t)));
      expect(windows.length).toBeGreaterThanOrEqual(
        Math.ceil(report.daysSplit.length / 7),
      );
      for (const [start, end] of windows)
        expect(end - start).toBeLessThanOrEqual(7 * 86_400_000);

      // Nothing counted twice, nothing lost: the organisation's total is the bill's, on both
      // bases, and the parts are exactly the four us-east-1 nodes' cost.
      const facts = await sums(knex, 'costscope_cost_facts');
      const org = await knex('costscope_rollup_daily')
        .where({ entity_ref: '*' })
        .first(
          knex.raw('CAST(SUM(billed_nanos) AS TEXT) as billed'),
          knex.raw('CAST(SUM(effective_nanos) AS TEXT) as effective'),
        );
      expect(org).toEqual(facts);
      const nodes = await knex('costscope_cost_facts')
        .whereIn('resource_id', clusters[0].nodes.resourceIdPrefixes)
        .first(
          knex.raw('CAST(SUM(billed_nanos) AS TEXT) as billed'),
          knex.raw('CAST(SUM(effective_nanos) AS TEXT) as effective'),
        );
      expect(await sums(knex, 'costscope_k8s_parts')).toEqual(nodes);
      expect((await checkRollupInvariants(knex)).mismatches).toEqual([]);

      // checkout-api's Cost tab: its Kubernetes share by namespace and workload, and why.
      const range = { from: '2026-10-01', to: '2026-10-31' };
      const checkout = 'component:default/checkout-api';
      const byWorkload = await pipeline.queries.series(
        checkout,
        range,
        'workload',
        BILLED_USD,
      );
      expect(byWorkload.keys).toContain('checkout/checkout-api');
      const summary = await pipeline.queries.summary(
        checkout,
        range,
        BILLED_USD,
      );
      const rule = summary.mappingRules.find(r => r.origin === 'kubernetes');
      expect(rule?.rule).toMatch(/k8s-platform-prod/);
      expect(Number(rule?.cost)).toBeGreaterThan(0);
      // event-pipeline is matched by namespace and label selector.
      const events = await pipeline.queries.summary(
        'component:default/event-pipeline',
        range,
        BILLED_USD,
      );
      expect(
        events.mappingRules.some(
          r => r.origin === 'kubernetes' && Number(r.cost) > 0,
        ),
      ).toBe(true);
      // k8s-platform keeps idle and kube-system, and its eu-west-1 nodes (another cluster).
      const platform = await pipeline.queries.series(
        'component:default/k8s-platform',
        range,
        'workload',
        BILLED_USD,
      );
      expect(platform.keys).toEqual(
        expect.arrayContaining(['idle', 'system', '(not Kubernetes)']),
      );
    },
  );
});
