import express from 'express';
import Router from 'express-promise-router';
import { costReadPermission } from '@costscope/backstage-plugin-common';
import { CostscopeAccess } from './access';
import {
  parseEntityRefParams,
  parseGroupBy,
  parseLimit,
  parseRange,
} from './parseRequest';
import { CostReadService } from './services';

export interface CostRoutesOptions {
  access: CostscopeAccess;
  costs: CostReadService;
}

/** Cost per entity (summary, daily series, resources) and the organisation's overview. */
export function costRoutes(options: CostRoutesOptions): express.Router {
  const { access, costs } = options;
  const router = Router();
  const sendJsonText = (res: express.Response, text: string) =>
    res.type('application/json').send(text);

  router.get(
    '/v1/entities/:kind/:namespace/:name/summary',
    async (req, res) => {
      await access.authorizeRequest(req, costReadPermission);
      const range = parseRange(req.query);
      const ref = parseEntityRefParams(req.params);
      sendJsonText(res, await costs.summary(ref, range));
    },
  );

  router.get('/v1/entities/:kind/:namespace/:name/series', async (req, res) => {
    await access.authorizeRequest(req, costReadPermission);
    const range = parseRange(req.query);
    const groupBy = parseGroupBy(req.query);
    const ref = parseEntityRefParams(req.params);
    sendJsonText(res, await costs.series(ref, range, groupBy));
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/resources',
    async (req, res) => {
      await access.authorizeRequest(req, costReadPermission);
      const range = parseRange(req.query);
      const limit = parseLimit(req.query.limit, 100, 1000);
      const ref = parseEntityRefParams(req.params);
      res.json(await costs.resources(ref, range, limit));
    },
  );

  router.get('/v1/overview', async (req, res) => {
    await access.authorizeRequest(req, costReadPermission);
    res.json(await costs.overview(parseRange(req.query)));
  });

  return router;
}
