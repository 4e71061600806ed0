import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  costscopeConditions,
  createCostscopeConditionalDecision,
} from '../permissions/rules';
import { costscopePlugin } from '../plugin';
import { createTestDatabases } from '../__testUtils__/databases';
import { entity } from '../__testUtils__/entities';
import { focusCsv, writeFocusDir } from '../__testUtils__/focus';
import { policyPermissions } from '../__testUtils__/permissions';
import { userInfoWithGroups } from '../__testUtils__/userInfo';

jest.setTimeout(60_000);

const MEMBER = 'user:default/dana';
const OUTSIDER = 'user:default/olli';
const ADMIN = 'user:default/ada';
const GROUPS: Record<string, string[]> = {
  [MEMBER]: ['group:default/team-a'],
  [OUTSIDER]: ['group:default/team-b'],
  [ADMIN]: ['group:default/platform'],
};

const entities = [
  entity('Group', 'team-a', { type: 'team', children: [] }),
  entity('Group', 'team-b', { type: 'team', children: [] }),
  entity('System', 'store', { owner: 'team-a' }),
  entity('Component', 'api', { owner: 'team-a', system: 'store' }),
  entity(
    'Component',
    'web',
    { owner: 'team-a', system: 'store' },
    {
      'costscope.io/cost-tags': 'app=web',
      'costscope.io/budget-monthly': '100',
    },
  ),
  entity(
    'Component',
    'broken',
    { owner: 'team-a' },
    { 'costscope.io/budget-monthly': 'lots' },
  ),
];

const rows = [
  {
    day: '2026-03-01',
    cost: '10.000000000001',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  {
    day: '2026-03-02',
    cost: '5.5',
    tags: { service: 'api' },
    resource: 'i-api',
    service: 'Amazon RDS',
  },
  { day: '2026-03-02', cost: '2.25', tags: { app: 'web' }, resource: 'cdn-1' },
  { day: '2026-02-27', cost: '4', tags: { service: 'api' }, resource: 'i-api' },
];

const later = {
  frequency: { hours: 24 },
  timeout: { minutes: 5 },
  initialDelay: { hours: 1 },
};

async function startBackend(knex: any) {
  const dir = await writeFocusDir({ 'focus.csv': focusCsv(rows) });
  const sent: any[] = [];
  const backend = await startTestBackend({
    features: [
      costscopePlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.database.factory({ knex }),
      // As the demo's policy: ADMIN may do everything; the others read everything and
      // change the budgets of the entities their group owns.
      policyPermissions((permission, user) => {
        if (user === ADMIN) return { result: AuthorizeResult.ALLOW };
        if (permission.name === 'costscope.admin') {
          return { result: AuthorizeResult.DENY };
        }
        if (
          isResourcePermission(permission, 'catalog-entity') &&
          permission.attributes.action === 'update'
        ) {
          return createCostscopeConditionalDecision(
            permission,
            costscopeConditions.isEntityOrAncestorOwner({
              claims: [user, ...(GROUPS[user] ?? [])],
              ancestors: false,
            }),
          );
        }
        return { result: AuthorizeResult.ALLOW };
      }).factory,
      userInfoWithGroups(GROUPS),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (options: any) => {
            sent.push(options);
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          costscope: {
            currency: 'USD',
            sources: [
              { id: 'files', type: 'focus', paths: [dir], schedule: later },
            ],
            allocation: { schedule: later },
            budgets: [
              {
                entityRef: 'system:default/store',
                amount: 1000,
                period: 'quarterly',
              },
            ],
            alerts: { anomalies: { enabled: false } },
          },
        },
      }),
    ],
  });
  const ingest = await request(backend.server)
    .post('/api/costscope/v1/ingest')
    .set('Authorization', mockCredentials.service.header())
    .send({});
  expect(ingest.body.runs[0].status).toBe('succeeded');
  return { backend, server: backend.server, sent };
}

const budgetPath = (kind: string, name: string) =>
  `/api/costscope/v1/entities/${kind}/default/${name}/budget`;
const as = (user: string) => mockCredentials.user.header(user);

