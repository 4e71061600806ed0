import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  Budget,
  BudgetChange,
  BudgetInput,
  BudgetThreshold,
  CostAlert,
  DateRange,
  moneyToNanos,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';

const ALERT_KEY_COLUMNS = ['entity_ref', 'kind', 'period', 'alert_key'];

/**
 * The key that makes an alert unique within its entity, kind and period: the threshold of
 * a budget alert (`actual:80`), or the kind itself for an anomaly.
 */
export function alertKeyOf(
  alert: Pick<CostAlert, 'kind' | 'threshold'>,
): string {
  return alert.threshold
    ? `${alert.threshold.kind}:${alert.threshold.percent}`
    : alert.kind;
}

function thresholdOf(kind: string, key: string): BudgetThreshold | undefined {
  const match = /^(actual|forecast):(.+)$/.exec(key);
  return kind === 'budget' && match
    ? { kind: match[1] as BudgetThreshold['kind'], percent: Number(match[2]) }
    : undefined;
}

function inputOf(budget: Budget): BudgetInput {
  return {
    amount: budget.amount,
    period: budget.period,
    currency: budget.currency,
    thresholds: budget.thresholds,
    recipients: budget.recipients,
    ...(budget.costBasis ? { costBasis: budget.costBasis } : {}),
  };
}

