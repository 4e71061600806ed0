import { Knex } from 'knex';
import { moneyToNanos } from '@costscope/backstage-plugin-common';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  FakeOpenCost,
  FakeOpenCostCluster,
  FakeOpenCostFaultKind,
  startFakeOpenCost,
} from '../../../../test/fake-opencost';
import { AllocationOutcome } from '../allocation/AllocationEngine';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { KubernetesStore } from '../store/KubernetesStore';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { focusCsv, FocusRow, writeFocusDir } from '../__testUtils__/focus';
import { createPipeline } from '../__testUtils__/pipeline';
import { checkRollupInvariants } from '../__testUtils__/rollupInvariants';
import { KubernetesCostReader } from './KubernetesCostReader';
import { KubernetesSplitter } from './KubernetesSplitter';
import { OpenCostClient } from './OpenCostClient';
import { KubernetesClusterConfig } from './readKubernetesConfig';
import { DEFAULT_SYSTEM_NAMESPACES } from './splitClusterCost';

/** These tests compare with the bill's `BilledCost`. */
const BILLED_USD = { currency: 'USD', costBasis: 'billed' } as const;

jest.setTimeout(60_000);

const catalog = [
  entity('Group', 'platform-team', { type: 'team', children: [] }),
  entity('Group', 'shop-team', { type: 'team', children: [] }),
  entity('System', 'shop', { owner: 'shop-team' }),
  // Gets the node lines by the `service` tag convention, and the cluster's idle and system.
  entity('Component', 'k8s-platform', { owner: 'platform-team' }),
  entity(
    'Component',
    'checkout-api',
    { owner: 'shop-team', system: 'shop' },
    { 'backstage.io/kubernetes-id': 'checkout-api' },
  ),
  entity(
    'Component',
    'cart',
    { owner: 'shop-team', system: 'shop' },
    {
      'backstage.io/kubernetes-namespace': 'cart',
      'backstage.io/kubernetes-label-selector': 'app=cart',
    },
  ),
];

const nodeTags = { service: 'k8s-platform', 'eks:cluster-name': 'prod' };
const nodeRow = (
  day: string,
  cost: string,
  effective: string,
  resource: string,
  list = cost,
) => ({ day, cost, effective, list, resource, tags: nodeTags } as FocusRow);

// Day 1: two node lines, 100.000000001 billed, 70 effective and 140.000000003 list in all.
// Day 2: one node line.
// Day 3: a node line OpenCost has no data for. An unrelated line that must not move.
const marchRows: FocusRow[] = [
  nodeRow('2026-03-01', '60.000000001', '40', 'i-node-1', '84.000000002'),
  nodeRow('2026-03-01', '40', '30', 'i-node-2', '56.000000001'),
  nodeRow('2026-03-02', '9', '9', 'i-node-1'),
  nodeRow('2026-03-03', '5', '5', 'i-node-1'),
  {
    day: '2026-03-01',
    cost: '3',
    resource: 'bucket',
    tags: { service: 'checkout-api' },
  },
];

const w = (
  namespace: string,
  controller: string,
  cpuCost: string,
  labels: Record<string, string> = {},
) => ({ namespace, controller, labels, cpuCost, ramCost: '0' });

/**
 * Day 1 weights, 10 in all: checkout-api 4 (cpu 3 + ram 1), cart 2, an unlabelled tool 1,
 * kube-system 1, idle 2. Day 2: checkout-api 1 and idle 2. No day 3. Day 4: cart 1.
 */
const cluster = (): FakeOpenCostCluster => ({
  name: 'prod',
  days: [
    {
      day: '2026-03-01',
      workloads: [
        {
          ...w('shop', 'checkout-api', '3', {
            'backstage.io/kubernetes-id': 'checkout-api',
          }),
          ramCost: '1',
        },
        w('cart', 'cart', '2', { app: 'cart' }),
        w('tools', 'debug', '1'),
        w('kube-system', 'coredns', '1'),
      ],
      idle: { cpuCost: '2' },
    },
    {
      day: '2026-03-02',
      workloads: [
        w('shop', 'checkout-api', '1', {
          'backstage.io/kubernetes-id': 'checkout-api',
        }),
      ],
      idle: { cpuCost: '2' },
    },
    {
      // Not in the first bill: read when a later bill brings the day.
      day: '2026-03-04',
      workloads: [w('cart', 'cart', '1', { app: 'cart' })],
    },
  ],
});

function clusterConfig(
  url: string,
  policy: Partial<KubernetesClusterConfig['policy']> = {},
  extra: Partial<KubernetesClusterConfig> = {},
): KubernetesClusterConfig {
  return {
    name: 'prod',
    opencost: { url },
    nodes: {
      tags: [{ key: 'eks:cluster-name', value: 'prod' }],
      resourceIdPrefixes: [],
    },
    policy: {
      idle: 'owner',
      systemTo: 'owner',
      systemNamespaces: DEFAULT_SYSTEM_NAMESPACES,
      ...policy,
    },
    owner: 'component:default/k8s-platform',
    ...extra,
  };
}

async function setUp(
  knex: Knex,
  fake: FakeOpenCost,
  policy: Partial<KubernetesClusterConfig['policy']> = {},
  extra: Partial<KubernetesClusterConfig> = {},
) {
  const pipeline = await createPipeline(knex, catalog, {
    kubernetes: ({ runs, logger }) =>
      new KubernetesSplitter({
        clusters: [clusterConfig(fake.url, policy, extra)],
        store: new KubernetesStore(knex),
        logger,
        runs,
        // The real client, without its long backoff between retries.
        readerFor: c =>
          new OpenCostClient({
            cluster: c.name,
            baseUrl: c.opencost!.url,
            backoffMs: 1,
            maxAttempts: 2,
          }),
      }),
  });
  const outcomes: AllocationOutcome[] = [];
  const allocate = pipeline.allocation.run.bind(pipeline.allocation);
  pipeline.allocation.run = async options => {
    const outcome = await allocate(options);
    outcomes.push(outcome);
    return outcome;
  };
  /** Ingests the rows as the pipeline does (new facts, then a forced allocation): its outcome. */
  const ingest = async (rows: FocusRow[]) => {
    const dir = await writeFocusDir({ 'march.csv': focusCsv(rows) });
    const run = await pipeline.ingest.run(
      new FocusFileSource({ id: 'bill', paths: [dir], currency: 'USD' }),
      'manual',
    );
    expect(run.status).toBe('succeeded');
    return outcomes[outcomes.length - 1];
  };
  return { pipeline, ingest };
}

