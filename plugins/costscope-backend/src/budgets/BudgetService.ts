import {
  Budget,
  BudgetStatus,
  CostBasis,
  DateRange,
} from '@costscope/backstage-plugin-common';
import { SnapshotEntity } from '../allocation/catalogSnapshot';
import { BudgetStore } from '../store/BudgetStore';
import { SpendQueries } from '../store/SpendQueries';
import { budgetPeriodOf } from './budgetPeriods';
import { computeBudgetStatus } from './budgetStatus';
import {
  budgetFromAnnotations,
  resolveBudget,
  ResolvedBudget,
} from './declaredBudgets';
import { fromEpochDay, toEpochDay } from './series';

/** Catalog lookups budgets need; the plugin reads them from the catalog service. */
export interface EntityDirectory {
  getEntity(entityRef: string): Promise<SnapshotEntity | undefined>;
  /** Entities that carry a budget annotation. */
  listEntitiesWithBudgetAnnotations(): Promise<SnapshotEntity[]>;
}

/** A budget in force for an entity. */
export interface BudgetInForce extends ResolvedBudget {
  entity: SnapshotEntity;
  budget: Budget;
}

/** How far back the forecast learns from, beyond the period: its replay needs ~8 months. */
const HISTORY_DAYS = 300;

export interface BudgetServiceOptions {
  store: BudgetStore;
  spend: SpendQueries;
  directory: EntityDirectory;
  /** Budgets from app-config by lower-case entity ref. */
  configured: Map<string, Budget>;
  currency: () => Promise<string>;
  /** The basis of budgets that declare none (`costscope.costBasis`). */
  costBasis: CostBasis;
  now?: () => Date;
}

/** Resolves which budget is in force for an entity and where it stands. */
export class BudgetService {
  private readonly now: () => Date;

  constructor(private readonly options: BudgetServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The budget in force for an entity, what it overrides and why a declared one failed. */
  async resolve(
    entity: SnapshotEntity,
  ): Promise<ResolvedBudget & { problems: string[] }> {
    const problems: string[] = [];
    let annotation: Budget | undefined;
    try {
      annotation = budgetFromAnnotations(
        entity.ref,
        entity.annotations,
        await this.options.currency(),
      );
    } catch (error) {
      problems.push((error as Error).message);
    }
    return {
      ...resolveBudget({
        ui: await this.options.store.getBudget(entity.ref),
        annotation,
        config: this.options.configured.get(entity.ref),
      }),
      problems,
    };
  }

  /**
   * The first day without data: the day after the last ingested day, so a feed that lags a
   * few days forecasts from what it has rather than counting missing days as zero.
   */
  async today(): Promise<string> {
    const now = this.now().toISOString().slice(0, 10);
    const last = await this.options.spend.lastCostDay();
    if (!last) return now;
    const next = fromEpochDay(toEpochDay(last) + 1);
    return next < now ? next : now;
  }

  async status(
    resolved: ResolvedBudget & { budget: Budget },
    today?: string,
  ): Promise<BudgetStatus> {
    const day = today ?? (await this.today());
    const lastDay = fromEpochDay(toEpochDay(day) - 1);
    const period = budgetPeriodOf(resolved.budget.period, lastDay);
    const range: DateRange = {
      from: fromEpochDay(toEpochDay(period.from) - HISTORY_DAYS),
      to: lastDay,
    };
    const costBasis = resolved.budget.costBasis ?? this.options.costBasis;
    const daily = await this.options.spend.dailyTotals(
      resolved.budget.entityRef,
      range,
      costBasis,
    );
    const status = {
      ...computeBudgetStatus({ budget: resolved.budget, daily, today: day }),
      costBasis,
    };
    return resolved.overridden
      ? { ...status, overridden: resolved.overridden }
      : status;
  }

  /** Every budget in force: UI budgets, app-config budgets and annotated entities. */
  async listInForce(): Promise<BudgetInForce[]> {
    const { store, directory, configured } = this.options;
    const refs = new Set<string>([
      ...(await store.listBudgets()).map(budget => budget.entityRef),
      ...configured.keys(),
    ]);
    const entities = new Map<string, SnapshotEntity>();
    for (const entity of await directory.listEntitiesWithBudgetAnnotations()) {
      entities.set(entity.ref, entity);
    }
    for (const ref of refs) {
      if (!entities.has(ref)) {
        const entity = await directory.getEntity(ref);
        // A budget of an entity gone from the catalog has nobody to tell; it stays stored.
        if (entity) entities.set(ref, entity);
      }
    }
    const inForce: BudgetInForce[] = [];
    for (const entity of [...entities.values()].sort((a, b) =>
      a.ref.localeCompare(b.ref),
    )) {
      const resolved = await this.resolve(entity);
      if (resolved.budget) {
        inForce.push({ ...resolved, entity, budget: resolved.budget });
      }
    }
    return inForce;
  }
}
