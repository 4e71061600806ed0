// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  FakeOpenCost,
  FakeOpenCostCluster,
  startFakeOpenCost,
} from '../../../../test/fake-opencost';
import { Knex } from 'knex';
import { FocusFileSource } from '../sources/focus/FocusFileSource';
import { KubernetesStore } from '../store/KubernetesStore';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { focusCsv, FocusRow, writeFocusDir } from '../__testUtils__/focus';
import { createPipeline } from '../__testUtils__/pipeline';
import { KubernetesCostReader } from './KubernetesCostReader';
import { KubernetesSplitter } from './KubernetesSplitter';
import { OpenCostClient } from './OpenCostClient';
import { KubernetesClusterConfig } from './readKubernetesConfig';
import { DEFAULT_SYSTEM_NAMESPACES } from './splitClusterCost';
import { kubernetesRequests } from '../recommendations/rules/kubernetesRequests';
import { recommendationsConfig } from '../recommendations/recommendationsConfig';
import { RecommendationService } from '../recommendations/RecommendationService';
import { testPriceTable } from '../recommendations/__testUtils__/prices';
import { InventoryStore } from '../store/InventoryStore';
import { RecommendationStore } from '../store/RecommendationStore';
import { mockServices } from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

const catalog = [
  entity('Group', 'platform-team', { type: 'team', children: [] }),
  entity('Group', 'shop-team', { type: 'team', children: [] }),
  entity('System', 'shop', { owner: 'shop-team' }),
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
    { 'backstage.io/kubernetes-id': 'cart' },
  ),
  entity(
    'Component',
    'search',
    { owner: 'shop-team' },
    { 'backstage.io/kubernetes-id': 'search' },
  ),
];

const node = (day: string): FocusRow => ({
  day,
  cost: '100',
  resource: 'i-node-1',
  tags: { service: 'k8s-platform', 'eks:cluster-name': 'prod' },
});
const id = (name: string) => ({ 'backstage.io/kubernetes-id': name });

/**
 * Two days of 100 each, weights 10 a day:
 * day 1: checkout-api cpu 3 ram 1, cart cpu 1 ram 1, search gpu 1 pv 1, kube-system cpu 1, idle cpu 1
 *        -> 40, 20, 20, 10, 10;
 * day 2: checkout-api cpu 1 ram 1, cart ram 2, search pv 2, kube-system ram 2, idle cpu 2
 *        -> 20, 20, 20, 20, 20.
 * checkout-api requests 2 cores and 1000 bytes both days, uses 0.5 then 0.3 cores, 300 then
 * 500 bytes; the others send no requests.
 */
const cluster = (): FakeOpenCostCluster => ({
  name: 'prod',
  days: [
    {
      day: '2026-03-01',
      workloads: [
        {
          namespace: 'shop',
          controller: 'checkout-api',
          labels: id('checkout-api'),
          cpuCost: '3',
          ramCost: '1',
          cpuCoreRequestAverage: 2,
          cpuCoreUsageAverage: 0.5,
          ramByteRequestAverage: 1000,
          ramByteUsageAverage: 300,
        },
        {
          namespace: 'shop',
          controller: 'cart',
          labels: id('cart'),
          cpuCost: '1',
          ramCost: '1',
        },
        {
          namespace: 'search',
          controller: 'search',
          labels: id('search'),
          cpuCost: '0',
          ramCost: '0',
          gpuCost: '1',
          pvCost: '1',
        },
        {
          namespace: 'kube-system',
          controller: 'coredns',
          cpuCost: '1',
          ramCost: '0',
        },
      ],
      idle: { cpuCost: '1' },
    },
    {
      day: '2026-03-02',
      workloads: [
        {
          namespace: 'shop',
          controller: 'checkout-api',
          labels: id('checkout-api'),
          cpuCost: '1',
          ramCost: '1',
          cpuCoreRequestAverage: 2,
          cpuCoreUsageAverage: 0.3,
          ramByteRequestAverage: 1000,
          ramByteUsageAverage: 500,
        },
        {
          namespace: 'shop',
          controller: 'cart',
          labels: id('cart'),
          cpuCost: '0',
          ramCost: '2',
        },
        {
          namespace: 'search',
          controller: 'search',
          labels: id('search'),
          cpuCost: '0',
          ramCost: '0',
          pvCost: '2',
        },
        {
          namespace: 'kube-system',
          controller: 'coredns',
          cpuCost: '0',
          ramCost: '2',
        },
      ],
      idle: { cpuCost: '2' },
    },
  ],
});

function clusterConfig(url: string): KubernetesClusterConfig {
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
    },
    owner: 'component:default/k8s-platform',
  };
}

