import { Knex } from 'knex';
import request from 'supertest';
import { mockServices, TestBackend } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  costscopeAdminPermission,
  moneyToNanos,
  nanosToMoney,
  NOT_VISIBLE_KEY,
} from '@costscope/backstage-plugin-common';
import { as, startApiBackend } from '../__testUtils__/apiBackend';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import {
  costscopeConditions,
  createCostscopeConditionalDecision,
} from '../permissions/rules';
import { BudgetStore } from '../store/BudgetStore';
import { RecommendationStore } from '../store/RecommendationStore';

jest.setTimeout(120_000);

/*
 * Cost visibility follows the catalog and the policy on every route: callers who may see
 * nothing, one who may not see the `nebula` domain (and one component the catalog hides from
 * them), one with the organisation views only, and an admin. No response of a restricted
 * caller names or prices what is hidden from them; rollups still add up to their totals.
 */

const NOBODY = 'user:default/nobody';
const SHOP = 'user:default/sam'; // team-a; may not see domain nebula, nor secret-tool
const FINANCE = 'user:default/fin'; // organisation views only
const ADMIN = 'user:default/ada';

const organisation = {
  groups: {
    [SHOP]: ['group:default/team-a'],
    [FINANCE]: ['group:default/finance'],
    [ADMIN]: ['group:default/team-b'],
  },
  entities: [
    entity('Group', 'engineering', { type: 'org', children: [] }),
    entity('Group', 'team-a', {
      type: 'team',
      parent: 'engineering',
      children: [],
    }),
    entity('Group', 'team-b', {
      type: 'team',
      parent: 'engineering',
      children: [],
    }),
    entity('Domain', 'shop', { owner: 'team-a' }),
    entity('Domain', 'nebula', { owner: 'team-b' }),
    entity('System', 'store', { owner: 'team-a', domain: 'shop' }),
    entity('System', 'nebula-sys', { owner: 'team-b', domain: 'nebula' }),
    entity('Component', 'zircon-api', { owner: 'team-a', system: 'store' }),
    entity('Component', 'secret-tool', { owner: 'team-a', system: 'store' }),
    entity('Component', 'quasar-model', {
      owner: 'team-a',
      system: 'nebula-sys',
    }),
    entity('Component', 'pulsar-job', {
      owner: 'team-b',
      system: 'nebula-sys',
    }),
  ],
  rows: [
    {
      day: '2026-03-01',
      cost: '10.5',
      tags: { service: 'zircon-api' },
      resource: 'i-zircon',
    },
    // Hidden costs share a day and differ in service, so that a per-day or per-service split
    // of the hidden part would show one of these amounts.
    {
      day: '2026-03-03',
      cost: '4.111111111',
      tags: { service: 'quasar-model' },
      resource: 'i-quasar-1',
      service: 'Amazon SageMaker',
    },
    {
      day: '2026-03-03',
      cost: '3.012345678',
      tags: { service: 'quasar-model' },
      resource: 'quasar-bucket',
      service: 'Amazon Simple Storage Service',
    },
    {
      day: '2026-03-03',
      cost: '2.718281828',
      tags: { service: 'secret-tool' },
      resource: 'secret-table',
      service: 'Amazon DynamoDB',
    },
    {
      day: '2026-03-03',
      cost: '3.333333333',
      tags: { service: 'pulsar-job' },
      resource: 'pulsar-etl',
      service: 'AWS Glue',
    },
    { day: '2026-03-02', cost: '1', resource: 'i-orphan' },
  ],
};

/** Names and amounts no restricted caller may find (the hidden part's sums may appear). */
const HIDDEN_NAMES = ['nebula', 'quasar', 'pulsar', 'secret'];
const HIDDEN_AMOUNTS = ['4.111111111', '3.012345678', '2.718281828'];
/** What SHOP may not see: domain nebula and what is in it, and what the catalog hides. */
const HIDDEN_FROM_SHOP = [
  'domain:default/nebula',
  'system:default/nebula-sys',
  'component:default/quasar-model',
  'component:default/pulsar-job',
  'component:default/secret-tool',
];

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/** The catalog's own condition for SHOP: a rule the catalog plugin would apply. */
const catalogHidesSecretTool: PolicyDecision = {
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: {
    rule: 'IS_ENTITY_KIND',
    resourceType: 'catalog-entity',
    params: { kinds: ['component'] },
  },
};

