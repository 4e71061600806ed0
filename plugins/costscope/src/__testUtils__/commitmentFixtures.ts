import type {
  CommitmentMonth,
  CommitmentSummary,
  DateRange,
} from '@costscope/backstage-plugin-common';

/** Months of a range, `YYYY-MM`. */
function monthsOf(range: DateRange): string[] {
  const months: string[] = [];
  let year = Number(range.from.slice(0, 4));
  let month = Number(range.from.slice(5, 7));
  while (`${year}-${String(month).padStart(2, '0')}` <= range.to.slice(0, 7)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/**
 * A Savings Plan bought in the range's third month: nothing before it; after, 2,000.00 of
 * eligible usage at list price a month, 1,500.00 covered at 28 % off, 50.00 unused.
 */
export function commitmentsFor(range: DateRange): CommitmentSummary {
  const months = monthsOf(range).map((month, index): CommitmentMonth => {
    if (index < 2) {
      return {
        month,
        eligibleListCost: '2000.000000000',
        coveredListCost: '0.000000000',
        eligibleEffectiveCost: '2000.000000000',
        usedCommitmentCost: '0.000000000',
        unusedCommitmentCost: '0.000000000',
        coverage: 0,
        utilization: null,
        effectiveSavingsRate: 0,
      };
    }
    return {
      month,
      eligibleListCost: '2000.000000000',
      coveredListCost: '1500.000000000',
      // 1,080.00 covered (28 % off 1,500.00) and 500.00 on demand.
      eligibleEffectiveCost: '1580.000000000',
      usedCommitmentCost: '1080.000000000',
      unusedCommitmentCost: '50.000000000',
      coverage: 0.75,
      utilization: 0.955752,
      effectiveSavingsRate: 0.185,
    };
  });
  return {
    currency: 'USD',
    from: range.from,
    to: range.to,
    months,
    reported: [],
  };
}
