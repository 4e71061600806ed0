import { BudgetPeriod } from '@costscope/backstage-plugin-common';
import { toEpochDay } from './series';

const MONTHS: Record<BudgetPeriod, number> = {
  monthly: 1,
  quarterly: 3,
  annual: 12,
};

function isoDay(year: number, monthIndex: number): string {
  return new Date(Date.UTC(year, monthIndex, 1)).toISOString().slice(0, 10);
}

/**
 * The UTC calendar month, quarter or year holding `day` (`YYYY-MM-DD`): `from` is its first
 * day, `to` the first day after it (exclusive). Throws a TypeError on an invalid day.
 */
export function budgetPeriodOf(
  period: BudgetPeriod,
  day: string,
): { from: string; to: string } {
  toEpochDay(day);
  if (!Object.prototype.hasOwnProperty.call(MONTHS, period)) {
    throw new TypeError(`unknown budget period '${period}'`);
  }
  const months = MONTHS[period];
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1;
  const first = month - (month % months);
  return { from: isoDay(year, first), to: isoDay(year, first + months) };
}
