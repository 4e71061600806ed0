import { Knex } from 'knex';
import request from 'supertest';
import { getOpenApiSpecRoute } from '@backstage/backend-openapi-utils';
import { mockServices, TestBackend } from '@backstage/backend-test-utils';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  chargebackReadPermission,
  complianceReadPermission,
  costscopeAdminPermission,
  entityBudgetUpdatePermission,
  entityCostReadPermission,
  entityRecommendationUpdatePermission,
  ingestRunsReadPermission,
  metricsWritePermission,
  overviewReadPermission,
} from '@costscope/backstage-plugin-common';
import {
  as,
  GROUPS,
  MEMBER,
  OUTSIDER,
  seedRecommendation,
  startApiBackend,
  RECOMMENDATION_ID,
  demoLikePolicy,
} from '../__testUtils__/apiBackend';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  costscopeConditions,
  createCostscopeConditionalDecision,
} from '../permissions/rules';
import { createResponseChecker } from '../__testUtils__/openApiResponses';
import {
  listAuditor,
  mockAccess,
  mockCostscopeServices,
} from '../__testUtils__/routeMocks';
import { spec } from '../schema/openapi';
import { createRouter } from './router';

jest.setTimeout(60_000);

const READ = entityCostReadPermission.name;
const UPDATE = entityBudgetUpdatePermission.name;
const TIP = entityRecommendationUpdatePermission.name;
const OVERVIEW = overviewReadPermission.name;
const ADMIN = costscopeAdminPermission.name;

type Method = 'get' | 'put' | 'post' | 'delete';

interface RouteCase {
  method: Method;
  /** The route as the OpenAPI spec writes it. */
  route: string;
  /** A request to it (under /api/costscope). */
  url: string;
  body?: object;
  /** The permission the route checks. */
  permission: string;
  /** The status of an allowed request. */
  allowed: number;
  /**
   * The permission names the route's entity (component api): refused, it answers 404 as
   * for an entity that does not exist.
   */
  entity?: boolean;
  /** Refused (403) to a caller outside the owning group who is no admin but may read. */
  ownersOnly?: boolean;
  /** Run before the allowed request. */
  prepare?: (knex: Knex) => Promise<void>;
}

const range = '?from=2026-03-01&to=2026-03-31';
const api = '/v1/entities/component/default/api';
const budget = { amount: '15', period: 'monthly', currency: 'USD' };

/** Routes open without credentials. */
const OPEN: Omit<RouteCase, 'permission'>[] = [
  { method: 'get', route: '/health', url: '/health', allowed: 200 },
];

/**
 * Every other route of the API with its permission, in an order where each allowed request
 * finds what it needs (the budget set before it is deleted). With OPEN, must list every
 * route: the first test compares them with the spec and with the router's routes.
 */
