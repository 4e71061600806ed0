import {
  Budget,
  BudgetState,
  BudgetStatus,
  BudgetThreshold,
  moneyToNanos,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { budgetPeriodOf } from './budgetPeriods';
import { forecastSpend } from './forecast';
import { DailySeries, fromEpochDay, toEpochDay } from './series';

/** What {@link computeBudgetStatus} needs. */
export interface BudgetStatusRequest {
  budget: Budget;
  /** The entity's daily cost in nano-units keyed by UTC day. */
  daily: DailySeries;
  /** The first day without cost data, `YYYY-MM-DD`: the status covers the days before it. */
  today: string;
}

/** `numerator / denominator` rounded half away from zero (denominator > 0). */
function roundDiv(numerator: bigint, denominator: bigint): bigint {
  const half = denominator / 2n;
  return numerator >= 0n
    ? (numerator + half) / denominator
    : -((-numerator + half) / denominator);
}

/** Whether `value` reached `percent` % of `amount`, exactly (percent has at most 2 decimals). */
function reached(value: bigint, amount: bigint, percent: number): boolean {
  return value * 10_000n >= BigInt(Math.round(percent * 100)) * amount;
}

/**
 * Where a budget stands in the period of the last day with data (`today - 1`): spend so
 * far, the period-end forecast ({@link forecastSpend}), the thresholds crossed and the state:
 * `over` when spent >= amount; else `forecast-over` when the forecast exceeds the amount and
 * a forecast threshold is crossed; else `warning` when an actual threshold under 100 % is
 * crossed; else `ok`. Amounts are exact; percentUsed has one decimal.
 */
export function computeBudgetStatus(
  request: BudgetStatusRequest,
): Omit<BudgetStatus, 'costBasis'> {
  const { budget, daily, today } = request;
  const todayDay = toEpochDay(today);
  const lastDay = fromEpochDay(todayDay - 1);
  const period = budgetPeriodOf(budget.period, lastDay);
  const amount = moneyToNanos(budget.amount);
  if (amount <= 0n) {
    throw new RangeError(`budget of ${budget.entityRef} is not positive`);
  }

  const result = forecastSpend({
    daily,
    periodStart: period.from,
    periodEnd: period.to,
    today,
  });
  const { spent, forecast } = result;

  const crossed: BudgetThreshold[] = budget.thresholds.filter(threshold =>
    reached(
      threshold.kind === 'actual' ? spent : forecast,
      amount,
      threshold.percent,
    ),
  );
  let state: BudgetState = 'ok';
  if (spent >= amount) {
    state = 'over';
  } else if (forecast > amount && crossed.some(t => t.kind === 'forecast')) {
    state = 'forecast-over';
  } else if (crossed.some(t => t.kind === 'actual' && t.percent < 100)) {
    state = 'warning';
  }

  let dataThrough: string | undefined;
  for (const [day, value] of daily) {
    if (
      day >= period.from &&
      day <= lastDay &&
      value !== undefined &&
      (!dataThrough || day > dataThrough)
    ) {
      dataThrough = day;
    }
  }

  return {
    budget,
    period,
    ...(dataThrough ? { dataThrough } : {}),
    spent: nanosToMoney(spent),
    percentUsed: Number(roundDiv(spent * 1000n, amount)) / 10,
    dailyRate: nanosToMoney(result.dailyRate),
    forecast: {
      amount: nanosToMoney(forecast),
      low: nanosToMoney(result.low),
      high: nanosToMoney(result.high),
      method: result.method,
    },
    daysLeft: Math.max(0, toEpochDay(period.to) - todayDay),
    state,
    crossed,
  };
}
