import fs from 'node:fs/promises';
import path from 'node:path';
import { Knex } from 'knex';
import request from 'supertest';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type { EntityKubernetesCost } from '@costscope/backstage-plugin-common';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  FakeOpenCost,
  startFakeOpenCost,
} from '../../../../test/fake-opencost';
import { as, startApiBackend } from '../__testUtils__/apiBackend';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { focusCsv } from '../__testUtils__/focus';

jest.setTimeout(120_000);

/*
 * GET /v1/entities/{kind}/{namespace}/{name}/kubernetes through the wired plugin: the owner of
 * the cluster sees its whole split summing to the bill's node cost, and a caller the catalog
 * hides `cart` from sees its workload as one not-visible line, on the owner's page and above it.
 */

const SAM = 'user:default/sam';
const ADA = 'user:default/ada';
const CART = 'component:default/cart';

const id = (name: string) => ({ 'backstage.io/kubernetes-id': name });
const organisation = {
  groups: { [SAM]: ['group:default/shop-team'], [ADA]: [] },
  entities: [
    entity('Group', 'platform-team', { type: 'team', children: [] }),
    entity('Group', 'shop-team', { type: 'team', children: [] }),
    entity('System', 'shop', { owner: 'shop-team' }),
    entity('Component', 'k8s-platform', { owner: 'platform-team' }),
    entity(
      'Component',
      'checkout-api',
      { owner: 'shop-team', system: 'shop' },
      id('checkout-api'),
    ),
    entity(
      'Component',
      'cart',
      { owner: 'shop-team', system: 'shop' },
      id('cart'),
    ),
  ],
  // 100.000000003 of node cost in the bill on one day.
  rows: [
    {
      day: '2026-03-01',
      cost: '100.000000003',
      resource: 'i-node-1',
      tags: { service: 'k8s-platform', 'eks:cluster-name': 'prod' },
    },
  ],
};

/** The catalog hides cart from SAM; everything else is allowed. */
function permissions() {
  const userOf = (credentials: BackstageCredentials) => {
    const principal = credentials.principal as any;
    return principal.type === 'user' ? principal.userEntityRef : undefined;
  };
  const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
  const decide = (name: string, user: string | undefined): PolicyDecision =>
    name === 'catalog.entity.read' && user === SAM
      ? {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: {
            rule: 'IS_ENTITY_KIND',
            resourceType: 'catalog-entity',
            params: { kinds: ['component'] },
          },
        }
      : allow;
  return mockServices.permissions.mock({
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(({ permission }) =>
        decide(permission.name, userOf(credentials)),
      ) as any,
    authorize: async (requests, { credentials }) =>
      requests.map(({ permission, resourceRef }: any) => {
        const decision = decide(permission.name, userOf(credentials));
        if (decision.result !== AuthorizeResult.CONDITIONAL) {
          return { result: decision.result };
        }
        return {
          result:
            resourceRef === CART ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
        };
      }),
  }).factory;
}