function decide(permission: Permission, user: string): PolicyDecision {
  if (permission.name === 'catalog.entity.read') {
    return user === SHOP ? catalogHidesSecretTool : allow;
  }
  if (user === ADMIN) return allow;
  if (user === NOBODY) return deny;
  if (isResourcePermission(permission, 'catalog-entity')) {
    if (user === FINANCE) return deny;
    return createCostscopeConditionalDecision(
      permission as ResourcePermission<'catalog-entity'>,
      { not: costscopeConditions.isInDomain({ domain: 'nebula' }) },
    );
  }
  return permission.name === costscopeAdminPermission.name ? deny : allow;
}

/**
 * The permissions service as the permission backend would answer: the catalog's condition
 * is resolved here as the catalog would (it hides secret-tool); Costscope's conditions come
 * back to the plugin, which applies them itself.
 */
function permissionsOf() {
  const userOf = (credentials: BackstageCredentials) => {
    const principal = credentials.principal as any;
    return principal.type === 'user' ? principal.userEntityRef : undefined;
  };
  return mockServices.permissions.mock({
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(({ permission }) => {
        const user = userOf(credentials);
        return user ? decide(permission, user) : allow;
      }) as any,
    authorize: async (requests, { credentials }) =>
      requests.map(({ permission, resourceRef }: any) => {
        const user = userOf(credentials);
        const decision = user ? decide(permission, user) : allow;
        if (decision.result !== AuthorizeResult.CONDITIONAL) {
          return { result: decision.result };
        }
        if (decision.pluginId === 'catalog') {
          return {
            result:
              resourceRef === 'component:default/secret-tool'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          };
        }
        throw new Error(`unexpected authorize of ${permission.name}`);
      }),
  }).factory;
}

const range = 'from=2026-03-01&to=2026-03-31';
const entityPath = (ref: string) => {
  const [kind, rest] = ref.split(':');
  return `/v1/entities/${kind}/${rest}`;
};
const ENTITY_ROUTES = (ref: string) => [
  `${entityPath(ref)}/summary?${range}`,
  `${entityPath(ref)}/series?${range}&groupBy=service`,
  `${entityPath(ref)}/resources?${range}`,
  `${entityPath(ref)}/kubernetes?${range}`,
  `${entityPath(ref)}/compliance?${range}`,
  `${entityPath(ref)}/recommendations`,
  `${entityPath(ref)}/budget`,
  `${entityPath(ref)}/budget/history`,
  `/v1/alerts?entityRef=${ref}`,
];
const ORGANISATION_ROUTES: Array<[string, string]> = [
  [`/v1/overview?${range}`, 'overview'],
  ['/v1/recommendations', 'overview'],
  ['/v1/budgets', 'overview'],
  ['/v1/alerts', 'overview'],
  [`/v1/compliance?${range}`, 'compliance'],
  [`/v1/chargeback?${range}`, 'chargeback'],
  [`/v1/chargeback?${range}&by=costCenter`, 'chargeback'],
  [`/v1/chargeback.csv?${range}`, 'admin'],
  ['/v1/ingest-runs', 'ingest'],
];

const VISIBLE = 'component:default/zircon-api';
const HIDDEN = 'component:default/quasar-model';
const PARTLY_HIDDEN = ['group:default/team-a', 'group:default/engineering'];

