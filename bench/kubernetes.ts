/**
 * Kubernetes split benchmark: what splitting a shared cluster adds to an allocation rebuild.
 *
 *   tsx bench/kubernetes.ts [--nodes N] [--workloads N] [--days N]
 *
 * A SQLite file migrated with the backend's migrations holds one fact per node and day (tagged
 * with the cluster) plus unrelated facts; the catalog has one component per ten workloads
 * (labelled backstage.io/kubernetes-id, a tenth of the workloads match none); an in-process
 * OpenCost answers every day with the workloads, kube-system and idle. Timed, each a forced
 * allocation with the backend's AllocationEngine and KubernetesSplitter:
 * 1. without the splitter (the baseline rebuild);
 * 2. with it, the first time (OpenCost read for every day and stored);
 * 3. with it again (answers stored: the steady state after each ingest).
 * The last line is `kubernetes-split nodes=<n> workloads=<n> days=<n> first_added_seconds=<s>
 * added_seconds=<s> added_cpu_seconds=<s> peak_rss_mb=<m>`, where added is run 3 minus run 1
 * (wall clock, and the process's CPU time, all threads) and the peak is the process's (VmHWM)
 * over the whole benchmark.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { AllocationEngine } from '../plugins/costscope-backend/src/allocation/AllocationEngine';
import { KubernetesSplitter } from '../plugins/costscope-backend/src/kubernetes/KubernetesSplitter';
import type { OpenCostDailyAllocation } from '../plugins/costscope-backend/src/kubernetes/OpenCostClient';
import { AllocationStore } from '../plugins/costscope-backend/src/store/AllocationStore';
import { KubernetesStore } from '../plugins/costscope-backend/src/store/KubernetesStore';
import { applyMigrations } from '../plugins/costscope-backend/src/store/migrations';

const TARGETS = { addedSeconds: 10, peakRssMb: 400 };
const DAY_MS = 86_400_000;

function parseArgs(argv: string[]) {
  const options = { nodes: 200, workloads: 2000, days: 90 };
  for (let i = 0; i < argv.length; i += 1) {
    const key = argv[i].replace(/^--/, '') as keyof typeof options;
    const value = Number(argv[(i += 1)]);
    if (!(key in options) || !Number.isSafeInteger(value) || value < 1) {
      throw new Error(`usage: --nodes N --workloads N --days N`);
    }
    options[key] = value;
  }
  return options;
}

function peakRssMb(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Deterministic pseudo-random cost text with 6 decimals, as OpenCost writes them. */
function cost(seed: number): string {
  const x = Math.abs(Math.sin(seed) * 10_000);
  return (x - Math.floor(x) + (seed % 7)).toFixed(6);
}

