import express from 'express';
import Router from 'express-promise-router';
import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import {
  budgetUpdatePermission,
  costReadPermission,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { parseBudgetInput } from '../budgets/parseBudgetInput';
import { Caller, CostscopeAccess } from './access';
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
  const { access, budgets } = options;
  const router = Router();

  /** The entity of the route, or a 404 (a 400 for writes: the ref is the bad input). */
  const entityOf = async (
    req: express.Request,
    forWrite = false,
  ): Promise<SnapshotEntity> => {
    const ref = parseEntityRefParams(req.params);
    const entity = await access.catalogEntity(ref);
    if (!entity) {
      const message = `entity ${ref} is not in the catalog`;
      throw forWrite ? new InputError(message) : new NotFoundError(message);
    }
    return entity;
  };

  router.get('/v1/entities/:kind/:namespace/:name/budget', async (req, res) => {
    const credentials = await access.authorizeRequest(req, costReadPermission);
    const entity = await entityOf(req);
    res.json(await budgets.entityBudget(entity, await access.caller(credentials)));
  });

  /**
   * Runs a budget change for the route's entity: audited (refused attempts too), refused with
   * 403 before the entity is looked up unless the caller holds `costscope.budget.update`,
   * then with 403 unless the caller is in the owning group or an admin (409 for budgets
   * declared as code). `change` returns what to add to the audit record.
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
        const credentials = await access.authorizeRequest(
          req,
          budgetUpdatePermission,
          `You may not change budgets (permission ${budgetUpdatePermission.name}).`,
        );
        const entity = await entityOf(req, true);
        const caller = await access.caller(credentials);
        await budgets.checkEditable(entity, caller);
        const done = await change(entity, caller);
        return { entity, caller, meta: { entityRef: entity.ref, ...done } };
      },
      result => result.meta,
    );
  };

  router.put('/v1/entities/:kind/:namespace/:name/budget', async (req, res) => {
    const { entity, caller } = await changeBudget(
      req,
      'set',
      async (target, by) => {
        const input = parseBudgetInput(
          req.body,
          await options.costs.currency(),
        );
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
      },
    );
    res.json(await budgets.entityBudget(entity, caller));
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
      await access.authorizeRequest(req, costReadPermission);
      const limit = parseLimit(req.query.limit, 50, 500);
      const entity = await entityOf(req);
      res.json({ items: await budgets.history(entity.ref, limit) });
    },
  );

  router.get('/v1/budgets', async (req, res) => {
    await access.authorizeRequest(req, costReadPermission);
    res.json({ items: await budgets.listBudgets() });
  });

  router.get('/v1/alerts', async (req, res) => {
    await access.authorizeRequest(req, costReadPermission);
    const limit = parseLimit(req.query.limit, 100, 1000);
    const rawRef = req.query.entityRef;
    let entityRef: string | undefined;
    if (rawRef !== undefined) {
      try {
        if (typeof rawRef !== 'string') throw new Error('must be one value');
        // Each part as strict as in a path: `<kind>:<namespace>/<name>` of entity names.
        entityRef = parseEntityRefParams(parseEntityRef(rawRef));
      } catch (error) {
        throw new InputError(
          `entityRef is not an entity ref: ${(error as Error).message}`,
        );
      }
    }
    res.json({
      items: await budgets.listAlerts({
        ...(entityRef ? { entityRef } : {}),
        limit,
      }),
    });
  });

  return router;
}
