import type {
  BudgetPeriod,
  BudgetSource,
  BudgetState,
  BudgetThreshold,
} from '@costscope/backstage-plugin-common';
import { formatShare } from './format';

/** Text of each budget state: the chip shows it, so the state never rests on colour alone. */
export const BUDGET_STATE_LABELS: Record<BudgetState, string> = {
  ok: 'On track',
  warning: 'Warning',
  'forecast-over': 'Forecast over budget',
  over: 'Over budget',
};

/** Severity of each state, for sorting: over is the worst. */
export const BUDGET_STATE_SEVERITY: Record<BudgetState, number> = {
  ok: 0,
  warning: 1,
  'forecast-over': 2,
  over: 3,
};

export const BUDGET_PERIOD_LABELS: Record<BudgetPeriod, string> = {
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  annual: 'Annual',
};

/** "per month" etc., after an amount. */
export const BUDGET_PERIOD_UNITS: Record<BudgetPeriod, string> = {
  monthly: 'per month',
  quarterly: 'per quarter',
  annual: 'per year',
};

export const BUDGET_SOURCE_LABELS: Record<BudgetSource, string> = {
  ui: 'Set in Costscope',
  annotation: "Declared in the entity's annotations",
  config: 'Declared in app-config',
};

/** Short source names for table cells. */
export const BUDGET_SOURCE_SHORT_LABELS: Record<BudgetSource, string> = {
  ui: 'Costscope',
  annotation: 'Annotation',
  config: 'app-config',
};

/** The annotation that declares a monthly budget, as shown in hints. */
export const BUDGET_MONTHLY_ANNOTATION = 'costscope.io/budget-monthly';

/** A value already in percent (12.5 -> "12.5%"), formatted like shares elsewhere. */
export function formatPercent(value: number): string {
  return formatShare(value / 100);
}

/** "80 % of actual spend" / "100 % of the forecast". */
export function formatThreshold(threshold: BudgetThreshold): string {
  return `${formatPercent(threshold.percent)} of ${
    threshold.kind === 'actual' ? 'actual spend' : 'the forecast'
  }`;
}

/** The last day of a period whose `to` is exclusive, `YYYY-MM-DD`. */
export function lastDayOf(period: { to: string }): string {
  const end = Date.parse(`${period.to}T00:00:00Z`);
  if (Number.isNaN(end)) return period.to;
  return new Date(end - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** A decimal string without trailing zeros, for editing: "1200.500000000" -> "1200.5". */
export function trimAmount(amount: string): string {
  return amount.includes('.')
    ? amount.replace(/0+$/, '').replace(/\.$/, '')
    : amount;
}