describe('budget routes', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'lets the owning group set, change and delete a budget, recording each change, on %p',
    async id => {
      const { backend, server, sent } = await startBackend(
        await databases.init(id),
      );
      try {
        const none = await request(server)
          .get(budgetPath('component', 'api'))
          .set('Authorization', as(MEMBER));
        expect(none.status).toBe(200);
        expect(none.body).toEqual({ status: null, canEdit: true });

        const created = await request(server)
          .put(budgetPath('component', 'api'))
          .set('Authorization', as(MEMBER))
          .send({ amount: '15', period: 'monthly', currency: 'USD' });
        expect(created.status).toBe(200);
        expect(created.body.canEdit).toBe(true);
        expect(created.body.status).toMatchObject({
          budget: {
            entityRef: 'component:default/api',
            amount: '15.000000000',
            source: 'ui',
            updatedBy: MEMBER,
          },
          period: { from: '2026-03-01', to: '2026-04-01' },
          dataThrough: '2026-03-02',
          spent: '15.500000000',
          percentUsed: 103.3,
          state: 'over',
        });

        // Crossed on creation: 50/80/100 % of actual, and the forecast's 100 %.
        const alerts = await request(server)
          .get('/api/costscope/v1/alerts')
          .query({ entityRef: 'component:default/api' })
          .set('Authorization', as(MEMBER));
        expect(
          alerts.body.items
            .map((a: any) => `${a.threshold.kind}:${a.threshold.percent}`)
            .sort(),
        ).toEqual(['actual:100', 'actual:50', 'actual:80', 'forecast:100']);
        expect(alerts.body.items[0]).toMatchObject({
          kind: 'budget',
          period: '2026-03-01',
          reference: '15.000000000',
          link: '/catalog/default/component/api/cost',
          deliveredTo: ['notifications'],
        });
        expect(alerts.body.items[0].drivers[0]).toMatchObject({
          serviceName: 'Amazon Elastic Compute Cloud',
        });
        expect(sent).toHaveLength(4);
        // Distinct scopes, or the notifications backend would fold them into one.
        expect(new Set(sent.map(s => s.payload.scope)).size).toBe(4);
        expect(sent[0].recipients).toEqual({
          type: 'entity',
          entityRef: ['group:default/team-a'],
        });

        // Re-ingesting and re-evaluating fires nothing new: once per threshold per period.
        await request(server)
          .post('/api/costscope/v1/ingest')
          .set('Authorization', mockCredentials.service.header())
          .send({});
        await request(server)
          .put(budgetPath('component', 'api'))
          .set('Authorization', as(MEMBER))
          .send({
            amount: '20.5',
            period: 'monthly',
            currency: 'USD',
            thresholds: [{ kind: 'actual', percent: 90 }],
            recipients: ['user:default/dana'],
          });
        expect(sent).toHaveLength(4);

        const removed = await request(server)
          .delete(budgetPath('component', 'api'))
          .set('Authorization', as(MEMBER));
        expect(removed.status).toBe(204);
        const again = await request(server)
          .delete(budgetPath('component', 'api'))
          .set('Authorization', as(MEMBER));
        expect(again.status).toBe(404);

        const history = await request(server)
          .get(`${budgetPath('component', 'api')}/history`)
          .set('Authorization', as(OUTSIDER));
        expect(history.body.items.map((c: any) => c.action)).toEqual([
          'deleted',
          'updated',
          'created',
        ]);
        expect(history.body.items[1]).toMatchObject({
          by: MEMBER,
          before: { amount: '15.000000000' },
          after: {
            amount: '20.500000000',
            thresholds: [{ kind: 'actual', percent: 90 }],
            recipients: ['user:default/dana'],
          },
        });
      } finally {
        await backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'answers 403 to others, 400 to bad budgets, and stores nothing, on %p',
    async id => {
      const { backend, server } = await startBackend(await databases.init(id));
      try {
        const readOnly = await request(server)
          .get(budgetPath('component', 'api'))
          .set('Authorization', as(OUTSIDER));
        expect(readOnly.body).toEqual({
          status: null,
          canEdit: false,
          readOnlyReason:
            'Your permissions do not let you change this budget (permission costscope.entity.budget.update).',
        });
        const forbidden = await request(server)
          .put(budgetPath('component', 'api'))
          .set('Authorization', as(OUTSIDER))
          .send({ amount: '15', period: 'monthly', currency: 'USD' });
        expect(forbidden.status).toBe(403);
        expect(forbidden.body.error.message).toBe(
          'You may not do this to component:default/api (permission costscope.entity.budget.update).',
        );
        expect(
          (
            await request(server)
              .delete(budgetPath('component', 'api'))
              .set('Authorization', as(OUTSIDER))
          ).status,
        ).toBe(403);

        // Admins may edit any budget.
        const admin = await request(server)
          .get(budgetPath('group', 'team-a'))
          .set('Authorization', as(ADMIN));
        expect(admin.body.canEdit).toBe(true);

        const bad: Array<[object, string]> = [
          [{ amount: '-5', period: 'monthly', currency: 'USD' }, 'amount'],
          [{ amount: '0', period: 'monthly', currency: 'USD' }, 'amount'],
          [{ amount: 'ten', period: 'monthly', currency: 'USD' }, 'amount'],
          [{ amount: '1e30', period: 'monthly', currency: 'USD' }, 'amount'],
          [
            { amount: '99999999999999', period: 'monthly', currency: 'USD' },
            'amount',
          ],
          [{ amount: '10', period: 'weekly', currency: 'USD' }, 'period'],
          [
            { amount: '10', period: 'monthly', currency: 'EUR' },
            'billing currency USD',
          ],
          [
            {
              amount: '10',
              period: 'monthly',
              currency: 'USD',
              thresholds: [{ kind: 'actual', percent: 0 }],
            },
            'percent',
          ],
          [
            {
              amount: '10',
              period: 'monthly',
              currency: 'USD',
              thresholds: [{ kind: 'actual', percent: 1001 }],
            },
            'percent',
          ],
          [
            {
              amount: '10',
              period: 'monthly',
              currency: 'USD',
              recipients: ['not a ref'],
            },
            'recipients',
          ],
        ];
        for (const [body, field] of bad) {
          const response = await request(server)
            .put(budgetPath('component', 'api'))
            .set('Authorization', as(MEMBER))
            .send(body);
          expect({ body, status: response.status }).toEqual({
            body,
            status: 400,
          });
          expect(response.body.error.message).toContain(field);
        }
        // An entity the catalog does not hold meets no condition of the policy: refused
        // to a member; an admin (allowed without conditions) learns it is not there.
        const unknownToMember = await request(server)
          .put(budgetPath('component', 'ghost'))
          .set('Authorization', as(MEMBER))
          .send({ amount: '10', period: 'monthly', currency: 'USD' });
        expect(unknownToMember.status).toBe(403);
        const unknown = await request(server)
          .put(budgetPath('component', 'ghost'))
          .set('Authorization', as(ADMIN))
          .send({ amount: '10', period: 'monthly', currency: 'USD' });
        expect(unknown.status).toBe(400);
        expect(unknown.body.error.message).toBe(
          'entity component:default/ghost is not in the catalog',
        );
        expect(
          (
            await request(server)
              .get(budgetPath('component', 'ghost'))
              .set('Authorization', as(MEMBER))
          ).status,
        ).toBe(404);

        const history = await request(server)
          .get(`${budgetPath('component', 'api')}/history`)
          .set('Authorization', as(MEMBER));
        expect(history.body.items).toEqual([]);
        const after = await request(server)
          .get(budgetPath('component', 'api'))
          .set('Authorization', as(MEMBER));
        expect(after.body.status).toBeNull();
      } finally {
        await backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'serves declared budgets read-only and lists every budget, on %p',
    async id => {
      const { backend, server } = await startBackend(await databases.init(id));
      try {
        const web = await request(server)
          .get(budgetPath('component', 'web'))
          .set('Authorization', as(MEMBER));
        expect(web.body).toMatchObject({
          canEdit: false,
          readOnlyReason: expect.stringContaining('annotations'),
          status: {
            budget: { source: 'annotation', amount: '100.000000000' },
            spent: '2.250000000',
            state: 'ok',
          },
        });
        const conflict = await request(server)
          .put(budgetPath('component', 'web'))
          .set('Authorization', as(MEMBER))
          .send({ amount: '10', period: 'monthly', currency: 'USD' });
        expect(conflict.status).toBe(409);

        const broken = await request(server)
          .get(budgetPath('component', 'broken'))
          .set('Authorization', as(MEMBER));
        expect(broken.body.status).toBeNull();
        expect(broken.body.problems).toEqual([
          expect.stringContaining(
            'annotation costscope.io/budget-monthly of component:default/broken: amount',
          ),
        ]);

        const list = await request(server)
          .get('/api/costscope/v1/budgets')
          .set('Authorization', as(OUTSIDER));
        expect(
          list.body.items.map((item: any) => [
            item.entityRef,
            item.status.budget.source,
            item.status.budget.period,
            item.status.spent,
          ]),
        ).toEqual([
          ['component:default/web', 'annotation', 'monthly', '2.250000000'],
          // The quarter holds February's 4 too.
          ['system:default/store', 'config', 'quarterly', '21.750000000'],
        ]);
      } finally {
        await backend.stop();
      }
    },
  );
});
