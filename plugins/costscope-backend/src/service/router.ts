import express from 'express';
import Router from 'express-promise-router';
import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  BasicPermission,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import {
  costReadPermission,
  costscopeAdminPermission,
  IngestRun,
} from '@costscope/backstage-plugin-common';
import { AlertEvaluator } from '../alerts/AlertEvaluator';
import { BudgetService, EntityDirectory } from '../budgets/BudgetService';
import { BudgetStore } from '../store/BudgetStore';
import { CostQueries } from '../store/CostQueries';
import { RollupReadCache } from '../store/RollupReadCache';
import { FactStore } from '../store/FactStore';
import { audited } from './audit';
import { budgetRoutes } from './budgetRoutes';
import { complianceRoutes, ComplianceRoutesOptions } from './complianceRoutes';
import { recommendationRoutes } from './recommendationRoutes';
import { RecommendationService } from '../recommendations/RecommendationService';
import {
  parseEntityRefParams,
  parseGroupBy,
  parseIngestBody,
  parseLimit,
  parseRange,
} from './parseRequest';

export interface RouterOptions {
  logger: LoggerService;
  /** Receives budget changes, tip state changes and admin actions, with who made them. */
  auditor: AuditorService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  queries: CostQueries;
  /** Keeps summaries and series per rollup version; without it every request reads. */
  readCache?: RollupReadCache;
  /** Tag compliance and chargeback: what the compliance routes need beyond the common parts. */
  compliance: Pick<
    ComplianceRoutesOptions,
    'queries' | 'policy' | 'chargeback' | 'loadEntities' | 'likelyOwnerOptions'
  >;
  recommendations: RecommendationService;
  budgets: BudgetService;
  budgetStore: BudgetStore;
  directory: EntityDirectory;
  alerts: AlertEvaluator;
  factStore: FactStore;
  /** Billing currency from config, used before any data exists. */
  currency: string;
  /** Ids of the configured cost sources. */
  sourceIds: string[];
  /** Runs ingestion of one source now (serialised with scheduled runs). */
  ingest: (sourceId: string) => Promise<IngestRun>;
}

/** Largest JSON body accepted. */
const MAX_BODY = '16kb';

/** The message of a 403 for a permission the policy refused. */
function refusal(permission: BasicPermission): string {
  switch (permission.name) {
    case costReadPermission.name:
      return `You may not read Costscope cost data (permission ${permission.name}).`;
    case costscopeAdminPermission.name:
      return `Only Costscope admins may do this (permission ${permission.name}).`;
    default:
      return `You may not do this (permission ${permission.name}).`;
  }
}

/** 415 for a request body that is not JSON (every body the API takes is JSON). */
class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  statusCode = 415;
}

/** Refuses PUT and POST bodies that are not JSON; an empty body is left to the route. */
const requireJsonBody: express.RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
  if (
    (req.method === 'PUT' || req.method === 'POST') &&
    hasBody &&
    !req.is('application/json')
  ) {
    const type = String(req.headers['content-type'] ?? 'none').slice(0, 100);
    next(
      new UnsupportedMediaTypeError(
        `the request body must be JSON (content-type application/json), not ${type}`,
      ),
    );
    return;
  }
  next();
};

