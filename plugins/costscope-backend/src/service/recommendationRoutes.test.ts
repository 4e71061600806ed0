import express from 'express';
import Router from 'express-promise-router';
import { Knex } from 'knex';
import request from 'supertest';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  costscopeConditions,
  createCostscopeConditionalDecision,
} from '../permissions/rules';
import {
  entityConditionsFor,
  policyPermissions,
} from '../__testUtils__/permissions';
import { Recommendation } from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { DEFAULT_RECOMMENDATIONS_CONFIG } from '../recommendations/recommendationsConfig';
import { RecommendationService } from '../recommendations/RecommendationService';
import { CostQueries } from '../store/CostQueries';
import { InventoryStore } from '../store/InventoryStore';
import { applyMigrations } from '../store/migrations';
import { RecommendationStore } from '../store/RecommendationStore';
import { createTestDatabases } from '../__testUtils__/databases';
import { DefaultCostscopeAccess } from './access';
import { recommendationRoutes } from './recommendationRoutes';
import { userInfoWithGroups } from '../__testUtils__/userInfo';
import { testPriceTable } from '../recommendations/__testUtils__/prices';

jest.setTimeout(60_000);

const MEMBER = 'user:default/dana';
const OUTSIDER = 'user:default/olli';
const ADMIN = 'user:default/ada';
const BLIND = 'user:default/bo'; // may not read costs
const GROUPS: Record<string, string[]> = {
  [MEMBER]: ['Group:default/Team-A'],
  [OUTSIDER]: ['group:default/team-b'],
  [ADMIN]: ['group:default/platform'],
};

const API = 'component:default/api';
const OWNERLESS = 'component:default/ownerless';
const entities: SnapshotEntity[] = [
  {
    ref: 'group:default/team-a',
    kind: 'group',
    name: 'team-a',
    annotations: {},
  },
  {
    ref: 'group:default/team-b',
    kind: 'group',
    name: 'team-b',
    annotations: {},
  },
  {
    ref: API,
    kind: 'component',
    name: 'api',
    ownerRef: 'group:default/team-a',
    annotations: {},
  },
  { ref: OWNERLESS, kind: 'component', name: 'ownerless', annotations: {} },
];

const SNAPSHOT_ARN = 'arn:aws:ec2:us-east-1:111122223333:snapshot/snap-1';

function recommendation(
  kind: Recommendation['kind'],
  resourceId: string,
  monthlySaving: string,
  entityRef?: string,
): Recommendation {
  return {
    id: `${kind}:${resourceId}`,
    kind,
    provider: 'AWS',
    resourceId,
    resourceKind: 'instance',
    accountId: '111122223333',
    region: 'us-east-1',
    ...(entityRef ? { entityRef } : {}),
    action: 'Stop it',
    reason: 'Idle',
    evidence: {},
    monthlySaving,
    currency: 'USD',
    confidence: 'high',
    priceSource: 'price-table',
    state: 'open',
  };
}

async function seed(knex: Knex) {
  await applyMigrations(knex);
  await knex('costscope_entities').insert(
    entities.map(e => ({
      entity_ref: e.ref,
      kind: e.kind,
      owner_ref: e.ownerRef ?? null,
    })),
  );
  await knex('costscope_entity_ancestors').insert([
    ...entities.map(e => ({ entity_ref: e.ref, ancestor_ref: e.ref })),
    { entity_ref: API, ancestor_ref: 'group:default/team-a' },
  ]);
  await new RecommendationStore(knex).replaceAll(
    [
      recommendation('idle-instance', 'i-api', '0.100000000', API),
      recommendation('old-snapshot', SNAPSHOT_ARN, '0.200000000', API),
      recommendation('idle-instance', 'i-free', '7.000000000'),
      recommendation('idle-instance', 'i-lone', '3.000000000', OWNERLESS),
    ],
    [],
    '2026-11-22T06:00:00.000Z',
  );
}