/** Parts per day and workload: `day workload -> [billed, effective, entity or null]`. */
async function partsByWorkload(knex: Knex) {
  const rows = await knex('costscope_k8s_parts as p')
    .leftJoin('costscope_alloc_rules as r', 'r.id', 'p.rule_id')
    .select(
      'p.usage_date',
      'p.workload',
      'r.entity_ref',
      knex.raw('CAST(p.billed_nanos AS TEXT) as billed'),
      knex.raw('CAST(p.effective_nanos AS TEXT) as effective'),
    )
    .orderBy(['p.usage_date', 'p.workload']);
  return Object.fromEntries(
    rows.map(r => [
      `${r.usage_date} ${r.workload}`,
      [BigInt(r.billed), BigInt(r.effective), r.entity_ref ?? null],
    ]),
  );
}

async function orgTotals(knex: Knex) {
  const row = await knex('costscope_rollup_daily')
    .where({ entity_ref: '*' })
    .first(
      knex.raw('CAST(SUM(billed_nanos) AS TEXT) as billed'),
      knex.raw('CAST(SUM(effective_nanos) AS TEXT) as effective'),
      knex.raw('CAST(SUM(list_nanos) AS TEXT) as list'),
    );
  return [BigInt(row.billed), BigInt(row.effective), BigInt(row.list)];
}

async function factTotals(knex: Knex) {
  const row = await knex('costscope_cost_facts').first(
    knex.raw('CAST(SUM(billed_nanos) AS TEXT) as billed'),
    knex.raw('CAST(SUM(effective_nanos) AS TEXT) as effective'),
    knex.raw('CAST(SUM(list_nanos) AS TEXT) as list'),
  );
  return [BigInt(row.billed), BigInt(row.effective), BigInt(row.list)];
}

async function direct(knex: Knex, ref: string, from: string, to: string) {
  const row = await knex('costscope_rollup_daily')
    .where({ entity_ref: ref })
    .whereBetween('usage_date', [from, to])
    .first(knex.raw('CAST(SUM(billed_nanos) AS TEXT) as billed'));
  return BigInt(row?.billed ?? '0');
}

/** A node line the bill split itself (FOCUS 1.3), to one pod with these tags. */
const podRow = (
  day: string,
  [cost, effective, list]: [string, string, string],
  pod: string,
  tags: Record<string, string>,
  resource = 'i-node-1',
): FocusRow => ({
  day,
  cost,
  effective,
  list,
  resource,
  tags: nodeTags,
  allocated: {
    method: 'AWS-EKS-SplitCost',
    resource: `arn:aws:eks:us-east-1:111122223333:pod/prod/${pod}`,
    name: pod,
    tags,
  },
});

/**
 * Day 1: i-node-1 split by the bill to four pods (checkout-api 30.000000001, cart 20,
 * coredns in kube-system 10, an unlabelled debug pod 5; effective 21, 14, 7, 5; list 42,
 * 28, 14, 5); i-node-2 not split (40, 30, 56.000000001), for OpenCost's ratios.
 * Day 2: only split lines (checkout-api 9). Day 3: an unsplit line OpenCost has no data for.
 */
const billSplitRows: FocusRow[] = [
  podRow('2026-03-01', ['30.000000001', '21', '42'], 'checkout-api-7d9f', {
    'aws:eks:namespace': 'shop',
    'aws:eks:workload-name': 'checkout-api',
    'backstage.io/kubernetes-id': 'checkout-api',
  }),
  podRow('2026-03-01', ['20', '14', '28'], 'cart-1', {
    'aws:eks:namespace': 'cart',
    'aws:eks:workload-name': 'cart',
    app: 'cart',
  }),
  podRow('2026-03-01', ['10', '7', '14'], 'coredns-1', {
    'aws:eks:namespace': 'kube-system',
    'aws:eks:workload-name': 'coredns',
  }),
  podRow('2026-03-01', ['5', '5', '5'], 'debug', {
    'aws:eks:namespace': 'tools',
  }),
  nodeRow('2026-03-01', '40', '30', 'i-node-2', '56.000000001'),
  podRow('2026-03-02', ['9', '9', '9'], 'checkout-api-7d9f', {
    'aws:eks:namespace': 'shop',
    'aws:eks:workload-name': 'checkout-api',
    'backstage.io/kubernetes-id': 'checkout-api',
  }),
  nodeRow('2026-03-03', '5', '5', 'i-node-1'),
  {
    day: '2026-03-01',
    cost: '3',
    resource: 'bucket',
    tags: { service: 'checkout-api' },
  },
];

/** Parts with their split: `day workload by -> [billed, effective, list, entity or null]`. */
async function partsBySplit(knex: Knex) {
  const rows = await knex('costscope_k8s_parts as p')
    .leftJoin('costscope_alloc_rules as r', 'r.id', 'p.rule_id')
    .select(
      'p.usage_date',
      'p.workload',
      'p.split_by',
      'r.entity_ref',
      knex.raw('CAST(p.billed_nanos AS TEXT) as billed'),
      knex.raw('CAST(p.effective_nanos AS TEXT) as effective'),
      knex.raw('CAST(p.list_nanos AS TEXT) as list'),
    );
  return Object.fromEntries(
    rows.map(r => [
      `${r.usage_date} ${r.workload} ${r.split_by}`,
      [
        BigInt(r.billed),
        BigInt(r.effective),
        BigInt(r.list),
        r.entity_ref ?? null,
      ],
    ]),
  );
}

