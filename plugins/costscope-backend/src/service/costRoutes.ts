import express from 'express';
import Router from 'express-promise-router';
import { AuditorService } from '@backstage/backend-plugin-api';
import { overviewReadPermission } from '@costscope/backstage-plugin-common';
import { authorizeEntityCostRead, CostscopeAccess } from './access';
import {
  parseCostQuery,
  parseGroupBy,
  parseLimit,
  parseRange,
} from './parseRequest';
import { CostReadService } from './services';
import { sendJsonAnswer } from './sendJsonAnswer';

export interface CostRoutesOptions {
  /** Receives refused entity permissions. */
  auditor: AuditorService;
  access: CostscopeAccess;
  costs: CostReadService;
}

/**
 * Cost per entity (summary, daily series, resources), the organisation's overview and its
 * commitments.
 */
export function costRoutes(options: CostRoutesOptions): express.Router {
  const { access, auditor, costs } = options;
  const router = Router();
  /** The entity of the request, and what of its rollup the caller may see. */
  const readEntity = async (req: express.Request) => {
    const { entityRef, visibility } = await authorizeEntityCostRead(
      access,
      auditor,
      req,
    );
    return { ref: entityRef, visibility };
  };

  router.get(
    '/v1/entities/:kind/:namespace/:name/summary',
    async (req, res) => {
      const { ref, visibility } = await readEntity(req);
      const query = parseCostQuery(req.query);
      sendJsonAnswer(req, res, await costs.summary(ref, query, visibility));
    },
  );

  router.get('/v1/entities/:kind/:namespace/:name/series', async (req, res) => {
    const { ref, visibility } = await readEntity(req);
    const query = parseCostQuery(req.query);
    const groupBy = parseGroupBy(req.query);
    sendJsonAnswer(
      req,
      res,
      await costs.series(ref, query, groupBy, visibility),
    );
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/resources',
    async (req, res) => {
      const { ref, visibility } = await readEntity(req);
      const query = parseCostQuery(req.query);
      const limit = parseLimit(req.query.limit, 100, 1000);
      res.json(
        await costs.resources(ref, query, limit, await visibility.hidden()),
      );
    },
  );

  router.get(
    '/v1/entities/:kind/:namespace/:name/kubernetes',
    async (req, res) => {
      const { ref, visibility } = await readEntity(req);
      const query = parseCostQuery(req.query);
      sendJsonAnswer(
        req,
        res,
        await costs.kubernetes(ref, query, {
          below: visibility,
          // The split of a cluster the entity owns names workloads of any entity.
          organisation: async () =>
            access.visibilityInOrganisation(await access.credentials(req)),
        }),
      );
    },
  );

  router.get('/v1/overview', async (req, res) => {
    const credentials = await access.authorizeRequest(
      req,
      overviewReadPermission,
    );
    const query = parseCostQuery(req.query);
    res.json(
      await costs.overview(
        query,
        await access.hiddenInOrganisation(credentials),
      ),
    );
  });

  router.get('/v1/commitments', async (req, res) => {
    await access.authorizeRequest(req, overviewReadPermission);
    res.json(await costs.commitments(parseRange(req.query)));
  });

  return router;
}
