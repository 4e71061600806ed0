import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  BudgetChange,
  BudgetInput,
  BudgetListItem,
  CostAlert,
  EntityBudgetResponse,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { budgetEditAccess } from '../budgets/budgetAccess';
import { BudgetService } from '../budgets/BudgetService';
import { BudgetStore } from '../store/BudgetStore';
import { Caller } from './access';
import { BudgetsService } from './services';

export interface DefaultBudgetsServiceOptions {
  budgets: BudgetService;
  store: BudgetStore;
  logger: LoggerService;
  /** What a saved budget triggers (the pipeline evaluates its alerts); failures are logged. */
  afterBudgetSet: (entityRef: string) => Promise<void>;
  now?: () => Date;
}

/** Budgets as the routes serve them: resolved, with their status and who may edit them. */
export class DefaultBudgetsService implements BudgetsService {
  private readonly now: () => Date;

  constructor(private readonly options: DefaultBudgetsServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async entityBudget(
    entity: SnapshotEntity,
    mayEdit: boolean,
  ): Promise<EntityBudgetResponse> {
    const { resolved, access } = await this.accessFor(entity, mayEdit);
    return {
      status: resolved.budget
        ? await this.options.budgets.status({
            ...resolved,
            budget: resolved.budget,
          })
        : null,
      ...access,
      ...(resolved.problems.length ? { problems: resolved.problems } : {}),
    };
  }

  async checkEditable(entity: SnapshotEntity): Promise<void> {
    const { declared, access } = await this.accessFor(entity, true);
    if (declared) throw new ConflictError(access.readOnlyReason);
  }

  async setBudget(
    entity: SnapshotEntity,
    input: BudgetInput,
    caller: Caller,
  ): Promise<void> {
    await this.options.store.putBudget(
      entity.ref,
      input,
      caller.by,
      this.now().toISOString(),
    );
    this.options.logger.info(
      `Costscope budget of ${entity.ref} set to ${input.amount} ${input.currency} ${input.period} by ${caller.by}`,
    );
    await this.options.afterBudgetSet(entity.ref);
  }

  async deleteBudget(entity: SnapshotEntity, caller: Caller): Promise<boolean> {
    const at = this.now().toISOString();
    if (!(await this.options.store.deleteBudget(entity.ref, caller.by, at))) {
      return false;
    }
    this.options.logger.info(
      `Costscope budget of ${entity.ref} deleted by ${caller.by}`,
    );
    return true;
  }

  history(entityRef: string, limit: number): Promise<BudgetChange[]> {
    return this.options.store.listChanges(entityRef, limit);
  }

  async listBudgets(
    entityRefs?: ReadonlySet<string>,
  ): Promise<BudgetListItem[]> {
    const { budgets } = this.options;
    const today = await budgets.today();
    const items: BudgetListItem[] = [];
    for (const inForce of await budgets.listInForce()) {
      // A status reads the entity's daily cost: only for the budgets asked for.
      if (entityRefs && !entityRefs.has(inForce.entity.ref)) continue;
      items.push({
        entityRef: inForce.entity.ref,
        ...(inForce.entity.title ? { title: inForce.entity.title } : {}),
        status: await budgets.status(inForce, today),
      });
    }
    return items;
  }

  listAlerts(options: {
    entityRef?: string;
    limit: number;
  }): Promise<CostAlert[]> {
    return this.options.store.listAlerts(options);
  }

  /** The budget in force for the entity and whether this caller may change it. */
  private async accessFor(entity: SnapshotEntity, mayEdit: boolean) {
    const resolved = await this.options.budgets.resolve(entity);
    const declared =
      resolved.budget && resolved.budget.source !== 'ui'
        ? resolved.budget
        : undefined;
    return {
      resolved,
      declared,
      access: budgetEditAccess(mayEdit, declared),
    };
  }
}
