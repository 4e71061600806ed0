import express from 'express';
import Router from 'express-promise-router';
import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  entityCostReadPermission,
  metricsWritePermission,
  UnitCostGranularity,
} from '@costscope/backstage-plugin-common';
import { authorizeEntityRequest, CostscopeAccess } from './access';
import { audited } from './audit';
import { parseCostQuery, parseEntityRefParams } from './parseRequest';
import { UnitCostService } from './services';

export interface UnitCostRoutesOptions {
  /** Receives every metrics write, refused ones too, and refused entity permissions. */
  auditor: AuditorService;
  access: CostscopeAccess;
  unitCost: UnitCostService;
}

const GRANULARITIES: UnitCostGranularity[] = ['day', 'month'];

function parseUnitCostParams(query: Record<string, unknown>): {
  metric?: string;
  granularity: UnitCostGranularity;
} {
  const { metric, granularity = 'day' } = query;
  if (metric !== undefined && (typeof metric !== 'string' || metric === '')) {
    throw new InputError('metric must be one metric name');
  }
  if (!GRANULARITIES.includes(granularity as UnitCostGranularity)) {
    throw new InputError(
      `granularity must be one of ${GRANULARITIES.join(', ')}`,
    );
  }
  return {
    ...(metric !== undefined ? { metric: metric as string } : {}),
    granularity: granularity as UnitCostGranularity,
  };
}

/** Business metric values pushed by pipelines, and an entity's cost per unit of them. */
export function unitCostRoutes(options: UnitCostRoutesOptions): express.Router {
  const { access, auditor, unitCost } = options;
  const router = Router();

  router.post('/v1/metrics', async (req, res) => {
    const result = await audited(
      auditor,
      {
        eventId: 'metrics-write',
        request: req,
        meta: {
          series: Array.isArray(req.body?.metrics)
            ? req.body.metrics.length
            : null,
        },
      },
      async () => {
        await access.authorizeRequest(req, metricsWritePermission);
        return unitCost.write(req.body);
      },
      done => ({ stored: done.stored }),
    );
    res.json(result);
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/unit-cost',
    async (req, res) => {
      const { entityRef } = await authorizeEntityRequest(
        access,
        auditor,
        req,
        entityCostReadPermission,
        () => parseEntityRefParams(req.params),
      );
      const query = {
        ...parseCostQuery(req.query),
        ...parseUnitCostParams(req.query),
      };
      res.json(await unitCost.entityUnitCost(entityRef, query));
    },
  );

  return router;
}
