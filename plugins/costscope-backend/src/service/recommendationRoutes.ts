import express from 'express';
import Router from 'express-promise-router';
import { AuditorService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  costReadPermission,
  Recommendation,
} from '@costscope/backstage-plugin-common';
import { parseRecommendationState } from '../recommendations/parseRecommendationState';
import {
  Caller,
  CostscopeAccess,
  isOwnerOrAdmin,
  owningGroupOf,
} from './access';
import { audited } from './audit';
import { parseEntityRefParams, parseLimit } from './parseRequest';
import { RecommendationsService } from './services';

export interface RecommendationRoutesOptions {
  /** Receives every change of a recommendation's state, refused ones too. */
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

  /** Admins change every recommendation; owners of its entity change theirs, none unallocated. */
  const checkChangeable = async (
    recommendation: Recommendation,
    caller: Caller,
  ) => {
    if (caller.isAdmin) return;
    if (!recommendation.entityRef) {
      throw new NotAllowedError(
        'This tip is not allocated to any entity; only Costscope admins can change it.',
      );
    }
    const entity = await access.catalogEntity(recommendation.entityRef);
    const owner = entity && owningGroupOf(entity);
    if (!isOwnerOrAdmin(caller, owner)) {
      throw new NotAllowedError(
        owner
          ? `Only members of ${owner} and Costscope admins can change this tip.`
          : `${recommendation.entityRef} has no owner; only Costscope admins can change this tip.`,
      );
    }
  };

  router.get(
    '/v1/entities/:kind/:namespace/:name/recommendations',
    async (req, res) => {
      await access.authorizeRequest(req, costReadPermission);
      const ref = parseEntityRefParams(req.params);
      await access.requireKnownEntity(ref);
      res.json(await recommendations.listForEntity(ref, today()));
    },
  );

  router.get('/v1/recommendations', async (req, res) => {
    await access.authorizeRequest(req, costReadPermission);
    const limit = parseLimit(req.query.limit, 100, 1000);
    res.json(await recommendations.listForOrganisation(limit, today()));
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
        const credentials = await access.authorizeRequest(
          req,
          costReadPermission,
        );
        const day = today();
        const input = parseRecommendationState(req.body, day);
        const recommendation = await recommendations.get(id, day);
        if (!recommendation) {
          throw new NotFoundError(
            `no recommendation '${id.slice(0, 300)}' in the last computation`,
          );
        }
        const caller = await access.caller(credentials);
        await checkChangeable(recommendation, caller);
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