const ROUTES: RouteCase[] = [
  {
    method: 'get',
    route: '/v1/entities/{kind}/{namespace}/{name}/summary',
    url: `${api}/summary${range}`,
    permission: READ,
    entity: true,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/entities/{kind}/{namespace}/{name}/series',
    url: `${api}/series${range}&groupBy=region`,
    permission: READ,
    entity: true,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/entities/{kind}/{namespace}/{name}/kubernetes',
    url: `${api}/kubernetes${range}`,
    permission: READ,
    entity: true,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/entities/{kind}/{namespace}/{name}/resources',
    url: `${api}/resources${range}&limit=5`,
    permission: READ,
    entity: true,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/entities/{kind}/{namespace}/{name}/digest',
    url: `${api}/digest?period=month&date=2026-03-10`,
    permission: READ,
    entity: true,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/overview',
    url: `/v1/overview${range}`,
    permission: OVERVIEW,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/commitments',
    url: `/v1/commitments${range}`,
    permission: OVERVIEW,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/ingest-runs',
    url: '/v1/ingest-runs',
    permission: ingestRunsReadPermission.name,
    allowed: 200,
  },
  {
    method: 'post',
    route: '/v1/ingest',
    url: '/v1/ingest',
    body: { sourceId: 'files' },
    permission: ADMIN,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/entities/{kind}/{namespace}/{name}/budget',
    url: `${api}/budget`,
    permission: READ,
    entity: true,
    allowed: 200,
  },
  {
    method: 'put',
    route: '/v1/entities/{kind}/{namespace}/{name}/budget',
    url: `${api}/budget`,
    body: budget,
    permission: UPDATE,
    entity: true,
    allowed: 200,
    ownersOnly: true,
  },
  {
    method: 'delete',
    route: '/v1/entities/{kind}/{namespace}/{name}/budget',
    url: `${api}/budget`,
    permission: UPDATE,
    entity: true,
    allowed: 204,
    ownersOnly: true,
  },
  {
    method: 'get',
    route: '/v1/entities/{kind}/{namespace}/{name}/budget/history',
    url: `${api}/budget/history`,
    permission: READ,
    entity: true,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/budgets',
    url: '/v1/budgets',
    permission: OVERVIEW,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/alerts',
    url: '/v1/alerts?entityRef=component:default/api',
    permission: READ,
    entity: true,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/entities/{kind}/{namespace}/{name}/compliance',
    url: `${api}/compliance${range}`,
    permission: READ,
    entity: true,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/compliance',
    url: `/v1/compliance${range}`,
    permission: complianceReadPermission.name,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/chargeback',
    url: `/v1/chargeback${range}`,
    permission: chargebackReadPermission.name,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/chargeback.csv',
    url: `/v1/chargeback.csv${range}&by=group`,
    permission: ADMIN,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/entities/{kind}/{namespace}/{name}/recommendations',
    url: `${api}/recommendations`,
    permission: READ,
    entity: true,
    allowed: 200,
    prepare: seedRecommendation, // the ingest above recomputed the recommendations
  },
  {
    method: 'post',
    route: '/v1/metrics',
    url: '/v1/metrics',
    body: {
      metrics: [
        {
          entityRef: 'component:default/api',
          metric: 'orders',
          values: [{ date: '2026-03-01', value: '3' }],
        },
      ],
    },
    permission: metricsWritePermission.name,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/entities/{kind}/{namespace}/{name}/unit-cost',
    url: `${api}/unit-cost${range}&granularity=month`,
    permission: READ,
    entity: true,
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/recommendations',
    url: '/v1/recommendations',
    permission: OVERVIEW,
    allowed: 200,
  },
  {
    method: 'put',
    route: '/v1/recommendations/{id}/state',
    url: `/v1/recommendations/${encodeURIComponent(RECOMMENDATION_ID)}/state`,
    body: { state: 'dismissed', reason: 'kept for the audit' },
    permission: TIP,
    entity: true,
    allowed: 200,
    ownersOnly: true,
  },
];

const key = (method: string, route: string) =>
  `${method.toUpperCase()} ${route}`;

/** Every operation src/schema/openapi.yaml documents. */
function documentedRoutes(): string[] {
  return Object.entries(spec.paths).flatMap(([route, operations]) =>
    Object.keys(operations)
      .filter(method =>
        ['get', 'put', 'post', 'delete', 'patch'].includes(method),
      )
      .map(method => key(method, route)),
  );
}

/** Every route the plugin's router registers, nested routers included, as the spec writes it. */
function registeredRoutes(router: any): string[] {
  return router.stack.flatMap((layer: any): string[] => {
    if (layer.route) {
      return Object.keys(layer.route.methods).map(method =>
        key(method, layer.route.path.replace(/:(\w+)/g, '{$1}')),
      );
    }
    return layer.handle?.stack ? registeredRoutes(layer.handle) : [];
  });
}

/** The route backend-openapi-utils adds to serve the spec itself. */
const SPEC_ROUTE = key('get', getOpenApiSpecRoute(''));