describe('cost visibility', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    let knex: Knex;
    let backend: TestBackend;

    beforeAll(async () => {
      knex = await databases.init(id);
      backend = await startApiBackend(knex, {
        organisation,
        permissions: permissionsOf(),
      });
      await new RecommendationStore(knex).replaceAll(
        [
          tip('idle-instance:i-zircon', 'i-zircon', VISIBLE, '5.5'),
          tip('idle-instance:i-quasar-1', 'i-quasar-1', HIDDEN, '6.161616161'),
        ],
        // secret-tool (hidden by the catalog) has no tip, only a resource that was skipped.
        [
          {
            provider: 'AWS',
            resourceId: 'secret-table',
            resourceKind: 'table',
            accountId: '111122223333',
            region: 'us-east-1',
            code: 'no-utilisation',
            message: 'No utilisation data.',
            entityRef: 'component:default/secret-tool',
          },
        ],
        new Date().toISOString(),
      );
      // team-a's alert, driven by a hidden entity's resource, and the hidden entity's own.
      const store = new BudgetStore(knex);
      for (const [alertId, entityRef] of [
        ['a-team', 'group:default/team-a'],
        ['a-quasar', HIDDEN],
      ]) {
        await store.recordAlertOnce({
          id: alertId,
          entityRef,
          kind: 'budget',
          period: '2026-03-01',
          threshold: { kind: 'actual', percent: 100 },
          amount: '20',
          reference: '10',
          currency: 'USD',
          title: 'Over budget',
          description:
            'Spent $20 of $10. Top drivers against the previous period: i-quasar-1 +$4.11.',
          drivers: [
            {
              serviceName: 'Amazon SageMaker',
              resourceId: 'i-quasar-1',
              amount: '4.111111111',
              change: '4.111111111',
            },
          ],
          link: '/catalog',
          createdAt: '2026-03-04T00:00:00.000Z',
          deliveredTo: [],
        });
      }
      await request(backend.server)
        .put(`/api/costscope${entityPath(HIDDEN)}/budget`)
        .set('Authorization', as(ADMIN))
        .send({ amount: '77.7', period: 'monthly', currency: 'USD' })
        .expect(200);
    });
    afterAll(async () => {
      await backend?.stop();
    });

    const get = (url: string, user: string) =>
      request(backend.server)
        .get(`/api/costscope${url}`)
        .set('Authorization', as(user));

    /**
     * Fails if a response names or prices anything hidden from the caller, beyond the entity
     * the request itself names (a 404 repeats it).
     */
    const expectNothingHidden = (
      url: string,
      res: request.Response,
      asked = askedEntity(url),
    ) => {
      // The error body repeats the request's URL and the entity it asked for.
      let text = `${JSON.stringify(res.body)}\n${res.text ?? ''}`
        .split(url)
        .join('');
      if (asked) text = text.split(asked).join('');
      const found = [...HIDDEN_NAMES, ...HIDDEN_AMOUNTS].filter(hidden =>
        text.includes(hidden),
      );
      expect({ url, found }).toEqual({ url, found: [] });
    };

    it.each([NOBODY, FINANCE])(
      'answers %s 404 on every entity route, as for an unknown entity',
      async user => {
        for (const ref of [VISIBLE, HIDDEN, ...PARTLY_HIDDEN]) {
          for (const url of ENTITY_ROUTES(ref)) {
            const res = await get(url, user);
            expect({ url, status: res.status }).toEqual({ url, status: 404 });
            expectNothingHidden(url, res);
          }
        }
      },
    );

    it('answers the caller who may not see a domain 404 on its entities', async () => {
      for (const ref of HIDDEN_FROM_SHOP) {
        for (const url of ENTITY_ROUTES(ref)) {
          const res = await get(url, SHOP);
          expect({ url, status: res.status }).toEqual({ url, status: 404 });
          expectNothingHidden(url, res);
        }
      }
      const tipUrl = `/v1/recommendations/${encodeURIComponent(
        'idle-instance:i-quasar-1',
      )}/state`;
      const change = await request(backend.server)
        .put(`/api/costscope${tipUrl}`)
        .set('Authorization', as(SHOP))
        .send({ state: 'dismissed', reason: 'not ours' });
      expect(change.status).toBe(404);
      expectNothingHidden(tipUrl, change, 'idle-instance:i-quasar-1');
    });

    it('serves the visible entities and rollups without a trace of the hidden ones', async () => {
      for (const ref of [VISIBLE, ...PARTLY_HIDDEN]) {
        for (const url of ENTITY_ROUTES(ref)) {
          const res = await get(url, SHOP);
          expect({ url, status: res.status }).toEqual({ url, status: 200 });
          expectNothingHidden(url, res);
        }
      }
      // store's only hidden part (secret-tool) has no tip, only a skipped resource.
      const storeTips = `${entityPath('system:default/store')}/recommendations`;
      const res = await get(storeTips, SHOP);
      expect(res.status).toBe(200);
      expectNothingHidden(storeTips, res);
    });

    it.each([
      [
        NOBODY,
        {
          overview: 403,
          compliance: 403,
          chargeback: 403,
          admin: 403,
          ingest: 403,
        },
      ],
      [
        FINANCE,
        {
          overview: 200,
          compliance: 200,
          chargeback: 200,
          admin: 403,
          ingest: 200,
        },
      ],
      [
        SHOP,
        {
          overview: 200,
          compliance: 200,
          chargeback: 200,
          admin: 403,
          ingest: 200,
        },
      ],
      [
        ADMIN,
        {
          overview: 200,
          compliance: 200,
          chargeback: 200,
          admin: 200,
          ingest: 200,
        },
      ],
    ] as const)(
      'answers %s on the organisation routes by its basic permissions, hiding entities',
      async (user, statuses: Record<string, number>) => {
        for (const [url, permission] of ORGANISATION_ROUTES) {
          const res = await get(url, user);
          expect({ url, status: res.status }).toEqual({
            url,
            status: statuses[permission],
          });
          if (user !== ADMIN) expectNothingHidden(url, res);
        }
      },
    );

    it('lets the admin see everything, so the leak check can fail', async () => {
      const res = await get(
        `${entityPath('group:default/team-a')}/summary?${range}`,
        ADMIN,
      );
      const text = JSON.stringify(res.body);
      expect(HIDDEN_AMOUNTS.filter(amount => text.includes(amount))).toEqual(
        HIDDEN_AMOUNTS,
      );
      expect(text).toContain('quasar-model');
    });

    it('keeps the rollup total: visible parts plus the "not visible" line', async () => {
      const [restricted, full] = await Promise.all(
        [SHOP, ADMIN].map(
          async user =>
            (
              await get(
                `${entityPath('group:default/team-a')}/summary?${range}`,
                user,
              ).expect(200)
            ).body,
        ),
      );
      expect(restricted.total).toBe(full.total);
      const sum = (items: Array<{ cost: string }>) =>
        nanosToMoney(
          items.reduce((s, item) => s + moneyToNanos(item.cost), 0n),
        );
      for (const breakdown of [
        'byEntity',
        'byService',
        'byAccount',
        'byRegion',
        'byProvider',
      ]) {
        expect({ breakdown, sum: sum(restricted[breakdown]) }).toEqual({
          breakdown,
          sum: restricted.total,
        });
      }
      // quasar-model's two resources and secret-tool's, in one line.
      expect(restricted.byEntity).toContainEqual(
        expect.objectContaining({ key: NOT_VISIBLE_KEY, cost: '9.841738617' }),
      );
      expect(restricted.byService).toContainEqual(
        expect.objectContaining({ key: NOT_VISIBLE_KEY, cost: '9.841738617' }),
      );

      const resources = (
        await get(
          `${entityPath('group:default/team-a')}/resources?${range}`,
          SHOP,
        ).expect(200)
      ).body;
      expect(resources.total).toBe(full.total);
      expect(resources.notVisible).toBe('9.841738617');
      expect(
        sum([...resources.resources, { cost: resources.notVisible }]),
      ).toBe(resources.total);

      const chargeback = (
        await get(`/v1/chargeback?${range}`, SHOP).expect(200)
      ).body;
      expect(sum(chargeback.lines)).toBe(chargeback.total);
      expect(chargeback.lines).toContainEqual(
        expect.objectContaining({ kind: 'not-visible', cost: '13.175071950' }),
      );

      const tips = (
        await get(
          `${entityPath('group:default/team-a')}/recommendations`,
          SHOP,
        ).expect(200)
      ).body;
      expect(tips.totalMonthlySaving).toBe('11.661616161');
      expect(tips.items.map((item: any) => item.id)).toEqual([
        'idle-instance:i-zircon',
      ]);
      expect(tips.notVisible).toEqual({
        count: 1,
        monthlySaving: '6.161616161',
      });

      // team-a's alert stays, without the hidden drivers; the hidden entity's is gone.
      const alerts = (await get('/v1/alerts', SHOP).expect(200)).body.items;
      expect(alerts).toEqual([
        expect.objectContaining({
          id: 'a-team',
          drivers: [],
          description: 'Spent $20 of $10.',
        }),
      ]);
      const adminAlerts = (await get('/v1/alerts', ADMIN).expect(200)).body
        .items;
      // The admin sees what drove it.
      expect(adminAlerts).toContainEqual(
        expect.objectContaining({ id: 'a-team', drivers: [expect.anything()] }),
      );

      const overview = (await get(`/v1/overview?${range}`, FINANCE).expect(200))
        .body;
      expect(overview.byGroup).toEqual([
        expect.objectContaining({
          key: NOT_VISIBLE_KEY,
          cost: overview.allocated,
        }),
      ]);
    });
  });
});

/** The entity ref a request URL names, if any. */
function askedEntity(url: string): string | undefined {
  const path = /\/entities\/(\w+)\/default\/([\w-]+)/.exec(url);
  if (path) return `${path[1]}:default/${path[2]}`;
  return /entityRef=([\w:/-]+)/.exec(url)?.[1];
}

function tip(
  id: string,
  resourceId: string,
  entityRef: string,
  saving: string,
) {
  return {
    id,
    kind: 'idle-instance' as const,
    provider: 'AWS',
    resourceId,
    resourceKind: 'instance',
    accountId: '111122223333',
    region: 'us-east-1',
    entityRef,
    action: 'Stop it',
    reason: 'Idle',
    evidence: {},
    monthlySaving: saving,
    currency: 'USD',
    confidence: 'high' as const,
    priceSource: 'price-table' as const,
    state: 'open' as const,
  };
}
