import {
  BudgetStatus,
  BudgetThreshold,
  CostAlert,
  CostDriver,
} from '@costscope/backstage-plugin-common';
import { formatAlertMoney } from './formatAlertMoney';

/** What turns a budget status into alerts besides the status itself. */
export interface BudgetAlertContext {
  entityTitle: string;
  drivers: CostDriver[];
  /** Path of the entity's Cost tab. */
  link: string;
  now: string;
  newId: () => string;
}

function describeDrivers(drivers: CostDriver[], currency: string): string {
  if (drivers.length === 0) return '';
  const list = drivers
    .map(
      driver =>
        `${driver.resourceId ?? driver.serviceName} +${formatAlertMoney(
          driver.change,
          currency,
        )}`,
    )
    .join(', ');
  return ` Top drivers against the previous period: ${list}.`;
}

function titleOf(
  entityTitle: string,
  threshold: BudgetThreshold,
  period: string,
): string {
  return threshold.kind === 'actual'
    ? `${entityTitle} reached ${threshold.percent} % of its ${period} budget`
    : `${entityTitle} is forecast to reach ${threshold.percent} % of its ${period} budget`;
}

/**
 * One alert per threshold the status has crossed, keyed by the period's first day, so the
 * store keeps at most one per threshold per period.
 */
export function budgetAlertsOf(
  status: BudgetStatus,
  context: BudgetAlertContext,
): CostAlert[] {
  const { budget } = status;
  const money = (amount: string) => formatAlertMoney(amount, budget.currency);
  return status.crossed.map(threshold => {
    const amount =
      threshold.kind === 'actual' ? status.spent : status.forecast.amount;
    const what =
      threshold.kind === 'actual'
        ? `Spent ${money(status.spent)} of ${money(budget.amount)} (${
            status.percentUsed
          } %) from ${status.period.from}.`
        : `Forecast ${money(status.forecast.amount)} (80 % interval ${money(
            status.forecast.low,
          )} to ${money(status.forecast.high)}) against a budget of ${money(
            budget.amount,
          )}; spent ${money(status.spent)} so far.`;
    return {
      id: context.newId(),
      entityRef: budget.entityRef,
      kind: 'budget' as const,
      period: status.period.from,
      threshold,
      amount,
      reference: budget.amount,
      currency: budget.currency,
      title: titleOf(context.entityTitle, threshold, budget.period),
      description: `${what}${describeDrivers(
        context.drivers,
        budget.currency,
      )}`,
      drivers: context.drivers,
      link: context.link,
      createdAt: context.now,
      deliveredTo: [],
    };
  });
}
