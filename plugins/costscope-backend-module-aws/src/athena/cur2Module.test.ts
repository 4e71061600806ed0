import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { costscopePlugin } from '@costscope/backstage-plugin-backend';
import { decimalUnits } from '@costscope/backstage-plugin-node/testUtils';
import request from 'supertest';
// The fake AWS lives with the end-to-end tests; it speaks the real wire protocols.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { FakeAws, startFakeAws } from '../../../../test/fake-aws';
import { costscopeModuleAws } from '../module';
import { CUR2_PODS, cur2ExportSql } from '../__testUtils__/cur2Export';
import { runDuckDb as duck } from '../__testUtils__/runDuckDb';

jest.setTimeout(180_000);

const {
  generateDemoBilling,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../examples/billing/generate.js');

/** The export's month: the one before today's, which the source reads with `months: 2`. */
const MONTH = (() => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
    .toISOString()
    .slice(0, 7);
})();

const LATER = {
  frequency: { hours: 24 },
  timeout: { minutes: 5 },
  initialDelay: { hours: 1 },
};

function component(name: string, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { owner: 'platform-team', type: 'service', lifecycle: 'production' },
  };
}

/** An amount of the exact export, 1e-18 units, as nano-units (all are whole at 1e-10). */
const nanos = (text: string) => decimalUnits(text) / 10n ** 9n;
/** A non-negative decimal rounded half to even to nano-units, as a stored fact is. */
function roundedNanos(text: string): bigint {
  const units = decimalUnits(text);
  const [whole, rest] = [units / 10n ** 9n, units % 10n ** 9n];
  const half = 5n * 10n ** 8n;
  return rest > half || (rest === half && whole % 2n === 1n)
    ? whole + 1n
    : whole;
}
const money = (value: bigint) =>
  `${value / 10n ** 9n}.${(value % 10n ** 9n).toString().padStart(9, '0')}`;

