import express from 'express';
import Router from 'express-promise-router';
import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  budgetUpdatePermission,
  costReadPermission,
  costscopeAdminPermission,
  EntityBudgetResponse,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { AlertEvaluator } from '../alerts/AlertEvaluator';
import { BudgetEditor, budgetEditAccess } from '../budgets/budgetAccess';
import { BudgetService, EntityDirectory } from '../budgets/BudgetService';
import { parseBudgetInput } from '../budgets/parseBudgetInput';
import { BudgetStore } from '../store/BudgetStore';
import { audited, rawEntityRef } from './audit';
import { parseEntityRefParams, parseLimit } from './parseRequest';

export interface BudgetRoutesOptions {
  logger: LoggerService;
  /** Receives every budget change, refused ones too. */
  auditor: AuditorService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  /** Throws NotAllowedError (with the message, when given) unless the permission is granted. */
  authorize: (
    credentials: BackstageCredentials,
    permission: BasicPermission,
    message?: string,
  ) => Promise<void>;
  /** Whether the permission is granted. */
  isAllowed: (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) => Promise<boolean>;
  budgets: BudgetService;
  store: BudgetStore;
  directory: EntityDirectory;
  alerts: AlertEvaluator;
  currency: () => Promise<string>;
}

/** Budgets per entity, the organisation's budget list and the alert history. */
export function budgetRoutes(options: BudgetRoutesOptions): express.Router {
  const { httpAuth, userInfo, authorize, isAllowed, budgets, store } = options;
  const router = Router();

  const editorOf = async (
    credentials: BackstageCredentials,
  ): Promise<BudgetEditor & { by: string }> => {
    const isAdmin = await isAllowed(credentials, costscopeAdminPermission);
    if (options.auth.isPrincipal(credentials, 'user')) {
      const info = await userInfo.getUserInfo(credentials);
      return {
        isAdmin,
        ownershipRefs: info.ownershipEntityRefs,
        by: info.userEntityRef,
      };
    }
    const subject = options.auth.isPrincipal(credentials, 'service')
      ? credentials.principal.subject
      : 'unknown';
    return { isAdmin, ownershipRefs: [], by: subject };
  };

  /** The entity of the route, or a 404 (a 400 for writes: the ref is the bad input). */
  const entityOf = async (
    req: express.Request,
    forWrite = false,
  ): Promise<SnapshotEntity> => {
    const ref = parseEntityRefParams(req.params);
    const entity = await options.directory.getEntity(ref);
    if (!entity) {
      const message = `entity ${ref} is not in the catalog`;
      throw forWrite ? new InputError(message) : new NotFoundError(message);
    }
    return entity;
  };

  /** The budget in force for the entity and whether this editor may change it. */
  const accessFor = async (entity: SnapshotEntity, editor: BudgetEditor) => {
    const resolved = await budgets.resolve(entity);
    const declared =
      resolved.budget && resolved.budget.source !== 'ui'
        ? resolved.budget
        : undefined;
    return {
      resolved,
      declared,
      access: budgetEditAccess(entity, editor, declared),
    };
  };

  const answer = async (
    entity: SnapshotEntity,
    editor: BudgetEditor,
  ): Promise<EntityBudgetResponse> => {
    const { resolved, access } = await accessFor(entity, editor);
    return {
      status: resolved.budget
        ? await budgets.status({ ...resolved, budget: resolved.budget })
        : null,
      ...access,
      ...(resolved.problems.length ? { problems: resolved.problems } : {}),
    };
  };

  /**
   * Checks that the caller may change the entity's UI budget; the reason when not. The
   * caller holds `costscope.budget.update` already (checked before the entity is looked up).
   */
  const checkEditable = async (
    entity: SnapshotEntity,
    credentials: BackstageCredentials,
  ) => {
    const editor = await editorOf(credentials);
    const { declared, access } = await accessFor(entity, editor);
    if (declared) throw new ConflictError(access.readOnlyReason);
    if (!access.canEdit) throw new NotAllowedError(access.readOnlyReason);
    return editor;
  };

  router.get('/v1/entities/:kind/:namespace/:name/budget', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorize(credentials, costReadPermission);
    const entity = await entityOf(req);
    res.json(await answer(entity, await editorOf(credentials)));
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
    change: (
      entity: SnapshotEntity,
      editor: BudgetEditor & { by: string },
    ) => Promise<JsonObject>,
  ) => {
    const meta: JsonObject = {
      actionType,
      entityRef: rawEntityRef(req.params),
    };
    return audited(
      options.auditor,
      { eventId: 'budget-mutate', request: req, meta },
      async () => {
        const credentials = await httpAuth.credentials(req);
        await authorize(
          credentials,
          budgetUpdatePermission,
          `You may not change budgets (permission ${budgetUpdatePermission.name}).`,
        );
        const entity = await entityOf(req, true);
        const editor = await checkEditable(entity, credentials);
        const done = await change(entity, editor);
        return { entity, editor, meta: { entityRef: entity.ref, ...done } };
      },
      result => result.meta,
    );
  };

  router.put('/v1/entities/:kind/:namespace/:name/budget', async (req, res) => {
    const { entity, editor } = await changeBudget(
      req,
      'set',
      async (target, by) => {
        const input = parseBudgetInput(req.body, await options.currency());
        await store.putBudget(
          target.ref,
          input,
          by.by,
          new Date().toISOString(),
        );
        options.logger.info(
          `Costscope budget of ${target.ref} set to ${input.amount} ${input.currency} ${input.period} by ${by.by}`,
        );
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
    // A new budget may already be crossed: tell its owners now, not at the next ingest.
    await options.alerts
      .evaluate({ entityRefs: [entity.ref] })
      .catch(error =>
        options.logger.warn(
          `Costscope could not evaluate alerts of ${entity.ref}: ${error}`,
        ),
      );
    res.json(await answer(entity, editor));
  });

  router.delete(
    '/v1/entities/:kind/:namespace/:name/budget',
    async (req, res) => {
      await changeBudget(req, 'delete', async (entity, editor) => {
        const at = new Date().toISOString();
        if (!(await store.deleteBudget(entity.ref, editor.by, at))) {
          throw new NotFoundError(
            `${entity.ref} has no budget set in Costscope`,
          );
        }
        options.logger.info(
          `Costscope budget of ${entity.ref} deleted by ${editor.by}`,
        );
        return {};
      });
      res.status(204).end();
    },
  );

  router.get(
    '/v1/entities/:kind/:namespace/:name/budget/history',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      await authorize(credentials, costReadPermission);
      const limit = parseLimit(req.query.limit, 50, 500);
      const entity = await entityOf(req);
      res.json({ items: await store.listChanges(entity.ref, limit) });
    },
  );

  router.get('/v1/budgets', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorize(credentials, costReadPermission);
    const today = await budgets.today();
    const items = [];
    for (const inForce of await budgets.listInForce()) {
      items.push({
        entityRef: inForce.entity.ref,
        ...(inForce.entity.title ? { title: inForce.entity.title } : {}),
        status: await budgets.status(inForce, today),
      });
    }
    res.json({ items });
  });

  router.get('/v1/alerts', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorize(credentials, costReadPermission);
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
      items: await store.listAlerts({
        ...(entityRef ? { entityRef } : {}),
        limit,
      }),
    });
  });

  return router;
}