describe('Kubernetes split in allocation', () => {
  const databases = createTestDatabases();
  let fake: FakeOpenCost;

  beforeAll(async () => {
    fake = await startFakeOpenCost({ clusters: [cluster()] });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  describe.each(databases.eachSupportedId())('on %p', id => {
    it('splits each cluster-day exactly, by hand', async () => {
      const knex = await databases.init(id);
      const { ingest, pipeline } = await setUp(knex, fake);
      const outcome = await ingest(marchRows);

      const checkout = 'component:default/checkout-api';
      const cart = 'component:default/cart';
      const owner = 'component:default/k8s-platform';
      // Day 1, billed 100000000001 over weights 4:2:1:1:2 (idle and system to the owner):
      // floors 40000000000, 20000000000, 10000000000, 10000000000, 20000000000; the one nano
      // left goes to the largest remainder (checkout-api's 0.4). Effective 70: 28, 14, 7, 7, 14.
      // Day 2, billed 9 over checkout-api 1 and idle 2: 3 and 6. Day 3 has no OpenCost data.
      expect(await partsByWorkload(knex)).toEqual({
        '2026-03-01 cart/cart': [20_000_000_000n, 14_000_000_000n, cart],
        '2026-03-01 idle': [20_000_000_000n, 14_000_000_000n, owner],
        '2026-03-01 shop/checkout-api': [
          40_000_000_001n,
          28_000_000_000n,
          checkout,
        ],
        '2026-03-01 system': [10_000_000_000n, 7_000_000_000n, owner],
        '2026-03-01 tools/debug': [10_000_000_000n, 7_000_000_000n, null],
        '2026-03-02 idle': [6_000_000_000n, 6_000_000_000n, owner],
        '2026-03-02 shop/checkout-api': [
          3_000_000_000n,
          3_000_000_000n,
          checkout,
        ],
      });
      expect(outcome.kubernetes).toEqual([
        {
          cluster: 'prod',
          daysSplit: ['2026-03-01', '2026-03-02'],
          daysWithoutData: ['2026-03-03'],
        },
      ]);

      // The organisation total is the bill's, on both bases; every level adds up.
      expect(await orgTotals(knex)).toEqual(await factTotals(knex));
      const { mismatches, allocated, unallocated, factsTotal } =
        await checkRollupInvariants(knex);
      expect(mismatches).toEqual([]);
      expect(allocated + unallocated).toBe(factsTotal);
      // The unlabelled workload is unallocated, keeping its namespace and controller.
      expect(unallocated).toBe(10_000_000_000n);
      const unallocatedRows = await knex('costscope_rollup_daily')
        .where({ entity_ref: '*' })
        .whereNull('rule_id')
        .select('k8s_cluster', 'k8s_namespace', 'k8s_workload');
      expect(unallocatedRows).toEqual([
        {
          k8s_cluster: 'prod',
          k8s_namespace: 'tools',
          k8s_workload: 'tools/debug',
        },
      ]);

      // Rollups: checkout-api has its share plus its own bucket; day 3 stays with the owner.
      expect(await direct(knex, checkout, '2026-03-01', '2026-03-31')).toBe(
        40_000_000_001n + 3_000_000_000n + 3_000_000_000n,
      );
      expect(
        await direct(knex, 'system:default/shop', '2026-03-01', '2026-03-31'),
      ).toBe(
        40_000_000_001n + 3_000_000_000n + 3_000_000_000n + 20_000_000_000n,
      );
      expect(await direct(knex, owner, '2026-03-03', '2026-03-03')).toBe(
        5_000_000_000n,
      );
      expect(await direct(knex, owner, '2026-03-01', '2026-03-02')).toBe(
        20_000_000_000n + 10_000_000_000n + 6_000_000_000n,
      );

      // The series by Kubernetes dimension: the parts keep cluster, namespace and workload.
      const { queries } = pipeline;
      const march = { from: '2026-03-01', to: '2026-03-03' };
      const byWorkload = await queries.series(
        checkout,
        march,
        'workload',
        BILLED_USD,
      );
      expect(byWorkload.keys).toEqual([
        'shop/checkout-api',
        '(not Kubernetes)',
      ]);
      expect(byWorkload.points.map(p => p.values)).toEqual([
        {
          'shop/checkout-api': '40.000000001',
          '(not Kubernetes)': '3.000000000',
        },
        { 'shop/checkout-api': '3.000000000' },
        {},
      ]);
      const ownerByNamespace = await queries.series(
        owner,
        march,
        'namespace',
        BILLED_USD,
      );
      expect(ownerByNamespace.points.map(p => p.values)).toEqual([
        { idle: '20.000000000', system: '10.000000000' },
        { idle: '6.000000000' },
        { '(not Kubernetes)': '5.000000000' },
      ]);
      const orgByCluster = await queries.series(
        '*',
        march,
        'cluster',
        BILLED_USD,
      );
      expect(orgByCluster.points.map(p => p.values)).toEqual([
        { prod: '100.000000001', '(not Kubernetes)': '3.000000000' },
        { prod: '9.000000000' },
        { '(not Kubernetes)': '5.000000000' },
      ]);

      // "Why is this cost yours": the summary names the Kubernetes rule and what it brought.
      const summary = await queries.summary(checkout, march, BILLED_USD);
      expect(summary.mappingRules).toEqual([
        {
          entityRef: checkout,
          origin: 'kubernetes',
          rule: expect.stringMatching(
            /^Kubernetes cluster prod: workloads labelled backstage.io\/kubernetes-id=checkout-api/,
          ),
          cost: '43.000000001',
        },
        {
          entityRef: checkout,
          origin: 'convention',
          rule: 'service=checkout-api',
          cost: '3.000000000',
        },
      ]);
      const ownerSummary = await queries.summary(owner, march, BILLED_USD);
      expect(
        ownerSummary.mappingRules.map(r => [r.origin, r.cost, r.rule]),
      ).toEqual([
        ['kubernetes', '36.000000000', expect.stringMatching(/idle capacity/)],
        ['convention', '5.000000000', 'service=k8s-platform'],
      ]);

      // The run record of the read says which day OpenCost had no data for.
      const runs = await knex('costscope_ingest_runs')
        .where({ source_id: 'kubernetes:prod' })
        .select('status', 'kind', 'inputs');
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        status: 'succeeded',
        kind: 'kubernetes',
      });
      expect(JSON.parse(runs[0].inputs)).toEqual([
        { name: '2026-03-01', status: 'read' },
        { name: '2026-03-02', status: 'read' },
        expect.objectContaining({ name: '2026-03-03', status: 'skipped' }),
      ]);
    });

    it("takes the bill's own split where it has one, OpenCost's ratios for the rest, by hand", async () => {
      const knex = await databases.init(id);
      const { ingest, pipeline } = await setUp(knex, fake);
      const outcome = await ingest(billSplitRows);

      const checkout = 'component:default/checkout-api';
      const cart = 'component:default/cart';
      const owner = 'component:default/k8s-platform';
      // The bill's split parts are its lines, matched by their pods' tags (kube-system to the
      // owner, the unlabelled pod unallocated). i-node-2 alone is split by OpenCost's day-1
      // weights 4:2:1:1:2: billed 40 -> 16, 8, 4, 4, 8; effective 30 -> 12, 6, 3, 3, 6;
      // list 56000000001 -> floors 22400000000 (remainder .4), 11200000000 (.2),
      // 5600000000 (.1), 5600000000 (.1), 11200000000 (.2), the nano left to checkout-api.
      // Day 2 is all the bill's; day 3 has no OpenCost data and stays with the node's tags.
      expect(await partsBySplit(knex)).toEqual({
        '2026-03-01 shop/checkout-api bill': [
          30_000_000_001n,
          21_000_000_000n,
          42_000_000_000n,
          checkout,
        ],
        '2026-03-01 cart/cart bill': [
          20_000_000_000n,
          14_000_000_000n,
          28_000_000_000n,
          cart,
        ],
        '2026-03-01 system bill': [
          10_000_000_000n,
          7_000_000_000n,
          14_000_000_000n,
          owner,
        ],
        '2026-03-01 tools/debug bill': [
          5_000_000_000n,
          5_000_000_000n,
          5_000_000_000n,
          null,
        ],
        '2026-03-01 shop/checkout-api opencost': [
          16_000_000_000n,
          12_000_000_000n,
          22_400_000_001n,
          checkout,
        ],
        '2026-03-01 cart/cart opencost': [
          8_000_000_000n,
          6_000_000_000n,
          11_200_000_000n,
          cart,
        ],
        '2026-03-01 tools/debug opencost': [
          4_000_000_000n,
          3_000_000_000n,
          5_600_000_000n,
          null,
        ],
        '2026-03-01 system opencost': [
          4_000_000_000n,
          3_000_000_000n,
          5_600_000_000n,
          owner,
        ],
        '2026-03-01 idle opencost': [
          8_000_000_000n,
          6_000_000_000n,
          11_200_000_000n,
          owner,
        ],
        '2026-03-02 shop/checkout-api bill': [
          9_000_000_000n,
          9_000_000_000n,
          9_000_000_000n,
          checkout,
        ],
      });
      // Day 2 has only the bill's split: OpenCost has nothing to split there.
      expect(outcome.kubernetes).toEqual([
        {
          cluster: 'prod',
          daysSplit: ['2026-03-01'],
          daysWithoutData: ['2026-03-03'],
        },
      ]);
      // The facts keep what the bill said of the split.
      expect(
        await knex('costscope_cost_facts')
          .where({ usage_date: '2026-03-02' })
          .select(
            'allocated_method_id',
            'allocated_resource_name',
            'allocated_tags',
          ),
      ).toEqual([
        {
          allocated_method_id: 'AWS-EKS-SplitCost',
          allocated_resource_name: 'checkout-api-7d9f',
          allocated_tags:
            '{"aws:eks:namespace":"shop","aws:eks:workload-name":"checkout-api","backstage.io/kubernetes-id":"checkout-api"}',
        },
      ]);

      // Nothing counted twice, nothing lost: on every basis, at every level.
      expect(await orgTotals(knex)).toEqual(await factTotals(knex));
      expect(await factTotals(knex)).toEqual([
        122_000_000_001n,
        94_000_000_000n,
        162_000_000_001n,
      ]);
      for (const basis of ['billed', 'effective', 'list'] as const) {
        const { mismatches, allocated, unallocated, factsTotal } =
          await checkRollupInvariants(knex, basis);
        expect(mismatches).toEqual([]);
        expect(allocated + unallocated).toBe(factsTotal);
      }
      expect((await checkRollupInvariants(knex)).unallocated).toBe(
        9_000_000_000n,
      );
      expect(await direct(knex, checkout, '2026-03-01', '2026-03-31')).toBe(
        30_000_000_001n + 9_000_000_000n + 16_000_000_000n + 3_000_000_000n,
      );
      expect(await direct(knex, owner, '2026-03-01', '2026-03-31')).toBe(
        10_000_000_000n + 4_000_000_000n + 8_000_000_000n + 5_000_000_000n,
      );

      // "Why is this cost yours": the bill's split is a rule of its own, naming its method.
      const march = { from: '2026-03-01', to: '2026-03-03' };
      const summary = await pipeline.queries.summary(
        checkout,
        march,
        BILLED_USD,
      );
      expect(summary.mappingRules).toEqual([
        {
          entityRef: checkout,
          origin: 'kubernetes',
          rule: 'Kubernetes cluster prod: workloads labelled backstage.io/kubernetes-id=checkout-api, split by the bill itself (AWS-EKS-SplitCost)',
          cost: '39.000000001',
        },
        {
          entityRef: checkout,
          origin: 'kubernetes',
          rule: expect.stringMatching(
            /^Kubernetes cluster prod: workloads labelled backstage.io\/kubernetes-id=checkout-api, split by OpenCost's/,
          ),
          cost: '16.000000000',
        },
        {
          entityRef: checkout,
          origin: 'convention',
          rule: 'service=checkout-api',
          cost: '3.000000000',
        },
      ]);
      const ownerSummary = await pipeline.queries.summary(
        owner,
        march,
        BILLED_USD,
      );
      expect(
        ownerSummary.mappingRules.map(r => [r.origin, r.cost, r.rule]),
      ).toEqual([
        ['kubernetes', '12.000000000', expect.stringMatching(/idle capacity/)],
        [
          'kubernetes',
          '10.000000000',
          "Kubernetes cluster prod: owner of the cluster's system namespaces (kube-system, kube-public, kube-node-lease), idle capacity (what the bill left unsplit of the nodes it split), split by the bill itself (AWS-EKS-SplitCost)",
        ],
        ['convention', '5.000000000', 'service=k8s-platform'],
      ]);

      // The route's answer: a line per split, the bill's marked and without OpenCost figures.
      const reader = new KubernetesCostReader(new KubernetesStore(knex), [
        clusterConfig(fake.url),
      ]);
      const answer = await reader.entity(checkout, march, BILLED_USD);
      expect(answer.total).toBe('55.000000001');
      expect(
        answer.workloads.map(l => [
          l.workload,
          l.namespace,
          l.splitBy,
          l.cost,
          l.resources,
        ]),
      ).toEqual([
        ['shop/checkout-api', 'shop', 'bill', '39.000000001', null],
        [
          'shop/checkout-api',
          'shop',
          'opencost',
          '16.000000000',
          { cpu: 0.75, ram: 0.25, gpu: 0, storage: 0 },
        ],
      ]);
      const split = (await reader.entity(owner, march, BILLED_USD)).clusters[0];
      expect(split.total).toBe('114.000000001');
      expect(
        split.parts
          .filter(p => p.splitBy === 'bill')
          .map(p => [p.workload, p.kind, p.entityRef ?? null, p.cost]),
      ).toEqual([
        ['shop/checkout-api', 'workload', checkout, '39.000000001'],
        ['cart/cart', 'workload', cart, '20.000000000'],
        ['system', 'system', owner, '10.000000000'],
        ['tools/debug', 'workload', null, '5.000000000'],
      ]);
    });

    it('does not ask OpenCost about a cluster whose bill splits all its node cost', async () => {
      const knex = await databases.init(id);
      const { ingest } = await setUp(knex, fake);
      const outcome = await ingest(
        billSplitRows.filter(
          row => row.allocated || !row.resource?.startsWith('i-'),
        ),
      );
      expect(fake.requestLog()).toEqual([]);
      expect(outcome.kubernetes).toEqual([
        { cluster: 'prod', daysSplit: [], daysWithoutData: [] },
      ]);
      expect(Object.keys(await partsBySplit(knex)).sort()).toEqual([
        '2026-03-01 cart/cart bill',
        '2026-03-01 shop/checkout-api bill',
        '2026-03-01 system bill',
        '2026-03-01 tools/debug bill',
        '2026-03-02 shop/checkout-api bill',
      ]);
      for (const basis of ['billed', 'effective', 'list'] as const) {
        expect((await checkRollupInvariants(knex, basis)).mismatches).toEqual(
          [],
        );
      }
      expect(await orgTotals(knex)).toEqual(await factTotals(knex));
    });

    it("takes the bill's split of a cluster without OpenCost, leaving the rest where the bill put it", async () => {
      const knex = await databases.init(id);
      const { ingest } = await setUp(knex, fake, {}, { opencost: undefined });
      const outcome = await ingest(billSplitRows);
      expect(fake.requestLog()).toEqual([]);
      expect(outcome.kubernetes).toEqual([
        {
          cluster: 'prod',
          daysSplit: [],
          daysWithoutData: ['2026-03-01', '2026-03-03'],
        },
      ]);
      expect(Object.keys(await partsBySplit(knex)).sort()).toEqual([
        '2026-03-01 cart/cart bill',
        '2026-03-01 shop/checkout-api bill',
        '2026-03-01 system bill',
        '2026-03-01 tools/debug bill',
        '2026-03-02 shop/checkout-api bill',
      ]);
      // i-node-2 (40) and day 3's line (5) stay with k8s-platform by their service tag.
      expect(
        await direct(
          knex,
          'component:default/k8s-platform',
          '2026-03-01',
          '2026-03-31',
        ),
      ).toBe(10_000_000_000n + 40_000_000_000n + 5_000_000_000n);
      for (const basis of ['billed', 'effective', 'list'] as const) {
        expect((await checkRollupInvariants(knex, basis)).mismatches).toEqual(
          [],
        );
      }
      expect(await orgTotals(knex)).toEqual(await factTotals(knex));
    });

    it("splits the cluster's volumes by OpenCost's pv weights alone, by hand", async () => {
      const knex = await databases.init(id);
      const volumeFake = await startFakeOpenCost({
        clusters: [
          {
            name: 'prod',
            days: [
              {
                day: '2026-03-05',
                workloads: [
                  {
                    ...w('shop', 'checkout-api', '3', {
                      'backstage.io/kubernetes-id': 'checkout-api',
                    }),
                    pvCost: '1',
                  },
                  { ...w('cart', 'cart', '1', { app: 'cart' }), pvCost: '3' },
                ],
                idle: { cpuCost: '4' },
              },
            ],
          },
        ],
      });
      try {
        const { ingest } = await setUp(
          knex,
          volumeFake,
          {},
          {
            volumes: {
              tags: [{ key: 'kubernetes.io/cluster/prod', value: 'owned' }],
              resourceIdPrefixes: [],
            },
          },
        );
        const outcome = await ingest([
          nodeRow('2026-03-05', '60', '60', 'i-node-1'),
          {
            day: '2026-03-05',
            cost: '8',
            resource: 'vol-1',
            service: 'Amazon Elastic Block Store',
            tags: {
              service: 'k8s-platform',
              'kubernetes.io/cluster/prod': 'owned',
            },
          },
        ]);
        expect(outcome.kubernetes?.[0].daysSplit).toEqual(['2026-03-05']);
        // Nodes, 60 over all weights 4 (checkout-api cpu 3 + pv 1), 4 (cart), 4 (idle):
        // 20 each. Volumes, 8 over pv weights 1 and 3 (idle has none): 2 and 6.
        const parts = await knex('costscope_k8s_parts as p')
          .leftJoin('costscope_alloc_rules as r', 'r.id', 'p.rule_id')
          .select(
            'p.split_resource',
            'p.workload',
            'p.service_name',
            'r.entity_ref',
            knex.raw('CAST(p.billed_nanos AS TEXT) as billed'),
          )
          .orderBy(['p.split_resource', 'p.workload']);
        expect(
          parts.map(p => [
            p.split_resource,
            p.workload,
            p.service_name,
            p.entity_ref,
            BigInt(p.billed),
          ]),
        ).toEqual([
          [
            'nodes',
            'cart/cart',
            'Amazon Elastic Compute Cloud',
            'component:default/cart',
            20_000_000_000n,
          ],
          [
            'nodes',
            'idle',
            'Amazon Elastic Compute Cloud',
            'component:default/k8s-platform',
            20_000_000_000n,
          ],
          [
            'nodes',
            'shop/checkout-api',
            'Amazon Elastic Compute Cloud',
            'component:default/checkout-api',
            20_000_000_000n,
          ],
          [
            'volumes',
            'cart/cart',
            'Amazon Elastic Block Store',
            'component:default/cart',
            6_000_000_000n,
          ],
          [
            'volumes',
            'idle',
            'Amazon Elastic Block Store',
            'component:default/k8s-platform',
            0n,
          ],
          [
            'volumes',
            'shop/checkout-api',
            'Amazon Elastic Block Store',
            'component:default/checkout-api',
            2_000_000_000n,
          ],
        ]);
        for (const basis of ['billed', 'effective', 'list'] as const) {
          expect((await checkRollupInvariants(knex, basis)).mismatches).toEqual(
            [],
          );
        }
        expect(await orgTotals(knex)).toEqual(await factTotals(knex));

        // The route: checkout-api's storage share holds its volume part and the pv share of
        // its node part: cpu 20 * 3/4 = 15 of 22, storage 20 * 1/4 + 2 = 7 of 22.
        const reader = new KubernetesCostReader(new KubernetesStore(knex), [
          clusterConfig(volumeFake.url),
        ]);
        const answer = await reader.entity(
          'component:default/checkout-api',
          { from: '2026-03-05', to: '2026-03-05' },
          BILLED_USD,
        );
        expect(
          answer.workloads.map(l => [l.workload, l.cost, l.resources]),
        ).toEqual([
          [
            'shop/checkout-api',
            '22.000000000',
            { cpu: 0.681818, ram: 0, gpu: 0, storage: 0.318181 },
          ],
        ]);
      } finally {
        await volumeFake.close();
      }
    });

    it('splits a day of more parts than one write batch exactly, each bill dimension by itself', async () => {
      const knex = await databases.init(id);
      // 1,203 workloads of equal weight: more parts than one batch of rows (500) and than one
      // SQLite statement (25), neither a multiple of them; two regions make two groups of the
      // day that share OpenCost's answer but split their own amounts.
      const count = 1203;
      const name = (i: number) => `w-${String(i).padStart(4, '0')}`;
      const wideFake = await startFakeOpenCost({
        clusters: [
          {
            name: 'prod',
            days: [
              {
                day: '2026-03-01',
                workloads: Array.from({ length: count }, (_, i) =>
                  w('wide', name(i), '1'),
                ),
              },
            ],
          },
        ],
      });
      try {
        const { ingest } = await setUp(knex, wideFake);
        const amounts = {
          'us-east-1': ['1000.000000007', '700.000001', '1400.000000013'],
          'eu-west-1': ['12.000001202', '0.000001201', '33'],
        } as const;
        const outcome = await ingest(
          Object.entries(amounts).map(([region, [cost, effective, list]]) => ({
            ...nodeRow('2026-03-01', cost, effective, `i-${region}`, list),
            region,
          })),
        );
        expect(outcome.kubernetes?.[0].daysSplit).toEqual(['2026-03-01']);

        const rows = await knex('costscope_k8s_parts')
          .select(
            'region',
            'workload',
            knex.raw('CAST(billed_nanos AS TEXT) as billed'),
            knex.raw('CAST(effective_nanos AS TEXT) as effective'),
            knex.raw('CAST(list_nanos AS TEXT) as list'),
          )
          .orderBy(['region', 'workload']);
        expect(rows).toHaveLength(2 * count);
        for (const [region, texts] of Object.entries(amounts)) {
          const parts = rows.filter(r => r.region === region);
          expect(parts.map(r => r.workload)).toEqual(
            Array.from({ length: count }, (_, i) => `wide/${name(i)}`),
          );
          (['billed', 'effective', 'list'] as const).forEach((basis, b) => {
            // Equal weights: every part gets total / count, and the nanos left over go one
            // each to the first workloads by name (equal remainders, ties by key).
            const total = moneyToNanos(texts[b]);
            const quota = total / BigInt(count);
            const left = Number(total % BigInt(count));
            expect(parts.map(r => BigInt(r[basis]))).toEqual(
              Array.from({ length: count }, (_, i) =>
                i < left ? quota + 1n : quota,
              ),
            );
            expect(parts.reduce((sum, r) => sum + BigInt(r[basis]), 0n)).toBe(
              total,
            );
          });
        }
        expect(await orgTotals(knex)).toEqual(await factTotals(knex));
        expect((await checkRollupInvariants(knex)).mismatches).toEqual([]);
      } finally {
        await wideFake.close();
      }
    });

    it("spreads the bill's own system and idle parts over the day's workloads when configured, by hand", async () => {
      const knex = await databases.init(id);
      const { ingest } = await setUp(knex, fake, {
        idle: 'spread',
        systemTo: 'spread',
      });
      // The bill's split of day 1 without i-node-2, and what it left unsplit of i-node-1 (its
      // idle part: 6.000000001 billed, 3 effective, 7 list).
      await ingest([
        ...billSplitRows.filter(row => row.resource !== 'i-node-2'),
        nodeRow('2026-03-01', '6.000000001', '3', 'i-node-1', '7'),
      ]);
      const checkout = 'component:default/checkout-api';
      const cart = 'component:default/cart';
      // Day 1 spreads system and idle over cart, checkout-api and debug by each basis's cost.
      // Billed 16000000001 over 20000000000, 30000000001 and 5000000000 (of 55000000001):
      // floors 5818181818, 8727272727, 1454545454 (remainders 24181818182, 52272727274,
      // 33545454546), the 2 nanos left to checkout-api and debug. Effective 10 over 14:21:5
      // (3.5, 5.25, 1.25) and list 21 over 28:42:5 (7.84, 11.76, 1.4), exact.
      expect(await partsBySplit(knex)).toEqual({
        '2026-03-01 cart/cart bill': [
          25_818_181_818n,
          17_500_000_000n,
          35_840_000_000n,
          cart,
        ],
        '2026-03-01 shop/checkout-api bill': [
          38_727_272_729n,
          26_250_000_000n,
          53_760_000_000n,
          checkout,
        ],
        '2026-03-01 tools/debug bill': [
          6_454_545_455n,
          6_250_000_000n,
          6_400_000_000n,
          null,
        ],
        '2026-03-02 shop/checkout-api bill': [
          9_000_000_000n,
          9_000_000_000n,
          9_000_000_000n,
          checkout,
        ],
      });
      expect(await direct(knex, checkout, '2026-03-01', '2026-03-31')).toBe(
        38_727_272_729n + 9_000_000_000n + 3_000_000_000n,
      );
      // Day 3's line is no node the bill split: OpenCost has no data, it stays by its tags.
      expect(
        await direct(
          knex,
          'component:default/k8s-platform',
          '2026-03-01',
          '2026-03-31',
        ),
      ).toBe(5_000_000_000n);
      for (const basis of ['billed', 'effective', 'list'] as const) {
        const { mismatches, allocated, unallocated, factsTotal } =
          await checkRollupInvariants(knex, basis);
        expect(mismatches).toEqual([]);
        expect(allocated + unallocated).toBe(factsTotal);
      }
      expect(await orgTotals(knex)).toEqual(await factTotals(knex));
    });

    it("keeps the bill's unsplit idle part of a split node with the owner by default", async () => {
      const knex = await databases.init(id);
      const { ingest } = await setUp(knex, fake, {}, { opencost: undefined });
      await ingest([
        ...billSplitRows.filter(row => row.resource !== 'i-node-2'),
        nodeRow('2026-03-01', '6.000000001', '3', 'i-node-1', '7'),
      ]);
      const parts = await partsBySplit(knex);
      expect(parts['2026-03-01 idle bill']).toEqual([
        6_000_000_001n,
        3_000_000_000n,
        7_000_000_000n,
        'component:default/k8s-platform',
      ]);
      expect(parts['2026-03-01 system bill']).toEqual([
        10_000_000_000n,
        7_000_000_000n,
        14_000_000_000n,
        'component:default/k8s-platform',
      ]);
      expect(parts['2026-03-01 shop/checkout-api bill'][0]).toBe(
        30_000_000_001n,
      );
      expect(await orgTotals(knex)).toEqual(await factTotals(knex));
      expect((await checkRollupInvariants(knex)).mismatches).toEqual([]);
    });

    it("keeps the bill's AllocatedMethodDetails with the split, a day's quantities summed, and names them in the rule", async () => {
      const knex = await databases.init(id);
      const { pipeline } = await setUp(knex, fake, {}, { opencost: undefined });
      const details = (cpu: string, memory: string) =>
        `{"Elements":[{"AllocatedRatio":0.3,"UsageUnit":"CPU","UsageQuantity":${cpu}},` +
        `{"AllocatedRatio":0.2,"UsageUnit":"Memory","UsageQuantity":${memory}}]}`;
      const checkoutTags = {
        'aws:eks:namespace': 'shop',
        'aws:eks:workload-name': 'checkout-api',
        'backstage.io/kubernetes-id': 'checkout-api',
      };
      const withDetails = (row: FocusRow, text: string): FocusRow => ({
        ...row,
        allocated: { ...row.allocated!, details: text },
      });
      const dir = await writeFocusDir({
        'march.csv': focusCsv([
          // Two lines (hours) of one pod and day: one fact, quantities summed.
          withDetails(
            podRow(
              '2026-03-01',
              ['1', '1', '1'],
              'checkout-api-7d9f',
              checkoutTags,
            ),
            details('0.5', '4'),
          ),
          withDetails(
            podRow(
              '2026-03-01',
              ['2', '2', '2'],
              'checkout-api-7d9f',
              checkoutTags,
            ),
            details('0.25', '2.000000000000000001'),
          ),
          // Malformed details: rejected, naming the column, and counted.
          withDetails(
            podRow('2026-03-01', ['7', '7', '7'], 'cart-1', { app: 'cart' }),
            '{"Elements":[',
          ),
        ]),
      });
      const run = await pipeline.ingest.run(
        new FocusFileSource({ id: 'bill', paths: [dir], currency: 'USD' }),
        'manual',
      );
      expect(run.status).toBe('succeeded');
      expect(run.rowsRejected).toBe(1);
      expect(run.rejections).toEqual([
        expect.objectContaining({
          reason: 'AllocatedMethodDetails is not valid JSON',
        }),
      ]);
      expect(
        await knex('costscope_cost_facts').select(
          'allocated_method_details',
          knex.raw('CAST(billed_nanos AS TEXT) as billed'),
        ),
      ).toEqual([
        {
          allocated_method_details:
            '{"Elements":[{"UsageUnit":"CPU","UsageQuantity":0.75},{"UsageUnit":"Memory","UsageQuantity":6.000000000000000001}]}',
          billed: '3000000000',
        },
      ]);
      const summary = await pipeline.queries.summary(
        'component:default/checkout-api',
        { from: '2026-03-01', to: '2026-03-01' },
        BILLED_USD,
      );
      expect(
        summary.mappingRules
          .filter(r => r.cost !== '0.000000000')
          .map(r => [r.rule, r.cost]),
      ).toEqual([
        [
          'Kubernetes cluster prod: workloads labelled backstage.io/kubernetes-id=checkout-api, split by the bill itself (AWS-EKS-SplitCost, by CPU and Memory usage)',
          '3.000000000',
        ],
      ]);
    });

    it('spreads idle and system over the workloads when configured', async () => {
      const knex = await databases.init(id);
      const { ingest } = await setUp(knex, fake, {
        idle: 'spread',
        systemTo: 'spread',
      });
      await ingest(marchRows);
      const parts = await partsByWorkload(knex);
      // Day 1, idle and kube-system spread: 100000000001 over checkout 4, cart 2, debug 1.
      expect(
        Object.keys(parts).filter(k => k.startsWith('2026-03-01')),
      ).toEqual([
        '2026-03-01 cart/cart',
        '2026-03-01 shop/checkout-api',
        '2026-03-01 tools/debug',
      ]);
      // Floors 57142857143 (remainder 3/7), 28571428571 (5/7), 14285714285 (6/7) leave 2
      // nanos, which go to the two largest remainders: debug and cart.
      expect(parts['2026-03-01 shop/checkout-api'][0]).toBe(57_142_857_143n);
      expect(parts['2026-03-01 cart/cart'][0]).toBe(28_571_428_572n);
      expect(parts['2026-03-01 tools/debug'][0]).toBe(14_285_714_286n);
      // Day 2: all of 9 to checkout-api, the only workload.
      expect(parts['2026-03-02 shop/checkout-api'][0]).toBe(9_000_000_000n);
      expect((await checkRollupInvariants(knex)).mismatches).toEqual([]);
      expect(await orgTotals(knex)).toEqual(await factTotals(knex));
    });

    it('rebuilds every rollup after an ingest under the same allocation: the split is not redone by day', async () => {
      const knex = await databases.init(id);
      const { ingest } = await setUp(knex, fake);
      await ingest(marchRows);
      const fingerprint = () =>
        knex('costscope_state')
          .where({ key: 'allocation_fingerprint' })
          .first('value');
      const before = await fingerprint();
      const outcome = await ingest(marchRows);
      expect(await fingerprint()).toEqual(before);
      expect(outcome.rollups).toEqual({ rebuilt: 'full' });
      expect((await checkRollupInvariants(knex)).mismatches).toEqual([]);
    });

    it.each<FakeOpenCostFaultKind>([
      'server-error',
      'malformed',
      'negative-cost',
      'future-window',
    ])(
      'a bad OpenCost answer (%s) fails the cluster and keeps the previous split',
      async kind => {
        const knex = await databases.init(id);
        const { ingest, pipeline } = await setUp(knex, fake);
        await ingest(marchRows);
        const before = await partsByWorkload(knex);

        // A new day in the bill needs a new read; OpenCost answers it badly.
        fake.injectFault({ kind, times: 2 });
        const outcome = await ingest([
          ...marchRows,
          nodeRow('2026-03-04', '8', '8', 'i-node-1'),
        ]);
        expect(outcome.kubernetes?.[0].error).toMatch(/cluster prod/);
        expect(outcome.kubernetes?.[0].daysSplit).toEqual([
          '2026-03-01',
          '2026-03-02',
        ]);
        expect(await partsByWorkload(knex)).toEqual(before);
        expect(await orgTotals(knex)).toEqual(await factTotals(knex));
        expect((await checkRollupInvariants(knex)).mismatches).toEqual([]);
        const failed = await knex('costscope_ingest_runs')
          .where({ source_id: 'kubernetes:prod', status: 'failed' })
          .select('error');
        expect(failed).toHaveLength(1);
        expect(failed[0].error).toMatch(/OpenCost of cluster prod/);

        // The scheduled catalog check does not ask a failing OpenCost again at once.
        const asked = fake.requestLog().length;
        await pipeline.allocation.run();
        expect(fake.requestLog()).toHaveLength(asked);

        // Once OpenCost answers again, the next ingest reads the day and splits it.
        fake.reset();
        const recovered = await ingest([
          ...marchRows,
          nodeRow('2026-03-04', '8', '8', 'i-node-1'),
        ]);
        expect(recovered.kubernetes?.[0].error).toBeUndefined();
        expect((await partsByWorkload(knex))['2026-03-04 cart/cart']).toEqual([
          8_000_000_000n,
          8_000_000_000n,
          'component:default/cart',
        ]);
      },
    );
  });
});