/** A line of i-node-1 the bill split itself (FOCUS 1.3) to a pod with these tags. */
const pod = (
  day: string,
  cost: string,
  name: string,
  tags: Record<string, string>,
): FocusRow => ({
  ...node(day),
  cost,
  allocated: {
    method: 'AWS-EKS-SplitCost',
    resource: `arn:aws:eks:us-east-1:111122223333:pod/prod/${name}`,
    name,
    tags,
  },
});

/** Ingests the two days' bill (or these rows) with the split on: the reader of its parts. */
async function splitTwoDays(
  knex: Knex,
  fake: FakeOpenCost,
  rows: FocusRow[] = [node('2026-03-01'), node('2026-03-02')],
) {
  const config = clusterConfig(fake.url);
  const pipeline = await createPipeline(knex, catalog, {
    kubernetes: ({ runs, logger }) =>
      new KubernetesSplitter({
        clusters: [config],
        store: new KubernetesStore(knex),
        logger,
        runs,
        readerFor: c =>
          new OpenCostClient({
            cluster: c.name,
            baseUrl: c.opencost!.url,
            backoffMs: 1,
            maxAttempts: 2,
          }),
      }),
  });
  const dir = await writeFocusDir({
    'bill.csv': focusCsv(rows),
  });
  const run = await pipeline.ingest.run(
    new FocusFileSource({ id: 'bill', paths: [dir], currency: 'USD' }),
    'manual',
  );
  expect(run.status).toBe('succeeded');
  return new KubernetesCostReader(new KubernetesStore(knex), [config]);
}

const range = { from: '2026-03-01', to: '2026-03-02' };
const amounts = { currency: 'USD', costBasis: 'billed' } as const;
const hiding = (below: string[], organisation: string[]) => ({
  below: async () => new Set(below),
  organisation: async () => new Set(organisation),
});