async function main() {
  const { nodes, workloads, days } = parseArgs(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-bench-k8s-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  await applyMigrations(knex);
  const logger: LoggerService = {
    error: () => {},
    warn: () => {},
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  const firstDay = Date.parse('2026-01-01T00:00:00Z');
  const dayText = (i: number) =>
    new Date(firstDay + i * DAY_MS).toISOString().slice(0, 10);

  // Facts: one per node and day on the cluster's key, 500 unrelated ones a day.
  await knex('costscope_alloc_keys').insert([
    {
      alloc_key: 'nodes',
      provider: 'AWS',
      sub_account_id: '1',
      tags: JSON.stringify({ 'eks:cluster-name': 'bench', service: 'k8s' }),
    },
    {
      alloc_key: 'other',
      provider: 'AWS',
      sub_account_id: '1',
      tags: JSON.stringify({ service: 'c-1' }),
    },
  ]);
  // Written a day at a time: the facts are the database's, not this process's to keep.
  for (let d = 0; d < days; d += 1) {
    const facts: object[] = [];
    const day = dayText(d);
    const fact = (resource: string, key: string, nanos: number) => ({
      source_id: 'bench',
      billing_period: `${day.slice(0, 7)}-01`,
      usage_date: day,
      provider: 'AWS',
      billing_account_id: '1',
      sub_account_id: '1',
      region: 'us-east-1',
      service_name: 'Amazon Elastic Compute Cloud',
      resource_id: resource,
      charge_category: 'Usage',
      currency: 'USD',
      alloc_key: key,
      billed_nanos: String(nanos),
      effective_nanos: String(Math.floor(nanos * 0.7)),
      list_nanos: String(nanos),
      line_count: 24,
    });
    for (let n = 0; n < nodes; n += 1)
      facts.push(fact(`i-node-${n}`, 'nodes', 110_592_000_001 + n));
    for (let o = 0; o < 500; o += 1)
      facts.push(fact(`other-${o}`, 'other', 1_000_000_007 + o));
    for (let i = 0; i < facts.length; i += 500)
      await knex('costscope_cost_facts').insert(facts.slice(i, i + 500));
  }

  const components = Math.ceil(workloads / 10);
  const entities: Entity[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team', namespace: 'default' },
      spec: { type: 'team', children: [] },
    },
    ...['k8s', ...Array.from({ length: components }, (_, i) => `c-${i}`)].map(
      (name): Entity => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          namespace: 'default',
          annotations:
            name === 'k8s' ? {} : { 'backstage.io/kubernetes-id': name },
        },
        spec: { owner: 'team', type: 'service' },
      }),
    ),
  ];

  // OpenCost: each workload labelled for component w/10 (a tenth for none), plus system, idle.
  const reader = {
    async dailyAllocations(query: { startDay: string; endDay: string }) {
      const out: OpenCostDailyAllocation[] = [];
      for (
        let ms = Date.parse(`${query.startDay}T00:00:00Z`);
        ms < Date.parse(`${query.endDay}T00:00:00Z`);
        ms += DAY_MS
      ) {
        const day = new Date(ms).toISOString().slice(0, 10);
        const base = {
          day,
          idle: false,
          unallocated: false,
          cpuCoreRequestAverage: '1',
          cpuCoreUsageAverage: '0.5',
          ramByteRequestAverage: '1073741824',
          ramByteUsageAverage: '536870912',
        };
        for (let w = 0; w < workloads; w += 1) {
          const component = w % 10 === 9 ? 'none' : `c-${Math.floor(w / 10)}`;
          out.push({
            ...base,
            name: `ns-${w % 50}/w-${w}`,
            namespace: `ns-${w % 50}`,
            controller: `w-${w}`,
            labels: { backstage_io_kubernetes_id: component },
            weights: {
              cpu: cost(w + ms),
              ram: cost(w * 3 + ms),
              gpu: '0',
              pv: cost(w * 7 + ms),
            },
          });
        }
        out.push({
          ...base,
          name: 'kube-system/coredns',
          namespace: 'kube-system',
          controller: 'coredns',
          labels: {},
          weights: { cpu: '12.5', ram: '3.25', gpu: '0', pv: '0' },
        });
        out.push({
          ...base,
          name: '__idle__',
          idle: true,
          labels: {},
          weights: { cpu: '400.125', ram: '120.5', gpu: '0', pv: '0' },
        });
      }
      return out;
    },
  };

  const engine = (withSplit: boolean) =>
    new AllocationEngine({
      store: new AllocationStore(knex),
      logger,
      loadEntities: async () => entities,
      conventions: { componentTagKeys: ['service'], groupTagKeys: ['team'] },
      caseInsensitiveTagKeys: true,
      ...(withSplit
        ? {
            kubernetes: new KubernetesSplitter({
              clusters: [
                {
                  name: 'bench',
                  opencost: { url: 'http://opencost.invalid' },
                  nodes: {
                    tags: [{ key: 'eks:cluster-name', value: 'bench' }],
                    resourceIdPrefixes: [],
                  },
                  policy: {
                    idle: 'owner',
                    systemTo: 'owner',
                    systemNamespaces: ['kube-system'],
                  },
                  owner: 'component:default/k8s',
                },
              ],
              store: new KubernetesStore(knex),
              logger,
              readerFor: () => reader,
            }),
          }
        : {}),
    });
  const timed = async (withSplit: boolean) => {
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const outcome = await engine(withSplit).run({ force: true });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // CPU time too: on a shared machine the wall clock mostly measures the neighbours.
    const cpu = process.cpuUsage(cpuBefore);
    return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, outcome };
  };

  const afterSetup = peakRssMb();
  const baseline = await timed(false);
  const afterBaseline = peakRssMb();
  const first = await timed(true);
  const afterFirst = peakRssMb();
  const steady = await timed(true);
  const report = steady.outcome.kubernetes?.[0];
  if (!report || report.error || report.daysSplit.length !== days) {
    throw new Error(`the split did not run: ${JSON.stringify(report)}`);
  }
  const parts = await knex('costscope_k8s_parts').count({ n: '*' });
  const check = await knex.raw(
    `SELECT (SELECT CAST(SUM(billed_nanos) AS TEXT) FROM costscope_cost_facts) AS facts,
            (SELECT CAST(SUM(billed_nanos) AS TEXT) FROM costscope_rollup_daily
              WHERE entity_ref = '*') AS org`,
  );
  const { facts: factTotal, org } = check[0];
  if (factTotal !== org)
    throw new Error(`organisation ${org} != facts ${factTotal}`);
  await knex.destroy();
  fs.rmSync(dir, { recursive: true, force: true });

  const added = steady.seconds - baseline.seconds;
  const rss = peakRssMb();
  console.log(
    `baseline allocation ${baseline.seconds.toFixed(
      2,
    )} s; with the split, first ` +
      `${first.seconds.toFixed(
        2,
      )} s (OpenCost read and stored), then ${steady.seconds.toFixed(2)} s; ${
        parts[0].n
      } parts; organisation total unchanged (${org} nanos)`,
  );
  console.log(
    `peak RSS: ${afterSetup} MB after the setup, ${afterBaseline} MB after the baseline, ` +
      `${afterFirst} MB after the first split, ${rss} MB at the end`,
  );
  console.log(
    `targets: added < ${TARGETS.addedSeconds} s ${
      added < TARGETS.addedSeconds ? 'met' : 'MISSED'
    }, peak RSS < ${TARGETS.peakRssMb} MB ${
      rss < TARGETS.peakRssMb ? 'met' : 'MISSED'
    }`,
  );
  console.log(
    `kubernetes-split nodes=${nodes} workloads=${workloads} days=${days} ` +
      `first_added_seconds=${(first.seconds - baseline.seconds).toFixed(2)} ` +
      `added_seconds=${added.toFixed(2)} added_cpu_seconds=${(
        steady.cpuSeconds - baseline.cpuSeconds
      ).toFixed(2)} peak_rss_mb=${rss}`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