/** The plugin's real router, on services no test here calls. */
function realRouter() {
  return createRouter({
    logger: mockServices.logger.mock(),
    auditor: listAuditor().auditor,
    access: mockAccess({ grants: {} }),
    services: mockCostscopeServices(),
  });
}

describe('route permissions', () => {
  it('documents in the spec every route the router registers', async () => {
    const documented = new Set(documentedRoutes());
    const undocumented = registeredRoutes(await realRouter()).filter(
      route => route !== SPEC_ROUTE && !documented.has(route),
    );
    expect(undocumented).toEqual([]);
  });

  it('registers every route the spec documents', async () => {
    const registered = new Set(registeredRoutes(await realRouter()));
    expect(documentedRoutes().filter(route => !registered.has(route))).toEqual(
      [],
    );
  });

  it('has one entry per route, the same as the spec and the router', async () => {
    const table = [...OPEN, ...ROUTES].map(r => key(r.method, r.route)).sort();
    const registered = registeredRoutes(await realRouter()).filter(
      route => route !== SPEC_ROUTE,
    );
    expect(new Set(table).size).toBe(table.length);
    expect(table).toEqual(documentedRoutes().sort());
    expect(table).toEqual(registered.sort());
  });

  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', id => {
    let knex: Knex;
    let backend: TestBackend;
    /** The permissions the policy refuses to MEMBER in the current test. */
    let refused: string[] = [];
    /** Entity permissions granted only on entities the caller's group owns (or an ancestor's). */
    let byOwnership = false;
    let checkResponse: Awaited<ReturnType<typeof createResponseChecker>>;

    beforeAll(async () => {
      checkResponse = await createResponseChecker();
      knex = await databases.init(id);
      const demo = demoLikePolicy(
        (permission, user) =>
          !refused.includes(permission) &&
          !(permission === ADMIN && user === OUTSIDER),
      );
      backend = await startApiBackend(knex, {
        policy: (permission, user) =>
          byOwnership && 'resourceType' in permission
            ? createCostscopeConditionalDecision(
                permission as ResourcePermission<'catalog-entity'>,
                costscopeConditions.isEntityOrAncestorOwner({
                  claims: [user, ...(GROUPS[user] ?? [])],
                }),
              )
            : demo(permission, user),
      });
    });
    afterAll(async () => {
      await backend?.stop();
    });
    afterEach(() => {
      refused = [];
      byOwnership = false;
    });

    /** Fails if the body names or prices anything of the small organisation. */
    const expectNoLeak = (res: request.Response) => {
      const text = JSON.stringify(res.body) + (res.text ?? '');
      // What the request itself names (the ref, a recommendation id) may come back.
      for (const hidden of ['team-a', 'store', 'web', '10.5', '2.25']) {
        expect({ hidden, leaked: text.includes(hidden) }).toEqual({
          hidden,
          leaked: false,
        });
      }
    };

    const send = (route: Omit<RouteCase, 'permission'>, user?: string) => {
      let call = request(backend.server)[route.method](
        `/api/costscope${route.url}`,
      );
      if (user) call = call.set('Authorization', as(user));
      return route.body ? call.send(route.body) : call;
    };

    /** Fails unless the response matches the spec's schema for its route and status. */
    const expectSpecShape = async (
      route: Omit<RouteCase, 'permission'>,
      res: request.Response,
    ) => {
      const problem = await checkResponse(route.method, route.url, {
        status: res.status,
        body: res.body,
        type: res.headers['content-type'] ?? '',
      });
      expect({ response: `${res.status} of ${route.url}`, problem }).toEqual({
        response: `${res.status} of ${route.url}`,
        problem: undefined,
      });
    };

    it.each(OPEN.map(r => [key(r.method, r.route), r] as const))(
      '%s: open without credentials',
      async (_name, route) => {
        const res = await send(route);
        expect(res.status).toBe(route.allowed);
        await expectSpecShape(route, res);
      },
    );

    // Before the allowed requests below: a refused change changes nothing.
    it.each(
      ROUTES.filter(r => r.ownersOnly).map(
        r => [key(r.method, r.route), r] as const,
      ),
    )(
      '%s: 403 outside the owning group for all but admins, to a caller who may read',
      async (_name, route) => {
        const outsider = await send(route, OUTSIDER);
        expect(outsider.status).toBe(403);
        expect(outsider.body.error.message).toContain(route.permission);
        await expectSpecShape(route, outsider);
      },
    );

    // Conditional: entity permissions only where the caller's group owns the entity or an
    // ancestor. OUTSIDER (team-b) owns nothing: every entity route is a 404 that tells
    // nothing; MEMBER (team-a) reads api.
    it.each(
      ROUTES.filter(r => r.entity).map(
        r => [key(r.method, r.route), r] as const,
      ),
    )('%s: by ownership, 404 to a non-owner', async (_name, route) => {
      byOwnership = true;
      const outsider = await send(route, OUTSIDER);
      expect({
        status: outsider.status,
        name: outsider.body.error?.name,
      }).toEqual({ status: 404, name: 'NotFoundError' });
      expectNoLeak(outsider);
      await expectSpecShape(route, outsider);
    });

    it.each(
      ROUTES.filter(r => r.entity && r.method === 'get').map(
        r => [key(r.method, r.route), r] as const,
      ),
    )('%s: by ownership, allowed to an owner', async (_name, route) => {
      byOwnership = true;
      const member = await send(route, MEMBER);
      expect(member.status).toBe(route.allowed);
    });

    const expectUnauthenticated = async (route: RouteCase) => {
      const anonymous = await send(route);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.name).toBe('AuthenticationError');
      await expectSpecShape(route, anonymous);
    };

    const expectAllowed = async (route: RouteCase) => {
      await route.prepare?.(knex);
      const allowed = await send(route, MEMBER);
      expect({ status: allowed.status, body: allowed.body }).toEqual({
        status: route.allowed,
        body: expect.anything(),
      });
      await expectSpecShape(route, allowed);
    };

    it.each(
      ROUTES.filter(r => !r.entity).map(
        r => [key(r.method, r.route), r] as const,
      ),
    )(
      '%s: 401 without credentials, 403 when refused, allowed otherwise',
      async (_name, route) => {
        await expectUnauthenticated(route);
        refused = [route.permission];
        const denied = await send(route, MEMBER);
        refused = [];
        expect({ status: denied.status, body: denied.body.error }).toEqual({
          status: 403,
          body: expect.objectContaining({
            name: 'NotAllowedError',
            message: expect.stringContaining(route.permission),
          }),
        });
        await expectSpecShape(route, denied);
        await expectAllowed(route);
      },
    );

    it.each(
      ROUTES.filter(r => r.entity).map(
        r => [key(r.method, r.route), r] as const,
      ),
    )(
      '%s: 401 without credentials, 404 when hidden, 403 when only readable, allowed otherwise',
      async (_name, route) => {
        await expectUnauthenticated(route);
        refused = [route.permission];
        const denied = await send(route, MEMBER);
        // Refused everything on the entity, MEMBER learns nothing of it (not even that it exists).
        refused = [route.permission, READ];
        const hidden = await send(route, MEMBER);
        refused = [];
        expect({ status: hidden.status, body: hidden.body.error }).toEqual({
          status: 404,
          body: expect.objectContaining({ name: 'NotFoundError' }),
        });
        expectNoLeak(hidden);
        await expectSpecShape(route, hidden);
        // Allowed to read but not to change: told so; refused the read, it is the hidden case.
        const readable = route.permission !== READ;
        expect({
          status: denied.status,
          name: denied.body.error?.name,
          namesPermission: String(denied.body.error?.message).includes(
            route.permission,
          ),
        }).toEqual({
          status: readable ? 403 : 404,
          name: readable ? 'NotAllowedError' : 'NotFoundError',
          namesPermission: readable,
        });
        await expectSpecShape(route, denied);
        await expectAllowed(route);
      },
    );
  });
});
