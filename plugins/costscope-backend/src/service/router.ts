import express from 'express';
import { createApiRouter } from '../schema/createApiRouter';
import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { CostscopeAccess } from './access';
import { budgetRoutes } from './budgetRoutes';
import { complianceRoutes } from './complianceRoutes';
import { costRoutes } from './costRoutes';
import { digestRoutes } from './digestRoutes';
import { ingestRoutes } from './ingestRoutes';
import { recommendationRoutes } from './recommendationRoutes';
import {
  MAX_BODY,
  MAX_METRICS_BODY,
  refuseNul,
  requireJsonBody,
} from './requestGuards';
import { CostscopeServices } from './services';
import { unitCostRoutes } from './unitCostRoutes';

export interface RouterOptions {
  logger: LoggerService;
  /** Receives budget changes, recommendation state changes, admin actions and refused entity permissions, with who made them. */
  auditor: AuditorService;
  /** Who is calling and what they may do. */
  access: CostscopeAccess;
  services: CostscopeServices;
}

/** The Costscope HTTP API; see src/schema/openapi.yaml. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { logger, auditor, access, services } = options;
  const router = await createApiRouter();
  router.use(requireJsonBody);
  // Metric values come in batches (up to costscope.unitCost.maxDaysPerRequest); a body parsed
  // here is left alone by the parser after it.
  router.use('/v1/metrics', express.json({ limit: MAX_METRICS_BODY }));
  router.use(express.json({ limit: MAX_BODY }));
  router.use(refuseNul);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.use(costRoutes({ auditor, access, costs: services.costs }));
  router.use(
    budgetRoutes({
      auditor,
      access,
      budgets: services.budgets,
      costs: services.costs,
    }),
  );
  router.use(
    complianceRoutes({
      logger,
      auditor,
      access,
      compliance: services.compliance,
    }),
  );
  router.use(
    recommendationRoutes({
      auditor,
      access,
      recommendations: services.recommendations,
    }),
  );
  router.use(ingestRoutes({ auditor, access, ingest: services.ingest }));
  router.use(digestRoutes({ auditor, access, digests: services.digests }));
  router.use(unitCostRoutes({ auditor, access, unitCost: services.unitCost }));
  return router;
}
