import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuditorService,
  BackendFeature,
  AuditorServiceEventSeverityLevel,
  coreServices,
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationService,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import {
  costscopeConditions,
  createCostscopeConditionalDecision,
} from '../permissions/rules';
import { costscopePlugin } from '../plugin';
import { RecommendationStore } from '../store/RecommendationStore';
import { entity } from './entities';
import { focusCsv, FocusRow, writeFocusDir } from './focus';
import { policyPermissions, TestPolicy } from './permissions';
import { userInfoWithGroups } from './userInfo';

/**
 * The wired plugin on a small organisation, for tests of the HTTP surface as a whole
 * (permissions, audit, malformed input): team-a owns system store and components api and
 * web; team-b owns nothing. Requests without credentials are unauthenticated (no mock user).
 */

export const MEMBER = 'user:default/dana'; // in team-a
export const OUTSIDER = 'user:default/olli'; // in team-b; never a Costscope admin
export const GROUPS: Record<string, string[]> = {
  [MEMBER]: ['group:default/team-a'],
  [OUTSIDER]: ['group:default/team-b'],
};
export const as = (user: string) => mockCredentials.user.header(user);

/** GETs Costscope routes as `user` (default {@link MEMBER}) and gives each body, expecting 200. */
export function okBodyOf(
  backend: { server: Parameters<typeof request>[0] },
  user: string = MEMBER,
) {
  return async (url: string) => {
    const response = await request(backend.server)
      .get(`/api/costscope${url}`)
      .set('Authorization', as(user));
    expect(response.status).toBe(200);
    return response.body;
  };
}

/** The recommendation seeded on component api (owned by team-a). */
export const RECOMMENDATION_ID = 'idle-instance:i-api';

export const entities = [
  entity('Group', 'team-a', { type: 'team', children: [] }),
  entity('Group', 'team-b', { type: 'team', children: [] }),
  entity('System', 'store', { owner: 'team-a' }),
  entity('Component', 'api', { owner: 'team-a', system: 'store' }),
  entity('Component', 'web', { owner: 'team-a', system: 'store' }),
];

const rows = [
  {
    day: '2026-03-01',
    cost: '10.5',
    tags: { service: 'api' },
    resource: 'i-api',
  },
  { day: '2026-03-02', cost: '2.25', tags: { service: 'web' }, resource: 'b' },
  { day: '2026-03-02', cost: '1', resource: 'i-orphan' },
];

const later = {
  frequency: { hours: 24 },
  timeout: { minutes: 5 },
  initialDelay: { hours: 1 },
};

/** An event as the auditor received it, with the actor it resolved from the request. */
export interface RecordedAuditEvent {
  eventId: string;
  severityLevel?: AuditorServiceEventSeverityLevel;
  status: 'initiated' | 'succeeded' | 'failed';
  /** The user or service that made the request, as Backstage's own auditor finds it. */
  actor?: string;
  request?: { method: string; url: string };
  meta?: JsonObject;
  error?: string;
}

/** An auditor that records events, resolving the actor the way the default one does. */
export function recordingAuditor() {
  const events: RecordedAuditEvent[] = [];
  const factory = createServiceFactory({
    service: coreServices.auditor,
    deps: { httpAuth: coreServices.httpAuth },
    factory: ({ httpAuth }): AuditorService => ({
      async createEvent(options) {
        let actor: string | undefined;
        if (options.request) {
          const { principal } = (await httpAuth.credentials(
            options.request,
          )) as { principal: any };
          actor = principal.userEntityRef ?? principal.subject;
        }
        const record = (
          status: RecordedAuditEvent['status'],
          extra: { meta?: JsonObject; error?: Error } = {},
        ) => {
          events.push({
            eventId: options.eventId,
            severityLevel: options.severityLevel,
            status,
            actor,
            ...(options.request
              ? {
                  request: {
                    method: options.request.method,
                    url: options.request.originalUrl,
                  },
                }
              : {}),
            meta: { ...options.meta, ...extra.meta },
            ...(extra.error ? { error: extra.error.message } : {}),
          });
        };
        record('initiated');
        return {
          async success(params) {
            record('succeeded', { meta: params?.meta });
          },
          async fail(params) {
            record('failed', params);
          },
        };
      },
    }),
  });
  return { events, factory };
}