describe('CUR 2.0 split cost allocation, wired into the backend', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
    disableDocker: true,
  });
  let dir: string;
  let fake: FakeAws;
  const envBefore = { ...process.env };

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKECOSTSCOPE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'costscope-cur2-module-'));
    const partition = path.join(dir, 'cur2', `BILLING_PERIOD=${MONTH}`);
    fs.mkdirSync(partition, { recursive: true });
    await duck(
      `COPY (${cur2ExportSql({
        month: MONTH,
      })}) TO '${partition}/part-0.parquet' (FORMAT parquet)`,
    );
    // the fake AWS's other services answer from a demo bill
    generateDemoBilling({ outDir: dir, endDate: `${MONTH}-20`, months: 1 });
    fake = await startFakeAws({
      billingDir: path.join(dir, 'aws'),
      athenaTables: { 'cur.cur2': path.join(dir, 'cur2') },
      athenaDelayMs: 20,
    });
  });
  afterAll(async () => {
    process.env = envBefore;
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(databases.eachSupportedId())(
    "fills the Kubernetes dimension from the bill's split on %p",
    async id => {
      const knex = await databases.init(id);
      const backend = await startTestBackend({
        features: [
          costscopePlugin,
          costscopeModuleAws,
          catalogServiceMock.factory({
            entities: [
              component('k8s-platform'),
              component('checkout-api', {
                'backstage.io/kubernetes-id': 'checkout-api',
              }),
              component('cart', {
                'backstage.io/kubernetes-label-selector':
                  'aws:eks:workload-name=cart',
              }),
            ],
          }),
          mockServices.database.factory({ knex }),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          mockServices.rootConfig.factory({
            data: {
              costscope: {
                currency: 'USD',
                sources: [],
                allocation: { schedule: LATER },
                kubernetes: {
                  clusters: [
                    {
                      name: 'prod',
                      owner: 'component:default/k8s-platform',
                      // CUR 2.0's user tag eks:cluster-name, as its map names it
                      nodes: {
                        tags: [{ key: 'eks_cluster_name', value: 'prod' }],
                      },
                    },
                  ],
                },
                aws: {
                  endpoint: fake.url,
                  retry: { maxAttempts: 3, baseDelayMs: 5 },
                  schedule: LATER,
                  inventory: { enabled: false },
                  commitments: { enabled: false },
                  prices: { enabled: false },
                  accounts: [{ accountId: '111122223333' }],
                  athena: {
                    database: 'cur',
                    table: 'cur2',
                    format: 'cur2',
                    workgroup: 'costscope',
                    outputLocation: 's3://athena-results/costscope/',
                    region: 'us-east-1',
                    months: 2,
                    poll: { initialMs: 10, maxMs: 50 },
                    schedule: LATER,
                  },
                },
              },
            },
          }),
        ],
      });
      try {
        const ingested = await request(backend.server)
          .post('/api/costscope/v1/ingest')
          .send({ sourceId: 'aws-athena-cur-cur2' });
        expect(ingested.status).toBe(200);
        expect(ingested.body.runs[0]).toMatchObject({ status: 'succeeded' });

        const range = `from=${MONTH}-01&to=${MONTH}-02&costBasis=effective`;
        const page = async (name: string) => {
          const response = await request(backend.server).get(
            `/api/costscope/v1/entities/component/default/${name}/kubernetes?${range}`,
          );
          expect(response.status).toBe(200);
          return response.body;
        };

        // each pod's workload carries AWS's split cost of the pod, to the nano-unit
        const splitOf = async (pod: string) => {
          const [[sum]] = await duck(
            `SELECT SUM(split_line_item_split_cost) FROM (${cur2ExportSql({
              money: 'DECIMAL',
              month: MONTH,
            })}) WHERE line_item_resource_id = '${pod}'`,
          );
          return nanos(sum);
        };
        const [checkoutPod, cartPod, corednsPod] = CUR2_PODS;
        const checkout = await page('checkout-api');
        expect(checkout.workloads).toEqual([
          expect.objectContaining({
            cluster: 'prod',
            kind: 'workload',
            namespace: 'shop',
            workload: 'shop/checkout-api',
            splitBy: 'bill',
            cost: money(await splitOf(checkoutPod.pod)),
          }),
        ]);
        const cart = await page('cart');
        expect(cart.workloads).toEqual([
          expect.objectContaining({
            workload: 'shop/cart',
            splitBy: 'bill',
            cost: money(await splitOf(cartPod.pod)),
          }),
        ]);

        // the owner sees the cluster's whole split: the two workloads, kube-system as system,
        // and the node's unused capacity and unsplit lines as idle, summing to the node's cost
        const owner = await page('k8s-platform');
        expect(owner.clusters).toHaveLength(1);
        const parts = owner.clusters[0].parts as Array<{
          kind: string;
          workload: string;
          cost: string;
          entityRef?: string;
        }>;
        const byWorkload = Object.fromEntries(
          parts.map(p => [p.workload, [p.kind, p.cost, p.entityRef]]),
        );
        const [[node, splits]] = await duck(
          `SELECT
             SUM(CASE WHEN line_item_line_item_type = 'SavingsPlanCoveredUsage'
                 THEN savings_plan_savings_plan_effective_cost ELSE line_item_unblended_cost END)
               FILTER (WHERE line_item_resource_id = 'i-node-1' AND product_servicecode = 'AmazonEC2'
                       AND line_item_line_item_type <> 'SavingsPlanNegation'),
             SUM(split_line_item_split_cost)
           FROM (${cur2ExportSql({ money: 'DECIMAL', month: MONTH })})`,
        );
        // The node's lines the bill does not split (its data transfer), each day's sum a fact
        // rounded once to the nano-unit, half to even.
        const unsplitDays = await duck(
          `SELECT CAST(line_item_usage_start_date AS DATE), SUM(line_item_unblended_cost)
           FROM (${cur2ExportSql({ money: 'DECIMAL', month: MONTH })})
           WHERE line_item_resource_id = 'i-node-1' AND product_servicecode <> 'AmazonEC2'
           GROUP BY 1`,
        );
        const unsplit = unsplitDays.reduce(
          (sum, [, cost]) => sum + roundedNanos(cost),
          0n,
        );
        // idle: what the pods' split costs leave of the node (AWS's unused cost and its
        // shortfall) and the node's lines the bill does not split
        const idle = nanos(node) - nanos(splits) + unsplit;
        expect(byWorkload).toEqual({
          'shop/checkout-api': [
            'workload',
            money(await splitOf(checkoutPod.pod)),
            'component:default/checkout-api',
          ],
          'shop/cart': [
            'workload',
            money(await splitOf(cartPod.pod)),
            'component:default/cart',
          ],
          system: [
            'system',
            money(await splitOf(corednsPod.pod)),
            'component:default/k8s-platform',
          ],
          idle: ['idle', money(idle), 'component:default/k8s-platform'],
        });
        expect(owner.clusters[0].total).toBe(money(nanos(node) + unsplit));
      } finally {
        await backend.stop();
      }
    },
  );
});
