import {
  CommitmentMonth,
  DateRange,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { monthsOf } from '../lib/dates';
import { shareOf } from '../lib/decimal';
import { CommitmentMonthSums } from '../store/CommitmentQueries';

const NO_SUMS: Omit<CommitmentMonthSums, 'month'> = {
  eligibleListNanos: 0n,
  coveredListNanos: 0n,
  eligibleEffectiveNanos: 0n,
  usedNanos: 0n,
  unusedNanos: 0n,
};

/**
 * Coverage, utilization and effective savings rate (the FinOps Foundation's and AWS's
 * definitions) of every month of the range, from its sums; a month without any gets zeros.
 * Ratios come from exact sums, each divided once.
 */
export function commitmentMonths(
  range: DateRange,
  sums: CommitmentMonthSums[],
): CommitmentMonth[] {
  const byMonth = new Map(sums.map(s => [s.month, s]));
  return monthsOf(range.from, range.to).map(({ month }) => {
    const s = byMonth.get(month) ?? { month, ...NO_SUMS };
    const committed = s.usedNanos + s.unusedNanos;
    // What the eligible usage cost, unused commitment included (it was paid for), against
    // what it would have cost on demand.
    const saved =
      s.eligibleListNanos - s.eligibleEffectiveNanos - s.unusedNanos;
    return {
      month,
      eligibleListCost: nanosToMoney(s.eligibleListNanos),
      coveredListCost: nanosToMoney(s.coveredListNanos),
      eligibleEffectiveCost: nanosToMoney(s.eligibleEffectiveNanos),
      usedCommitmentCost: nanosToMoney(s.usedNanos),
      unusedCommitmentCost: nanosToMoney(s.unusedNanos),
      coverage: shareOf(s.coveredListNanos, s.eligibleListNanos),
      utilization: shareOf(s.usedNanos, committed),
      effectiveSavingsRate: shareOf(saved, s.eligibleListNanos),
    };
  });
}
