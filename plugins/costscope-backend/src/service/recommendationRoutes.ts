import express from 'express';
import Router from 'express-promise-router';
import { AuditorService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  costscopeAdminPermission,
  entityRecommendationUpdatePermission,
  overviewReadPermission,
} from '@costscope/backstage-plugin-common';
import { parseRecommendationState } from '../recommendations/parseRecommendationState';
import {
  authorizeEntityCostRead,
  authorizeEntityRequest,
  CostscopeAccess,
} from './access';
import { hideRecommendationEntities } from './hideEntities';
import { audited } from './audit';
import { parseLimit } from './parseRequest';
import { RecommendationsService } from './services';

export interface RecommendationRoutesOptions {
  /** Receives every change of a recommendation's state, refused ones too, and refused entity permissions. */
  auditor: AuditorService;
  access: CostscopeAccess;
  recommendations: RecommendationsService;
  /** The clock that decides today (UTC); tests pin it. */
  now?: () => Date;
}

/**
 * Recommendations per entity (rolled up) and for the organisation, and their state. Expects
 * a JSON body parser in front, as the plugin's router has.
 */
export function recommendationRoutes(
  options: RecommendationRoutesOptions,
): express.Router {
  const { access, recommendations } = options;
  const now = options.now ?? (() => new Date());
  const today = () => now().toISOString().slice(0, 10);
  const router = Router();

  router.get(
    '/v1/entities/:kind/:namespace/:name/recommendations',
    async (req, res) => {
      const { entityRef: ref, visibility } = await authorizeEntityCostRead(
        access,
        options.auditor,
        req,
      );
      await access.requireKnownEntity(ref);
      const hidden = await visibility.hidden();
      res.json(
        hideRecommendationEntities(
          await recommendations.listForEntity(ref, today()),
          hidden,
        ),
      );
    },
  );

  router.get('/v1/recommendations', async (req, res) => {
    const credentials = await access.authorizeRequest(
      req,
      overviewReadPermission,
    );
    const limit = parseLimit(req.query.limit, 100, 1000);
    const hidden = await access.hiddenInOrganisation(credentials);
    res.json(
      hideRecommendationEntities(
        await recommendations.listForOrganisation(limit, today()),
        hidden,
      ),
    );
  });

  router.put('/v1/recommendations/:id/state', async (req, res) => {
    const { id } = req.params; // express has decoded it: `<kind>:<resourceId>`
    const asked = req.body?.state;
    const changed = await audited(
      options.auditor,
      {
        eventId: 'recommendation-state-mutate',
        request: req,
        meta: {
          recommendationId: id.slice(0, 300),
          state: typeof asked === 'string' ? asked.slice(0, 40) : null,
        },
      },
      async () => {
        const credentials = await access.credentials(req);
        const day = today();
        const input = parseRecommendationState(req.body, day);
        // A recommendation of an entity hidden from the caller answers as one that does not exist.
        const notFound = () =>
          new NotFoundError(
            `no recommendation '${id.slice(0, 300)}' in the last computation`,
          );
        const recommendation = await recommendations.get(id, day);
        if (!recommendation) throw notFound();
        if (recommendation.entityRef) {
          await authorizeEntityRequest(
            access,
            options.auditor,
            req,
            entityRecommendationUpdatePermission,
            recommendation.entityRef,
            notFound,
          );
        } else {
          await access.authorize(
            credentials,
            costscopeAdminPermission,
            'This tip is not allocated to any entity; only Costscope admins can change it.',
          );
        }
        const caller = await access.caller(credentials);
        return recommendations.setState(id, input, caller.by, day);
      },
      done => ({
        entityRef: done.entityRef ?? null,
        resourceId: done.resourceId,
        state: done.state,
        ...(done.dismissal?.reason ? { reason: done.dismissal.reason } : {}),
        ...(done.dismissal?.until ? { until: done.dismissal.until } : {}),
      }),
    );
    res.json(changed);
  });

  return router;
}