async function startBackend(knex: Knex) {
  await seed(knex);
  const testPlugin = createBackendPlugin({
    pluginId: 'costscope',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          userInfo: coreServices.userInfo,
          auth: coreServices.auth,
          permissions: coreServices.permissions,
          logger: coreServices.logger,
          auditor: coreServices.auditor,
        },
        async init({
          httpRouter,
          httpAuth,
          userInfo,
          auth,
          permissions,
          logger,
          auditor,
        }) {
          const router = Router();
          router.use(express.json());
          router.use(
            recommendationRoutes({
              auditor,
              access: new DefaultCostscopeAccess({
                auth,
                httpAuth,
                userInfo,
                permissions,
                directory: {
                  getEntity: async ref => entities.find(e => e.ref === ref),
                },
                entityExists: ref => new CostQueries(knex).entityExists(ref),
                allEntities: async () => entities.map(e => e.ref),
                ...entityConditionsFor(async ref =>
                  entities.find(e => e.ref === ref),
                ),
              }),
              recommendations: new RecommendationService({
                store: new RecommendationStore(knex),
                inventory: new InventoryStore(knex),
                config: DEFAULT_RECOMMENDATIONS_CONFIG,
                currency: async () => 'USD',
                prices: async () => testPriceTable(),
                logger,
                now: () => new Date('2026-11-22T10:00:00Z'),
              }),
              now: () => new Date('2026-11-22T10:00:00Z'),
            }),
          );
          httpRouter.use(router);
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      testPlugin,
      // As the demo's policy: ADMIN alone holds costscope.admin and changes every tip, others
      // those of entities their group owns; BLIND may do nothing.
      policyPermissions((permission, user) => {
        if (user === BLIND) return { result: AuthorizeResult.DENY };
        if (user === ADMIN) return { result: AuthorizeResult.ALLOW };
        if (permission.name === 'costscope.admin') {
          return { result: AuthorizeResult.DENY };
        }
        if (permission.name === 'costscope.entity.recommendation.update') {
          return createCostscopeConditionalDecision(
            permission as ResourcePermission<'catalog-entity'>,
            costscopeConditions.isEntityOrAncestorOwner({
              claims: [user, ...GROUPS[user]],
              ancestors: false,
            }),
          );
        }
        return { result: AuthorizeResult.ALLOW };
      }).factory,
      userInfoWithGroups(GROUPS),
    ],
  });
  return backend;
}

const as = (user: string) => mockCredentials.user.header(user);
const statePath = (id: string) =>
  `/api/costscope/v1/recommendations/${encodeURIComponent(id)}/state`;

