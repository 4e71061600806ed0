import express from 'express';
import Router from 'express-promise-router';
import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
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
import { FactStore } from '../store/FactStore';
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
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  queries: CostQueries;
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

/** The Costscope HTTP API; see openapi.yaml beside this package. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, queries, factStore, sourceIds } = options;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

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
  ) => {
    if (!(await isAllowed(credentials, permission))) {
      throw new NotAllowedError(`not allowed: ${permission.name}`);
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

  router.use(
    budgetRoutes({
      logger: options.logger,
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
      httpAuth,
      authorize: authorizeCredentials,
      entityExists: ref => queries.entityExists(ref),
      currency,
    }),
  );

  router.use(
    recommendationRoutes({
      auth: options.auth,
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
      const ref = await entityRef(req);
      res.json(await queries.summary(ref, range, await currency()));
    },
  );

  router.get('/v1/entities/:kind/:namespace/:name/series', async (req, res) => {
    await authorize(req, costReadPermission);
    const range = parseRange(req.query);
    const groupBy = parseGroupBy(req.query);
    const ref = await entityRef(req);
    res.json(await queries.series(ref, range, groupBy, await currency()));
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/resources',
    async (req, res) => {
      await authorize(req, costReadPermission);
      const range = parseRange(req.query);
      const limit = parseLimit(req.query.limit, 100, 1000);
      const ref = await entityRef(req);
      res.json(await queries.resources(ref, range, limit, await currency()));
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
    await authorize(req, costscopeAdminPermission);
    const { sourceId } = parseIngestBody(req.body);
    if (sourceId !== undefined && !sourceIds.includes(sourceId)) {
      throw new InputError(
        `unknown source '${sourceId}'; configured sources: ${
          sourceIds.join(', ') || 'none'
        }`,
      );
    }
    const runs: IngestRun[] = [];
    for (const id of sourceId ? [sourceId] : sourceIds) {
      runs.push(await options.ingest(id));
    }
    res.json({ runs });
  });

  return router;
}
