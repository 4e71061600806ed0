import express from 'express';
import Router from 'express-promise-router';
import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import {
  CostAlert,
  entityBudgetUpdatePermission,
  entityCostReadPermission,
  overviewReadPermission,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { parseBudgetInput } from '../budgets/parseBudgetInput';
import { authorizeEntityRequest, Caller, CostscopeAccess } from './access';
import { withoutDrivers } from '../alerts/costDrivers';
import { withoutHiddenEntities } from './hideEntities';
import { audited, rawEntityRef } from './audit';
import { parseEntityRefParams, parseLimit } from './parseRequest';
import { BudgetsService, CostReadService } from './services';

export interface BudgetRoutesOptions {
  /** Receives every budget change, refused ones too. */
  auditor: AuditorService;
  access: CostscopeAccess;
  budgets: BudgetsService;
  /** For the billing currency a budget defaults to. */
  costs: Pick<CostReadService, 'currency'>;
}

/** Budgets per entity, the organisation's budget list and the alert history. */
export function budgetRoutes(options: BudgetRoutesOptions): express.Router {
  const { access, auditor, budgets } = options;
  const router = Router();

  /** The entity of the route, or a 404 (a 400 for writes: the ref is the bad input). */
  const entityOf = async (
    ref: string,
    forWrite = false,
  ): Promise<SnapshotEntity> => {
    const entity = await access.catalogEntity(ref);
    if (!entity) {
      const message = `entity ${ref} is not in the catalog`;
      throw forWrite ? new InputError(message) : new NotFoundError(message);
    }
    return entity;
  };

  const readEntity = (req: express.Request) =>
    authorizeEntityRequest(access, auditor, req, entityCostReadPermission, () =>
      parseEntityRefParams(req.params),
    );

  router.get('/v1/entities/:kind/:namespace/:name/budget', async (req, res) => {
    const { credentials, entityRef } = await readEntity(req);
    const entity = await entityOf(entityRef);
    const mayEdit = await access.isAllowedOn(
      credentials,
      entityBudgetUpdatePermission,
      entityRef,
    );
    res.json(await budgets.entityBudget(entity, mayEdit));
  });

  /**
   * Runs a budget change for the route's entity: audited (refused attempts too), refused
   * before the entity is looked up unless the policy grants `costscope.entity.budget.update`
   * for it (404, or 403 to a caller who may read its cost), 409 for budgets declared as code.
   * `change` returns what to add to the audit record.
   */
  const changeBudget = async (
    req: express.Request,
    actionType: 'set' | 'delete',
    change: (entity: SnapshotEntity, caller: Caller) => Promise<JsonObject>,
  ) => {
    const meta: JsonObject = {
      actionType,
      entityRef: rawEntityRef(req.params),
    };
    return audited(
      options.auditor,
      { eventId: 'budget-mutate', request: req, meta },
      async () => {
        const { credentials, entityRef } = await authorizeEntityRequest(
          access,
          auditor,
          req,
          entityBudgetUpdatePermission,
          () => parseEntityRefParams(req.params),
        );
        const entity = await entityOf(entityRef, true);
        const caller = await access.caller(credentials);
        await budgets.checkEditable(entity);
        const done = await change(entity, caller);
        return { entity, caller, meta: { entityRef: entity.ref, ...done } };
      },
      result => result.meta,
    );
  };

  router.put('/v1/entities/:kind/:namespace/:name/budget', async (req, res) => {
    const { entity } = await changeBudget(req, 'set', async (target, by) => {
      const input = parseBudgetInput(req.body, await options.costs.currency());
      await budgets.setBudget(target, input, by);
      return {
        budget: {
          amount: input.amount,
          currency: input.currency,
          period: input.period,
          ...(input.thresholds
            ? {
                thresholds: input.thresholds.map(t => ({
                  kind: t.kind,
                  percent: t.percent,
                })),
              }
            : {}),
          ...(input.recipients ? { recipients: input.recipients } : {}),
        },
      };
    });
    res.json(await budgets.entityBudget(entity, true)); // the policy has just allowed it
  });

  router.delete(
    '/v1/entities/:kind/:namespace/:name/budget',
    async (req, res) => {
      await changeBudget(req, 'delete', async (entity, caller) => {
        if (!(await budgets.deleteBudget(entity, caller))) {
          throw new NotFoundError(
            `${entity.ref} has no budget set in Costscope`,
          );
        }
        return {};
      });
      res.status(204).end();
    },
  );

  router.get(
    '/v1/entities/:kind/:namespace/:name/budget/history',
    async (req, res) => {
      const { entityRef } = await readEntity(req);
      const limit = parseLimit(req.query.limit, 50, 500);
      const entity = await entityOf(entityRef);
      res.json({ items: await budgets.history(entity.ref, limit) });
    },
  );

  router.get('/v1/budgets', async (req, res) => {
    const credentials = await access.authorizeRequest(
      req,
      overviewReadPermission,
    );
    const hidden = await access.hiddenInOrganisation(credentials);
    res.json({
      items: withoutHiddenEntities(await budgets.listBudgets(), hidden),
    });
  });

  // One entity's alerts are its cost; everyone's are the organisation's overview.
  router.get('/v1/alerts', async (req, res) => {
    const rawRef = req.query.entityRef;
    let entityRef: string | undefined;
    let credentials: BackstageCredentials;
    if (rawRef === undefined) {
      credentials = await access.authorizeRequest(req, overviewReadPermission);
    } else {
      ({ credentials, entityRef } = await authorizeEntityRequest(
        access,
        auditor,
        req,
        entityCostReadPermission,
        () => {
          try {
            if (typeof rawRef !== 'string')
              throw new Error('must be one value');
            // Each part as strict as in a path: `<kind>:<namespace>/<name>` of entity names.
            return parseEntityRefParams(parseEntityRef(rawRef));
          } catch (error) {
            throw new InputError(
              `entityRef is not an entity ref: ${(error as Error).message}`,
            );
          }
        },
      ));
    }
    const limit = parseLimit(req.query.limit, 100, 1000);
    const hidden = entityRef
      ? await access.hiddenBelow(credentials, entityRef)
      : await access.hiddenInOrganisation(credentials);
    const items = withoutHiddenEntities(
      await budgets.listAlerts({
        ...(entityRef ? { entityRef } : {}),
        limit,
      }),
      hidden,
    );
    // One check per entity, however many of its alerts are listed.
    const hasHiddenParts = new Map<string, Promise<boolean>>();
    const redacted = (alert: CostAlert) => {
      if (!hasHiddenParts.has(alert.entityRef)) {
        hasHiddenParts.set(
          alert.entityRef,
          access
            .hiddenBelow(credentials, alert.entityRef)
            .then(below => below.size > 0),
        );
      }
      return hasHiddenParts
        .get(alert.entityRef)!
        .then(hides => (hides ? withoutDrivers(alert) : alert));
    };
    res.json({
      items: hidden.size === 0 ? items : await Promise.all(items.map(redacted)),
    });
  });

  return router;
}
