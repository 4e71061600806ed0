import type { CostBasis } from './types';

/** How long a budget's period lasts; periods follow the calendar (UTC). @public */
export type BudgetPeriod = 'monthly' | 'quarterly' | 'annual';

/**
 * A point at which an alert fires: a percentage of the budget reached by actual spend, or by
 * the forecast at period end.
 * @public
 */
export interface BudgetThreshold {
  kind: 'actual' | 'forecast';
  /** Percent of the budget, above 0 and at most 1000. */
  percent: number;
}

/** What a budget editor sends. @public */
export interface BudgetInput {
  /** Decimal string in the billing currency, e.g. "1200" or "1200.50". */
  amount: string;
  period: BudgetPeriod;
  /** Must equal the billing currency. */
  currency: string;
  /** Default: 50 %, 80 %, 100 % of actual and 100 % of forecast. */
  thresholds?: BudgetThreshold[];
  /** Entity refs of users or groups told of alerts; default: the owning group. */
  recipients?: string[];
  /** The basis spend is counted on; default: the configured one (`costscope.costBasis`). */
  costBasis?: CostBasis;
}

/**
 * Where a budget comes from. `annotation` (`costscope.io/budget-*` on the entity) and
 * `config` (`costscope.budgets` in app-config) are declared as code and win over `ui`.
 * @public
 */
export type BudgetSource = 'ui' | 'annotation' | 'config';

/** A budget in force. @public */
export interface Budget {
  entityRef: string;
  amount: string;
  currency: string;
  period: BudgetPeriod;
  thresholds: BudgetThreshold[];
  recipients: string[];
  source: BudgetSource;
  /** The basis the budget declares; absent, it follows the configured one. */
  costBasis?: CostBasis;
  updatedAt?: string;
  updatedBy?: string;
}

/** ok, warning (a threshold under 100 % crossed), over (spent at least the budget), forecast-over. @public */
export type BudgetState = 'ok' | 'warning' | 'over' | 'forecast-over';

/** A budget with where the current period stands. @public */
export interface BudgetStatus {
  budget: Budget;
  /** The basis `spent`, the rate and the forecast are counted on. */
  costBasis: CostBasis;
  /** The current period, `to` exclusive. */
  period: { from: string; to: string };
  /** The last day with cost data included in `spent`. */
  dataThrough?: string;
  spent: string;
  percentUsed: number;
  /** Average daily spend over the recent days: the burn rate. */
  dailyRate: string;
  forecast: { amount: string; low: string; high: string; method: string };
  daysLeft: number;
  state: BudgetState;
  /** Thresholds already crossed this period. */
  crossed: BudgetThreshold[];
  /** A UI budget that a declared budget overrides, shown so nobody wonders where it went. */
  overridden?: Budget;
}

/** The answer of GET .../budget: the status, or null when the entity has no budget. @public */
export interface EntityBudgetResponse {
  status: BudgetStatus | null;
  /** Whether the caller may create, edit or delete the UI budget. */
  canEdit: boolean;
  /** Why editing is not possible (not a member of the owning group, declared as code). */
  readOnlyReason?: string;
  /** Declared budgets that could not be read (a bad annotation), one message each. */
  problems?: string[];
}

/** One change of a UI budget. @public */
export interface BudgetChange {
  id: string;
  entityRef: string;
  at: string;
  by: string;
  action: 'created' | 'updated' | 'deleted';
  before?: BudgetInput;
  after?: BudgetInput;
}

/** What drove a cost change, for an alert. @public */
export interface CostDriver {
  /** A service name, or a resource id when `resourceId` is set. */
  serviceName: string;
  resourceId?: string;
  amount: string;
  /** Change against the previous period (or the baseline, for anomalies). */
  change: string;
}

/** An alert that fired. @public */
export interface CostAlert {
  id: string;
  entityRef: string;
  kind: 'budget' | 'anomaly';
  /** The budget period (budget alerts) or the day (anomalies) it is about. */
  period: string;
  threshold?: BudgetThreshold;
  /** Spent (actual thresholds), forecast (forecast thresholds) or the day's cost (anomalies). */
  amount: string;
  /** The budget amount, or the expected daily cost of an anomaly. */
  reference: string;
  currency: string;
  title: string;
  description: string;
  drivers: CostDriver[];
  /** Path of the entity's Cost tab in the portal. */
  link: string;
  createdAt: string;
  /** Where it was delivered: notifications, webhook. */
  deliveredTo: string[];
}

/** A row of the organisation-wide budget list. @public */
export interface BudgetListItem {
  entityRef: string;
  title?: string;
  status: BudgetStatus;
}