function budgetOf(row: any): Budget {
  return {
    entityRef: row.entity_ref,
    amount: nanosToMoney(BigInt(row.amount_text)),
    currency: row.currency,
    period: row.period,
    thresholds: JSON.parse(row.thresholds),
    recipients: JSON.parse(row.recipients),
    source: 'ui',
    ...(row.cost_basis ? { costBasis: row.cost_basis } : {}),
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function alertOf(row: any): CostAlert {
  const threshold = thresholdOf(row.kind, row.alert_key);
  return {
    id: row.id,
    entityRef: row.entity_ref,
    kind: row.kind,
    period: row.period,
    ...(threshold ? { threshold } : {}),
    amount: nanosToMoney(BigInt(row.amount_text)),
    reference: nanosToMoney(BigInt(row.reference_text)),
    currency: row.currency,
    title: row.title,
    description: row.description,
    drivers: JSON.parse(row.drivers),
    link: row.link,
    createdAt: row.created_at,
    deliveredTo: JSON.parse(row.delivered_to),
  };
}

const lower = (entityRef: string) => entityRef.toLocaleLowerCase('en-US');

/**
 * UI budgets with their change history, and the alerts that fired. Every write of a budget
 * records its change in the same transaction; amounts are exact BIGINT nano-units.
 */
export class BudgetStore {
  constructor(private readonly knex: Knex) {}

  private budgets(db: Knex | Knex.Transaction) {
    return db('costscope_budgets').select(
      '*',
      db.raw('CAST(amount_nanos AS TEXT) AS amount_text'),
    );
  }

  async getBudget(entityRef: string): Promise<Budget | undefined> {
    const row = await this.budgets(this.knex)
      .where({ entity_ref: lower(entityRef) })
      .first();
    return row ? budgetOf(row) : undefined;
  }

  async listBudgets(): Promise<Budget[]> {
    const rows = await this.budgets(this.knex).orderBy('entity_ref');
    return rows.map(budgetOf);
  }

  /** Creates or replaces the UI budget of an entity and records the change. */
  async putBudget(
    entityRef: string,
    input: BudgetInput,
    by: string,
    at: string,
  ): Promise<Budget> {
    const ref = lower(entityRef);
    return this.knex.transaction(async tx => {
      const budget: Budget = {
        entityRef: ref,
        amount: nanosToMoney(moneyToNanos(input.amount)),
        currency: input.currency,
        period: input.period,
        thresholds: input.thresholds ?? [],
        recipients: input.recipients ?? [],
        source: 'ui',
        ...(input.costBasis ? { costBasis: input.costBasis } : {}),
        updatedAt: at,
        updatedBy: by,
      };
      const row = {
        entity_ref: ref,
        amount_nanos: moneyToNanos(budget.amount).toString(),
        currency: budget.currency,
        period: budget.period,
        thresholds: JSON.stringify(budget.thresholds),
        recipients: JSON.stringify(budget.recipients),
        // Null follows costscope.costBasis; an update without a basis returns to it.
        cost_basis: budget.costBasis ?? null,
        updated_at: at,
        updated_by: by,
      };
      // Insert first: of two first writes racing on PostgreSQL, the second waits for the
      // first to commit, inserts nothing, then locks and updates the committed row.
      const inserted = await tx('costscope_budgets')
        .insert(row)
        .onConflict('entity_ref')
        .ignore()
        .returning('entity_ref');
      let before: Budget | undefined;
      if (inserted.length === 0) {
        before = await this.lockedBudget(tx, ref);
        await tx('costscope_budgets').where({ entity_ref: ref }).update(row);
      }
      await this.recordChange(tx, {
        entityRef: ref,
        at,
        by,
        action: before ? 'updated' : 'created',
        before: before && inputOf(before),
        after: inputOf(budget),
      });
      return budget;
    });
  }

  /** Deletes the UI budget of an entity; false (and nothing recorded) when there is none. */
  async deleteBudget(
    entityRef: string,
    by: string,
    at: string,
  ): Promise<boolean> {
    const ref = lower(entityRef);
    return this.knex.transaction(async tx => {
      const before = await this.lockedBudget(tx, ref);
      if (!before) return false;
      await tx('costscope_budgets').where({ entity_ref: ref }).delete();
      await this.recordChange(tx, {
        entityRef: ref,
        at,
        by,
        action: 'deleted',
        before: inputOf(before),
      });
      return true;
    });
  }

  /** The latest changes of an entity's UI budget, newest first. */
  async listChanges(entityRef: string, limit: number): Promise<BudgetChange[]> {
    const rows = await this.knex('costscope_budget_changes')
      .where({ entity_ref: lower(entityRef) })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(row => ({
      id: row.id,
      entityRef: row.entity_ref,
      at: row.at,
      by: row.by,
      action: row.action,
      ...(row.before ? { before: JSON.parse(row.before) } : {}),
      ...(row.after ? { after: JSON.parse(row.after) } : {}),
    }));
  }

  /**
   * Stores an alert unless one with the same entity, kind, period and key (see
   * {@link alertKeyOf}) exists. True when this call stored it, so its caller alone delivers
   * it; safe under concurrent calls from several instances.
   */
  async recordAlertOnce(alert: CostAlert): Promise<boolean> {
    const row = {
      id: alert.id,
      entity_ref: lower(alert.entityRef),
      kind: alert.kind,
      period: alert.period,
      alert_key: alertKeyOf(alert),
      amount_nanos: moneyToNanos(alert.amount).toString(),
      reference_nanos: moneyToNanos(alert.reference).toString(),
      currency: alert.currency,
      title: alert.title,
      description: alert.description,
      drivers: JSON.stringify(alert.drivers),
      link: alert.link,
      created_at: alert.createdAt,
      delivered_to: JSON.stringify(alert.deliveredTo),
    };
    const inserted = await this.knex('costscope_alerts')
      .insert(row)
      .onConflict(ALERT_KEY_COLUMNS)
      .ignore()
      .returning('id');
    return inserted.length === 1;
  }

  /** Records where a stored alert was delivered. */
  async setAlertDelivery(id: string, deliveredTo: string[]): Promise<void> {
    await this.knex('costscope_alerts')
      .where({ id })
      .update({ delivered_to: JSON.stringify(deliveredTo) });
  }

  /** The latest alerts, of one entity or all, newest first. */
  async listAlerts(options: {
    entityRef?: string;
    limit: number;
  }): Promise<CostAlert[]> {
    const query = this.newestAlerts(options.limit);
    if (options.entityRef) {
      query.where({ entity_ref: lower(options.entityRef) });
    }
    return (await query).map(alertOf);
  }

  /**
   * Alerts of some entities created in an inclusive range of UTC days, newest first (what
   * a digest reports).
   */
  async listAlertsCreated(options: {
    entityRefs: string[];
    range: DateRange;
    limit: number;
  }): Promise<CostAlert[]> {
    if (options.entityRefs.length === 0) return [];
    const rows = await this.newestAlerts(options.limit)
      .whereIn('entity_ref', options.entityRefs.map(lower))
      // created_at is ISO 8601 UTC text: ordered as it reads.
      .where('created_at', '>=', `${options.range.from}T00:00:00`)
      .where('created_at', '<', `${options.range.to}T99`);
    return rows.map(alertOf);
  }

  /** Alert rows as {@link alertOf} reads them, newest first. */
  private newestAlerts(limit: number) {
    return this.knex('costscope_alerts')
      .select(
        '*',
        this.knex.raw('CAST(amount_nanos AS TEXT) AS amount_text'),
        this.knex.raw('CAST(reference_nanos AS TEXT) AS reference_text'),
      )
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
  }

  private async lockedBudget(
    tx: Knex.Transaction,
    ref: string,
  ): Promise<Budget | undefined> {
    const query = this.budgets(tx).where({ entity_ref: ref });
    if (tx.client.config.client === 'pg') query.forUpdate();
    const row = await query.first();
    return row ? budgetOf(row) : undefined;
  }

  private async recordChange(
    tx: Knex.Transaction,
    change: Omit<BudgetChange, 'id'>,
  ): Promise<void> {
    await tx('costscope_budget_changes').insert({
      id: randomUUID(),
      entity_ref: change.entityRef,
      at: change.at,
      by: change.by,
      action: change.action,
      before: change.before ? JSON.stringify(change.before) : null,
      after: change.after ? JSON.stringify(change.after) : null,
    });
  }
}