/**
 * Seeds the recommendation {@link RECOMMENDATION_ID} (a computation replaces it: seed again
 * after an ingest).
 */
export async function seedRecommendation(knex: Knex) {
  await new RecommendationStore(knex).replaceAll(
    [
      {
        id: RECOMMENDATION_ID,
        kind: 'idle-instance',
        provider: 'AWS',
        resourceId: 'i-api',
        resourceKind: 'instance',
        accountId: '111122223333',
        region: 'us-east-1',
        entityRef: 'component:default/api',
        action: 'Stop it',
        reason: 'Idle',
        evidence: {},
        monthlySaving: '3.000000000',
        currency: 'USD',
        confidence: 'high',
        priceSource: 'price-table',
        state: 'open',
      },
    ],
    [],
    new Date().toISOString(),
  );
}

export interface ApiBackendOptions {
  /**
   * Whether the policy grants a permission to a user; default: everything, except
   * `costscope.admin` to {@link OUTSIDER}. Service principals are always allowed.
   */
  allow?: (permission: string, user: string) => boolean;
  /** The policy's full decision (conditions too); takes precedence over `allow`. */
  policy?: TestPolicy;
  /** The auditor; default: Backstage's test default. */
  auditor?: ReturnType<typeof recordingAuditor>['factory'];
  /** Another organisation: its catalog, bill and users' groups (default the small one). */
  organisation?: {
    entities: Entity[];
    rows: FocusRow[];
    groups: Record<string, string[]>;
  };
  /** The permissions service, when a test resolves conditions itself; takes precedence over `policy`. */
  permissions?: ServiceFactory;
  /** More `costscope` config, merged over the test's own. */
  costscope?: JsonObject;
  /** Receives notifications; default: drops them. */
  notifications?: NotificationService;
  /** More backend features, such as a module that adds sources. */
  features?: BackendFeature[];
}

/**
 * As the demo's policy: what `allow` grants, except that a non-admin changes budgets and
 * recommendations only of entities their group owns (a conditional decision).
 */
export function demoLikePolicy(
  allow: (permission: string, user: string) => boolean,
): TestPolicy {
  return (permission, user) => {
    if (!allow(permission.name, user)) return { result: AuthorizeResult.DENY };
    if (
      isResourcePermission(permission, 'catalog-entity') &&
      permission.attributes.action === 'update' &&
      !allow('costscope.admin', user)
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
  };
}

/** Starts the plugin, ingests the small organisation's bill and seeds a recommendation. */
export async function startApiBackend(
  knex: Knex,
  options: ApiBackendOptions = {},
) {
  const allow =
    options.allow ??
    ((permission: string, user: string) =>
      !(permission === 'costscope.admin' && user === OUTSIDER));
  const organisation = options.organisation ?? {
    entities,
    rows,
    groups: GROUPS,
  };
  const dir = await writeFocusDir({
    'focus.csv': focusCsv(organisation.rows),
  });
  const backend = await startTestBackend({
    features: [
      costscopePlugin,
      catalogServiceMock.factory({ entities: organisation.entities }),
      mockServices.database.factory({ knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      options.permissions ??
        policyPermissions(options.policy ?? demoLikePolicy(allow)).factory,
      userInfoWithGroups(organisation.groups),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => options.notifications ?? { send: async () => {} },
      }),
      ...(options.auditor ? [options.auditor] : []),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          costscope: {
            currency: 'USD',
            sources: [
              { id: 'files', type: 'focus', paths: [dir], schedule: later },
            ],
            allocation: { schedule: later },
            alerts: { anomalies: { enabled: false } },
            unitCost: { metrics: [{ name: 'orders', unit: 'order' }] },
            ...options.costscope,
          },
        },
      }),
    ],
  });
  const ingest = await request(backend.server)
    .post('/api/costscope/v1/ingest')
    .set('Authorization', mockCredentials.service.header())
    .send({});
  if (ingest.body.runs?.[0]?.status !== 'succeeded') {
    throw new Error(`ingest failed: ${JSON.stringify(ingest.body)}`);
  }
  if (!options.organisation) await seedRecommendation(knex);
  // The directory the 'files' source reads, for tests that change the bill.
  return Object.assign(backend, { focusDir: dir });
}