describe('KubernetesCostReader', () => {
  const databases = createTestDatabases();
  let fake: FakeOpenCost;

  beforeAll(async () => {
    fake = await startFakeOpenCost({ clusters: [cluster()] });
  });
  afterAll(() => fake.close());

  describe.each(databases.eachSupportedId())('on %p', dbId => {
    it('gives a workload its cost, resource shares and efficiency, by hand', async () => {
      const reader = await splitTwoDays(await databases.init(dbId), fake);
      const answer = await reader.entity(
        'component:default/checkout-api',
        range,
        amounts,
      );
      // 40 + 20; cpu 40*3/4 + 20*1/2 = 40 of 60, ram 10 + 10 = 20 of 60.
      // Efficiency: cpu (0.5 + 0.3) / (2 + 2) = 0.2, ram (300 + 500) / 2000 = 0.4.
      expect(answer).toEqual({
        entityRef: 'component:default/checkout-api',
        ...amounts,
        ...range,
        total: '60.000000000',
        workloads: [
          {
            cluster: 'prod',
            workload: 'shop/checkout-api',
            kind: 'workload',
            namespace: 'shop',
            entityRef: 'component:default/checkout-api',
            splitBy: 'opencost',
            cost: '60.000000000',
            share: 1,
            resources: { cpu: 0.666666, ram: 0.333333, gpu: 0, storage: 0 },
            efficiency: { cpu: 0.2, ram: 0.4 },
          },
        ],
        clusters: [],
      });

      // search: gpu 10 of 40, pv 10 + 20 = 30 of 40; no requests.
      const search = await reader.entity(
        'component:default/search',
        range,
        amounts,
      );
      expect(search.workloads[0]).toMatchObject({
        cost: '40.000000000',
        resources: { cpu: 0, ram: 0, gpu: 0.25, storage: 0.75 },
        efficiency: { cpu: null, ram: null },
      });
    });

    it("shows the owner the whole cluster's split, summing to the bill's node cost", async () => {
      const reader = await splitTwoDays(await databases.init(dbId), fake);
      const answer = await reader.entity(
        'component:default/k8s-platform',
        range,
        amounts,
      );
      // Its own parts: idle 10 + 20, system 10 + 20.
      expect(answer.total).toBe('60.000000000');
      expect(answer.workloads.map(w => [w.workload, w.cost])).toEqual([
        ['idle', '30.000000000'],
        ['system', '30.000000000'],
      ]);
      expect(answer.clusters).toHaveLength(1);
      const split = answer.clusters[0];
      // The bill's node cost: 100 + 100.
      expect(split.total).toBe('200.000000000');
      expect(
        split.parts.map(p => [p.workload, p.kind, p.cost, p.share]),
      ).toEqual([
        ['shop/checkout-api', 'workload', '60.000000000', 0.3],
        ['search/search', 'workload', '40.000000000', 0.2],
        ['shop/cart', 'workload', '40.000000000', 0.2],
        ['idle', 'idle', '30.000000000', 0.15],
        ['system', 'system', '30.000000000', 0.15],
      ]);
      // system: cpu 10 (day 1) and ram 20 (day 2) of 30; idle is all cpu.
      expect(split.parts.find(p => p.kind === 'system')!.resources).toEqual({
        cpu: 0.333333,
        ram: 0.666666,
        gpu: 0,
        storage: 0,
      });
      expect(split.parts.find(p => p.kind === 'idle')!.resources).toEqual({
        cpu: 1,
        ram: 0,
        gpu: 0,
        storage: 0,
      });
    });

    it("shows a hidden entity's workloads as one not-visible line with their sum", async () => {
      const reader = await splitTwoDays(await databases.init(dbId), fake);
      const shop = await reader.entity(
        'system:default/shop',
        range,
        amounts,
        hiding(['component:default/cart'], []),
      );
      expect(shop.total).toBe('100.000000000');
      expect(shop.workloads.map(w => [w.cluster, w.workload, w.cost])).toEqual([
        ['prod', 'shop/checkout-api', '60.000000000'],
        ['', '(not visible to you)', '40.000000000'],
      ]);
      expect(shop.workloads[1]).toMatchObject({
        kind: 'not-visible',
        resources: null,
        efficiency: { cpu: null, ram: null },
      });
      expect(JSON.stringify(shop)).not.toContain('cart');

      const owner = await reader.entity(
        'component:default/k8s-platform',
        range,
        amounts,
        hiding([], ['component:default/cart', 'component:default/search']),
      );
      const split = owner.clusters[0];
      expect(split.total).toBe('200.000000000');
      expect(split.parts.map(p => [p.workload, p.cost])).toEqual([
        ['shop/checkout-api', '60.000000000'],
        ['idle', '30.000000000'],
        ['system', '30.000000000'],
        ['(not visible to you)', '80.000000000'],
      ]);
      expect(JSON.stringify(owner)).not.toMatch(/cart|search/);
    });

    it('tips lowering requests far above use, saving worked by hand', async () => {
      const reader = await splitTwoDays(await databases.init(dbId), fake);
      const lines = await reader.allWorkloads(range, 'billed');
      const tips = kubernetesRequests(lines, {
        config: recommendationsConfig({
          kubernetesRequests: { minimumDays: 2 },
        }),
        currency: 'USD',
      });
      // Only checkout-api sends requests. 60 over 2 days: 60 x 730 / 48 = 912.5 a month.
      // Unused: cpu share 2/3 x (1 - 0.2) + ram share 1/3 x (1 - 0.4) = 2.2/3, so
      // 912.5 x 2.2 / 3 = 669.1666666666..., rounded once to 669.166666667.
      expect(tips).toHaveLength(1);
      expect(tips[0]).toMatchObject({
        id: 'kubernetes-requests:prod/shop/checkout-api',
        kind: 'kubernetes-requests',
        entityRef: 'component:default/checkout-api',
        currentMonthlyCost: '912.500000000',
        monthlySaving: '669.166666667',
        evidence: {
          kubernetes: {
            cluster: 'prod',
            namespace: 'shop',
            days: 2,
            cpuUsagePercent: 20,
            ramUsagePercent: 40,
            cpuSharePercent: 66.67,
            ramSharePercent: 33.33,
          },
        },
      });
      // Ram at 40% of its request is not under a 40% threshold; 2 days are under 3.
      const none = (overrides: object) =>
        kubernetesRequests(lines, {
          config: recommendationsConfig({
            kubernetesRequests: { minimumDays: 2, ...overrides },
          }),
          currency: 'USD',
        });
      expect(none({ ramUsagePercent: 40 })).toEqual([]);
      expect(none({ minimumDays: 3 })).toEqual([]);
      expect(none({ enabled: false })).toEqual([]);
    });

    it("tips a bill-split workload by OpenCost's requests and use, priced from the bill's split, by hand", async () => {
      const checkout = {
        'aws:eks:namespace': 'shop',
        'aws:eks:workload-name': 'checkout-api',
        'backstage.io/kubernetes-id': 'checkout-api',
      };
      // i-node-1 split by the bill: checkout-api 30 a day; a pod OpenCost does not know
      // (tools/debug, 5 a day); i-node-2 (100 a day) by OpenCost's ratios as before.
      const reader = await splitTwoDays(await databases.init(dbId), fake, [
        pod('2026-03-01', '30', 'checkout-api-1', checkout),
        pod('2026-03-02', '30', 'checkout-api-1', checkout),
        pod('2026-03-01', '5', 'debug', { 'aws:eks:namespace': 'tools' }),
        pod('2026-03-02', '5', 'debug', { 'aws:eks:namespace': 'tools' }),
        { ...node('2026-03-01'), resource: 'i-node-2' },
        { ...node('2026-03-02'), resource: 'i-node-2' },
      ]);
      // The route keeps the splits apart, the bill's without OpenCost's figures.
      const answer = await reader.entity(
        'component:default/checkout-api',
        range,
        amounts,
      );
      expect(
        answer.workloads
          .map(w => [w.splitBy, w.cost, w.efficiency])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ).toEqual([
        ['bill', '60.000000000', { cpu: null, ram: null }],
        ['opencost', '60.000000000', { cpu: 0.2, ram: 0.4 }],
      ]);

      const lines = await reader.allWorkloads(range, 'billed');
      const tips = kubernetesRequests(lines, {
        config: recommendationsConfig({
          kubernetesRequests: { minimumDays: 2 },
        }),
        currency: 'USD',
      });
      // One line of both splits: 60 by the bill and 60 by OpenCost, 120 over 2 days. Its cpu
      // cost is the bill's 30 x 3/4 + 30 x 1/2 and OpenCost's 40 x 3/4 + 20 x 1/2, 77.5 of
      // 120; ram 42.5. Requests once a day: cpu 0.2, ram 0.4 of them used. 120 x 730 / 48 =
      // 1825 a month, saving 1825 x (77.5 x 0.8 + 42.5 x 0.6) / 120 = 1330.7291666...
      // debug has cost but no requests or use anywhere: no tip.
      expect(tips).toHaveLength(1);
      expect(tips[0]).toMatchObject({
        id: 'kubernetes-requests:prod/shop/checkout-api',
        entityRef: 'component:default/checkout-api',
        currentMonthlyCost: '1825.000000000',
        monthlySaving: '1330.729166667',
        evidence: {
          kubernetes: {
            days: 2,
            cpuUsagePercent: 20,
            ramUsagePercent: 40,
            cpuSharePercent: 64.58,
            ramSharePercent: 35.42,
          },
        },
      });
      expect(lines.find(l => l.workload === 'tools/debug')).toMatchObject({
        nanos: 10_000_000_000n,
        weightedNanos: 0n,
        cpu: { days: 0 },
      });
    });

    it('makes no tip for a bill-split workload of a cluster without OpenCost figures', async () => {
      const knex = await databases.init(dbId);
      const checkout = {
        'aws:eks:namespace': 'shop',
        'aws:eks:workload-name': 'checkout-api',
      };
      const reader = await splitTwoDays(knex, fake, [
        pod('2026-03-01', '30', 'checkout-api-1', checkout),
        pod('2026-03-02', '30', 'checkout-api-1', checkout),
      ]);
      // Only the bill split: OpenCost was never asked, so there are no requests to go by.
      const stored = await knex('costscope_opencost_days')
        .count({ n: '*' })
        .first();
      expect(Number(stored?.n)).toBe(0);
      const lines = await reader.allWorkloads(range, 'billed');
      expect(lines.map(l => [l.workload, l.nanos, l.cpu.days])).toEqual([
        ['shop/checkout-api', 60_000_000_000n, 0],
      ]);
      expect(
        kubernetesRequests(lines, {
          config: recommendationsConfig({
            kubernetesRequests: { minimumDays: 1 },
          }),
          currency: 'USD',
        }),
      ).toEqual([]);
    });

    it("allocates the tip to the workload's entity, rolled up, in the service", async () => {
      const knex = await databases.init(dbId);
      const reader = await splitTwoDays(knex, fake);
      const service = new RecommendationService({
        store: new RecommendationStore(knex),
        inventory: new InventoryStore(knex),
        config: recommendationsConfig({
          kubernetesRequests: { minimumDays: 2 },
          commitment: { enabled: false },
        }),
        currency: async () => 'USD',
        prices: async () => testPriceTable(),
        kubernetesWorkloads: r => reader.allWorkloads(r, 'billed'),
        logger: mockServices.logger.mock(),
        // The lookback's complete days end on 2026-03-02.
        now: () => new Date('2026-03-03T12:00:00Z'),
      });
      await service.refresh();
      for (const ref of [
        'component:default/checkout-api',
        'system:default/shop',
        'group:default/shop-team',
      ]) {
        const list = await service.listForEntity(ref, '2026-03-03');
        expect(list.items.map(i => [i.kind, i.monthlySaving])).toEqual([
          ['kubernetes-requests', '669.166666667'],
        ]);
        expect(list.totalMonthlySaving).toBe('669.166666667');
      }
      const owner = await service.listForEntity(
        'component:default/k8s-platform',
        '2026-03-03',
      );
      expect(owner.items).toEqual([]);
    });
  });
});