describe('GET .../kubernetes', () => {
  const databases = createTestDatabases();
  let fake: FakeOpenCost;

  beforeAll(async () => {
    // Weights 3 : 2 : 1 (kube-system) : 4 (idle) of 10.
    fake = await startFakeOpenCost({
      clusters: [
        {
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
                  ramCost: '0',
                },
                {
                  namespace: 'shop',
                  controller: 'cart',
                  labels: id('cart'),
                  cpuCost: '0',
                  ramCost: '2',
                },
                {
                  namespace: 'kube-system',
                  controller: 'coredns',
                  cpuCost: '1',
                  ramCost: '0',
                },
              ],
              idle: { cpuCost: '4' },
            },
          ],
        },
      ],
    });
  });
  afterAll(() => fake.close());

  describe.each(databases.eachSupportedId())('on %p', dbId => {
    const start = (knex: Knex) =>
      startApiBackend(knex, {
        organisation,
        permissions: permissions(),
        costscope: {
          kubernetes: {
            clusters: [
              {
                name: 'prod',
                opencost: { url: fake.url },
                nodes: { tags: [{ key: 'eks:cluster-name', value: 'prod' }] },
                owner: 'component:default/k8s-platform',
              },
            ],
          },
        },
      });
    const getter =
      (backend: Awaited<ReturnType<typeof start>>) =>
      async (user: string, entityPath: string) => {
        const res = await request(backend.server)
          .get(
            `/api/costscope/v1/entities/${entityPath}/kubernetes?from=2026-03-01&to=2026-03-01&costBasis=billed`,
          )
          .set('Authorization', as(user));
        expect(res.status).toBe(200);
        return res.body as EntityKubernetesCost;
      };

    it("shows the owner the cluster's split, and hides what the caller may not see", async () => {
      const backend = await start(await databases.init(dbId));
      try {
        const get = getter(backend);
        // 100.000000003 x 3/10, 2/10, 1/10, 4/10: floors 30000000000, 20000000000,
        // 10000000000, 40000000001; the nanos left over (remainders 0.9, 0.6, 0.3, 0.2) go
        // to checkout-api and cart.
        const owner = await get(ADA, 'component/default/k8s-platform');
        expect(
          owner.clusters[0].parts.map(p => [p.workload, p.entityRef, p.cost]),
        ).toEqual([
          ['idle', 'component:default/k8s-platform', '40.000000001'],
          [
            'shop/checkout-api',
            'component:default/checkout-api',
            '30.000000001',
          ],
          ['shop/cart', CART, '20.000000001'],
          ['system', 'component:default/k8s-platform', '10.000000000'],
        ]);
        expect(owner.clusters[0].total).toBe('100.000000003');
        expect(owner.total).toBe('50.000000001');

        const hidden = await get(SAM, 'component/default/k8s-platform');
        expect(
          hidden.clusters[0].parts.map(p => [p.workload, p.kind, p.cost]),
        ).toEqual([
          ['idle', 'idle', '40.000000001'],
          ['shop/checkout-api', 'workload', '30.000000001'],
          ['system', 'system', '10.000000000'],
          ['(not visible to you)', 'not-visible', '20.000000001'],
        ]);
        expect(hidden.clusters[0].total).toBe('100.000000003');
        expect(JSON.stringify(hidden)).not.toContain('cart');

        const shop = await get(SAM, 'system/default/shop');
        expect(shop.workloads.map(w => [w.workload, w.cost])).toEqual([
          ['shop/checkout-api', '30.000000001'],
          ['(not visible to you)', '20.000000001'],
        ]);
        expect(shop.total).toBe('50.000000002');
        expect(shop.clusters).toEqual([]);
      } finally {
        await backend.stop();
      }
    });

    it('keeps an answer per caller visibility until an allocation gives the rollups a new version', async () => {
      const knex = await databases.init(dbId);
      const backend = await start(knex);
      // What the answer reads: the split's parts and OpenCost's stored answers.
      const kubernetesReads: string[] = [];
      knex.on('query', ({ sql }: { sql: string }) => {
        if (/from [`"]?costscope_(k8s_parts|opencost_days)/i.test(sql))
          kubernetesReads.push(sql);
      });
      const readsOf = async <T>(answer: Promise<T>) => {
        kubernetesReads.length = 0;
        const body = await answer;
        return { body, reads: kubernetesReads.length };
      };
      try {
        const get = getter(backend);
        const open = await readsOf(get(ADA, 'component/default/k8s-platform'));
        expect(open.reads).toBeGreaterThan(0);
        expect(JSON.stringify(open.body)).toContain('cart');
        const openAgain = await readsOf(
          get(ADA, 'component/default/k8s-platform'),
        );
        expect(openAgain).toEqual({ body: open.body, reads: 0 });

        // A caller the catalog hides cart from gets an answer of their own, kept as well.
        const restricted = await readsOf(
          get(SAM, 'component/default/k8s-platform'),
        );
        expect(restricted.reads).toBeGreaterThan(0);
        expect(JSON.stringify(restricted.body)).not.toContain('cart');
        expect(restricted.body.clusters[0].total).toBe('100.000000003');
        const restrictedAgain = await readsOf(
          get(SAM, 'component/default/k8s-platform'),
        );
        expect(restrictedAgain).toEqual({ body: restricted.body, reads: 0 });

        // Below a non-owner, the restricted answer first: the open caller still sees cart.
        const shopRestricted = await readsOf(get(SAM, 'system/default/shop'));
        expect(JSON.stringify(shopRestricted.body)).not.toContain('cart');
        const shopOpen = await readsOf(get(ADA, 'system/default/shop'));
        expect(shopOpen.reads).toBeGreaterThan(0);
        expect(shopOpen.body.workloads.map(w => w.entityRef)).toContain(CART);

        // A new bill: the ingest re-allocates, which gives the rollups a new version.
        await fs.writeFile(
          path.join(backend.focusDir, 'focus.csv'),
          focusCsv(organisation.rows.map(r => ({ ...r, cost: '200' }))),
        );
        const ingest = await request(backend.server)
          .post('/api/costscope/v1/ingest')
          .set('Authorization', mockCredentials.service.header())
          .send({});
        expect(ingest.body.runs[0].status).toBe('succeeded');
        const after = await readsOf(get(ADA, 'component/default/k8s-platform'));
        expect(after.reads).toBeGreaterThan(0);
        expect(after.body.clusters[0].total).toBe('200.000000000');
      } finally {
        await backend.stop();
      }
    });
  });
});
