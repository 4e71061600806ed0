import express from 'express';
import Router from 'express-promise-router';
import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import {
  costReadPermission,
  Recommendation,
} from '@costscope/backstage-plugin-common';
import { EntityDirectory } from '../budgets/BudgetService';
import { owningGroupOf } from '../budgets/budgetAccess';
import { parseRecommendationState } from '../recommendations/parseRecommendationState';
import { RecommendationService } from '../recommendations/RecommendationService';
import { CostQueries } from '../store/CostQueries';
import { audited } from './audit';
import { Caller, callerOf, isOwnerOrAdmin } from './caller';
import { parseEntityRefParams, parseLimit } from './parseRequest';

export interface RecommendationRoutesOptions {
  auth: AuthService;
  /** Receives every change of a tip's state, refused ones too. */
  auditor: AuditorService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  /** Throws NotAllowedError unless the permission is granted. */
  authorize: (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) => Promise<void>;
  /** Whether the permission is granted. */
  isAllowed: (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) => Promise<boolean>;
  /** The catalog, for the owner of a tip's entity. */
  directory: Pick<EntityDirectory, 'getEntity'>;
  /** Whether Costscope knows an entity (allocated from the catalog). */
  queries: Pick<CostQueries, 'entityExists'>;
  service: RecommendationService;
  /** The clock that decides today (UTC); tests pin it. */
  now?: () => Date;
}

/**
 * Rightsizing tips per entity (rolled up) and for the organisation, and their state. Expects
 * a JSON body parser in front, as the plugin's router has.
 */
export function recommendationRoutes(
  options: RecommendationRoutesOptions,
): express.Router {
  const { httpAuth, authorize, service } = options;
  const now = options.now ?? (() => new Date());
  const today = () => now().toISOString().slice(0, 10);
  const router = Router();

  /** Admins change every tip; owners of the tip's entity change theirs, none unallocated. */
  const checkChangeable = async (tip: Recommendation, caller: Caller) => {
    if (caller.isAdmin) return;
    if (!tip.entityRef) {
      throw new NotAllowedError(
        'This tip is not allocated to any entity; only Costscope admins can change it.',
      );
    }
    const entity = await options.directory.getEntity(tip.entityRef);
    const owner = entity && owningGroupOf(entity);
    if (!isOwnerOrAdmin(caller, owner)) {
      throw new NotAllowedError(
        owner
          ? `Only members of ${owner} and Costscope admins can change this tip.`
          : `${tip.entityRef} has no owner; only Costscope admins can change this tip.`,
      );
    }
  };

  router.get(
    '/v1/entities/:kind/:namespace/:name/recommendations',
    async (req, res) => {
      await authorize(await httpAuth.credentials(req), costReadPermission);
      const ref = parseEntityRefParams(req.params);
      if (!(await options.queries.entityExists(ref))) {
        throw new NotFoundError(
          `entity ${ref} is not known to Costscope (not in the catalog, or not yet allocated)`,
        );
      }
      res.json(await service.listForEntity(ref, today()));
    },
  );

  router.get('/v1/recommendations', async (req, res) => {
    await authorize(await httpAuth.credentials(req), costReadPermission);
    const limit = parseLimit(req.query.limit, 100, 1000);
    res.json(await service.listForOrganisation(limit, today()));
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
        const credentials = await httpAuth.credentials(req);
        await authorize(credentials, costReadPermission);
        const day = today();
        const input = parseRecommendationState(req.body, day);
        const tip = await service.get(id, day);
        if (!tip) {
          throw new NotFoundError(
            `no recommendation '${id.slice(0, 300)}' in the last computation`,
          );
        }
        const caller = await callerOf(credentials, options);
        await checkChangeable(tip, caller);
        return service.setState(id, input, caller.by, day);
      },
      tip => ({
        entityRef: tip.entityRef ?? null,
        resourceId: tip.resourceId,
        state: tip.state,
        ...(tip.dismissal?.reason ? { reason: tip.dismissal.reason } : {}),
        ...(tip.dismissal?.until ? { until: tip.dismissal.until } : {}),
      }),
    );
    res.json(changed);
  });

  return router;
}