/** Whether a parsed query or body holds U+0000 in any key or string (iterative: bodies nest). */
function containsNul(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/**
 * Refuses U+0000 anywhere in a request: no valid input holds it, and PostgreSQL text columns
 * cannot store or even compare it (the query would fail with a 500).
 */
const refuseNul: express.RequestHandler = (req, _res, next) => {
  if (
    /%00/i.test(req.originalUrl) ||
    containsNul(req.query) ||
    containsNul(req.body)
  ) {
    next(
      new InputError(
        'the request contains a NUL character (U+0000), which no Costscope input allows',
      ),
    );
    return;
  }
  next();
};

/** The Costscope HTTP API; see openapi.yaml beside this package. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, queries, factStore, sourceIds } = options;
  const router = Router();
  router.use(requireJsonBody);
  router.use(express.json({ limit: MAX_BODY }));
  router.use(refuseNul);

  const isAllowed = async (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) => {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  };
  const authorizeCredentials = async (
    credentials: BackstageCredentials,
    permission: BasicPermission,
    message?: string,
  ) => {
    if (!(await isAllowed(credentials, permission))) {
      throw new NotAllowedError(message ?? refusal(permission));
    }
  };
  const authorize = async (req: express.Request, permission: BasicPermission) =>
    authorizeCredentials(await httpAuth.credentials(req), permission);

  const entityRef = async (req: express.Request) => {
    const ref = parseEntityRefParams(req.params);
    if (!(await queries.entityExists(ref))) {
      throw new NotFoundError(
        `entity ${ref} is not known to Costscope (not in the catalog, or not yet allocated)`,
      );
    }
    return ref;
  };

  /** The stored billing currency, or the configured one before any data exists. */
  const currency = () => queries.currency(options.currency);

  /** Sends an answer from the read cache when there is one (a 404 is never kept). */
  const sendCached = async (
    res: express.Response,
    parts: string[],
    compute: () => Promise<unknown>,
  ) => {
    if (!options.readCache) {
      res.json(await compute());
      return;
    }
    const text = await options.readCache.json(
      [...parts, options.currency],
      compute,
    );
    res.type('application/json').send(text);
  };

  /** The entity (404 when unknown) and the currency, read at the same time. */
  const entityAndCurrency = (req: express.Request) =>
    Promise.all([entityRef(req), currency()]);

  router.use(
    budgetRoutes({
      logger: options.logger,
      auditor: options.auditor,
      auth: options.auth,
      httpAuth,
      userInfo: options.userInfo,
      authorize: authorizeCredentials,
      isAllowed,
      budgets: options.budgets,
      store: options.budgetStore,
      directory: options.directory,
      alerts: options.alerts,
      currency,
    }),
  );

  router.use(
    complianceRoutes({
      ...options.compliance,
      logger: options.logger,
      auditor: options.auditor,
      httpAuth,
      authorize: authorizeCredentials,
      entityExists: ref => queries.entityExists(ref),
      currency,
    }),
  );

  router.use(
    recommendationRoutes({
      auth: options.auth,
      auditor: options.auditor,
      httpAuth,
      userInfo: options.userInfo,
      authorize: authorizeCredentials,
      isAllowed,
      directory: options.directory,
      queries,
      service: options.recommendations,
    }),
  );

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/summary',
    async (req, res) => {
      await authorize(req, costReadPermission);
      const range = parseRange(req.query);
      await sendCached(
        res,
        ['summary', parseEntityRefParams(req.params), range.from, range.to],
        async () => {
          const [ref, currencyCode] = await entityAndCurrency(req);
          return queries.summary(ref, range, currencyCode);
        },
      );
    },
  );

  router.get('/v1/entities/:kind/:namespace/:name/series', async (req, res) => {
    await authorize(req, costReadPermission);
    const range = parseRange(req.query);
    const groupBy = parseGroupBy(req.query);
    await sendCached(
      res,
      [
        'series',
        parseEntityRefParams(req.params),
        range.from,
        range.to,
        groupBy,
      ],
      async () => {
        const [ref, currencyCode] = await entityAndCurrency(req);
        return queries.series(ref, range, groupBy, currencyCode);
      },
    );
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/resources',
    async (req, res) => {
      await authorize(req, costReadPermission);
      const range = parseRange(req.query);
      const limit = parseLimit(req.query.limit, 100, 1000);
      const [ref, currencyCode] = await entityAndCurrency(req);
      res.json(await queries.resources(ref, range, limit, currencyCode));
    },
  );

  router.get('/v1/overview', async (req, res) => {
    await authorize(req, costReadPermission);
    const range = parseRange(req.query);
    res.json(await queries.overview(range, await currency()));
  });

  router.get('/v1/ingest-runs', async (req, res) => {
    await authorize(req, costReadPermission);
    const limit = parseLimit(req.query.limit, 50, 500);
    res.json({ items: await factStore.listRuns(limit) });
  });

  router.post('/v1/ingest', async (req, res) => {
    const requested =
      typeof req.body?.sourceId === 'string'
        ? req.body.sourceId.slice(0, 200)
        : null;
    const runs = await audited(
      options.auditor,
      {
        eventId: 'ingest-trigger',
        request: req,
        meta: { sourceId: requested },
      },
      async () => {
        await authorize(req, costscopeAdminPermission);
        const { sourceId } = parseIngestBody(req.body);
        if (sourceId !== undefined && !sourceIds.includes(sourceId)) {
          throw new InputError(
            `unknown source '${sourceId}'; configured sources: ${
              sourceIds.join(', ') || 'none'
            }`,
          );
        }
        const done: IngestRun[] = [];
        for (const id of sourceId ? [sourceId] : sourceIds) {
          done.push(await options.ingest(id));
        }
        return done;
      },
      done => ({
        runs: done.map(run => ({
          id: run.id,
          sourceId: run.sourceId,
          status: run.status,
          rowsRead: run.rowsRead,
          rowsRejected: run.rowsRejected,
        })),
      }),
    );
    res.json({ runs });
  });

  return router;
}