describe('recommendation routes', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'serves the recommendations of an entity, rolled up, and of the organisation on %p',
    async id => {
      const backend = await startBackend(await databases.init(id));
      const server = backend.server;
      try {
        const team = await request(server)
          .get(
            '/api/costscope/v1/entities/group/default/team-a/recommendations',
          )
          .set('Authorization', as(OUTSIDER));
        expect(team.status).toBe(200);
        expect(team.body).toMatchObject({
          entityRef: 'group:default/team-a',
          currency: 'USD',
          totalMonthlySaving: '0.300000000',
          dismissed: [],
          skipped: [],
          computedAt: '2026-11-22T06:00:00.000Z',
        });
        expect(team.body.items.map((t: Recommendation) => t.id)).toEqual([
          `old-snapshot:${SNAPSHOT_ARN}`,
          'idle-instance:i-api',
        ]);

        const unknown = await request(server)
          .get(
            '/api/costscope/v1/entities/component/default/nope/recommendations',
          )
          .set('Authorization', as(MEMBER));
        expect(unknown.status).toBe(404);
        expect(unknown.body.error.message).toMatch(/component:default\/nope/);

        const blind = await request(server)
          .get('/api/costscope/v1/recommendations')
          .set('Authorization', as(BLIND));
        expect(blind.status).toBe(403);
        // An entity hidden from the caller answers as one that does not exist.
        const hidden = await request(server)
          .get(
            '/api/costscope/v1/entities/component/default/api/recommendations',
          )
          .set('Authorization', as(BLIND));
        expect(hidden.status).toBe(404);
        expect(hidden.body.error.message).toMatch(/component:default\/api/);

        const org = await request(server)
          .get('/api/costscope/v1/recommendations')
          .set('Authorization', as(MEMBER));
        expect(org.status).toBe(200);
        expect(org.body.entityRef).toBe('organization');
        expect(org.body.totalMonthlySaving).toBe('10.300000000');
        expect(org.body.items.map((t: Recommendation) => t.resourceId)).toEqual(
          ['i-free', 'i-lone', SNAPSHOT_ARN, 'i-api'],
        );
        const top = await request(server)
          .get('/api/costscope/v1/recommendations?limit=1')
          .set('Authorization', as(MEMBER));
        expect(top.body.items.map((t: Recommendation) => t.id)).toEqual([
          'idle-instance:i-free',
        ]);
        for (const limit of ['0', '1001', 'ten']) {
          const bad = await request(server)
            .get(`/api/costscope/v1/recommendations?limit=${limit}`)
            .set('Authorization', as(MEMBER));
          expect(bad.status).toBe(400);
          expect(bad.body.error.message).toMatch(/limit/);
        }
      } finally {
        await backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'lets the owning group and admins dismiss, snooze and reopen recommendations on %p',
    async id => {
      const backend = await startBackend(await databases.init(id));
      const server = backend.server;
      const put = (recommendationId: string, user: string, body: unknown) =>
        request(server)
          .put(statePath(recommendationId))
          .set('Authorization', as(user))
          .send(body as object);
      try {
        const dismissed = await put('idle-instance:i-api', MEMBER, {
          state: 'dismissed',
          reason: '  needed for the audit  ',
        });
        expect(dismissed.status).toBe(200);
        expect(dismissed.body).toMatchObject({
          id: 'idle-instance:i-api',
          state: 'dismissed',
          dismissal: {
            state: 'dismissed',
            reason: 'needed for the audit',
            by: MEMBER,
            at: '2026-11-22T10:00:00.000Z',
          },
        });

        // an id with slashes and colons, URL-encoded
        const snoozed = await put(`old-snapshot:${SNAPSHOT_ARN}`, MEMBER, {
          state: 'snoozed',
          reason: 'after the freeze',
          until: '2026-11-23',
        });
        expect(snoozed.status).toBe(200);
        expect(snoozed.body.dismissal.until).toBe('2026-11-23');

        const team = await request(server)
          .get(
            '/api/costscope/v1/entities/group/default/team-a/recommendations',
          )
          .set('Authorization', as(MEMBER));
        expect(team.body.items).toEqual([]);
        expect(team.body.totalMonthlySaving).toBe('0.000000000');
        expect(
          team.body.dismissed.map((t: Recommendation) => [t.id, t.state]),
        ).toEqual([
          [`old-snapshot:${SNAPSHOT_ARN}`, 'snoozed'],
          ['idle-instance:i-api', 'dismissed'],
        ]);

        const outsider = await put('idle-instance:i-api', OUTSIDER, {
          state: 'open',
        });
        // A caller who may read the entity's cost learns why; one who may not sees no tip.
        expect(outsider.status).toBe(403);
        expect(outsider.body.error.message).toBe(
          'You may not do this to component:default/api (permission costscope.entity.recommendation.update).',
        );
        const blind = await put('idle-instance:i-api', BLIND, {
          state: 'open',
        });
        expect(blind.status).toBe(404);
        expect(blind.body.error.message).toBe(
          "no recommendation 'idle-instance:i-api' in the last computation",
        );

        // Unallocated and ownerless recommendations: admins only.
        const free = await put('idle-instance:i-free', MEMBER, {
          state: 'dismissed',
          reason: 'not ours',
        });
        expect(free.status).toBe(403);
        expect(free.body.error.message).toMatch(/not allocated/);
        const lone = await put('idle-instance:i-lone', MEMBER, {
          state: 'dismissed',
          reason: 'not ours',
        });
        expect(lone.status).toBe(403);
        expect(lone.body.error.message).toBe(
          'You may not do this to component:default/ownerless (permission costscope.entity.recommendation.update).',
        );
        const admin = await put('idle-instance:i-free', ADMIN, {
          state: 'dismissed',
          reason: 'a known exception',
        });
        expect(admin.status).toBe(200);
        expect(admin.body.dismissal.by).toBe(ADMIN);

        const reopened = await put('idle-instance:i-api', ADMIN, {
          state: 'open',
        });
        expect(reopened.status).toBe(200);
        expect(reopened.body.state).toBe('open');
        expect(reopened.body.dismissal).toBeUndefined();

        const missing = await put('idle-instance:i-gone', ADMIN, {
          state: 'open',
        });
        expect(missing.status).toBe(404);
        expect(missing.body.error.message).toMatch(/idle-instance:i-gone/);
      } finally {
        await backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'rejects bad state bodies naming the field on %p',
    async id => {
      const backend = await startBackend(await databases.init(id));
      try {
        const cases: Array<[unknown, RegExp]> = [
          [
            { state: 'closed' },
            /state must be one of open, dismissed, snoozed/,
          ],
          [{}, /state is required/],
          [{ state: 'dismissed' }, /reason is required/],
          [{ state: 'dismissed', reason: '   ' }, /reason is required/],
          [{ state: 'dismissed', reason: 7 }, /reason must be a string/],
          [
            { state: 'dismissed', reason: 'x'.repeat(501) },
            /reason must be at most 500 characters/,
          ],
          [{ state: 'snoozed', reason: 'later' }, /until is required/],
          [
            { state: 'snoozed', reason: 'later', until: '2026-11-22' },
            /until must be after today \(2026-11-22\)/,
          ],
          [
            { state: 'snoozed', reason: 'later', until: '2026-02-30' },
            /until '2026-02-30' is not a date/,
          ],
          [
            { state: 'dismissed', reason: 'x', until: '2026-12-01' },
            /until is only allowed to snooze/,
          ],
          [{ state: 'open', by: 'me' }, /unknown field 'by'/],
          [['open'], /must be a JSON object/],
        ];
        for (const [body, message] of cases) {
          const res = await request(backend.server)
            .put(statePath('idle-instance:i-api'))
            .set('Authorization', as(MEMBER))
            .send(body as object);
          expect({ body, status: res.status }).toEqual({ body, status: 400 });
          expect(res.body.error.message).toMatch(message);
        }
        // 500 characters are fine
        const longest = await request(backend.server)
          .put(statePath('idle-instance:i-api'))
          .set('Authorization', as(MEMBER))
          .send({ state: 'dismissed', reason: 'é'.repeat(500) });
        expect(longest.status).toBe(200);
      } finally {
        await backend.stop();
      }
    },
  );
});
