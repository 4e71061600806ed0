import {
  nanosToMoney,
  ReportedCommitments,
} from '@costscope/backstage-plugin-common';
import { shareOf } from '../lib/decimal';
import { CommitmentReportRow } from '../store/types';

const moneyOrNull = (nanos: bigint | null) =>
  nanos === null ? null : nanosToMoney(nanos);

/**
 * Stored provider reports as the API gives them: one entry per source and commitment type,
 * its months oldest first, coverage and utilization each from the provider's exact amounts,
 * divided once.
 */
export function reportedCommitments(
  rows: CommitmentReportRow[],
): ReportedCommitments[] {
  const bySource = new Map<string, ReportedCommitments>();
  const sorted = [...rows].sort(
    (a, b) =>
      a.sourceId.localeCompare(b.sourceId) ||
      a.commitmentType.localeCompare(b.commitmentType) ||
      a.month.localeCompare(b.month),
  );
  for (const row of sorted) {
    const key = `${row.sourceId}\u0000${row.commitmentType}`;
    let entry = bySource.get(key);
    if (!entry) {
      entry = {
        sourceId: row.sourceId,
        provider: row.provider,
        commitmentType:
          row.commitmentType as ReportedCommitments['commitmentType'],
        currency: row.currency,
        months: [],
      };
      bySource.set(key, entry);
    }
    entry.months.push({
      month: row.month,
      coveredCost: nanosToMoney(row.coveredNanos),
      eligibleCost: nanosToMoney(row.eligibleNanos),
      coverage: shareOf(row.coveredNanos, row.eligibleNanos),
      usedCommitmentCost: moneyOrNull(row.usedNanos),
      purchasedCommitmentCost: moneyOrNull(row.purchasedNanos),
      unusedCommitmentCost: moneyOrNull(row.unusedNanos),
      utilization:
        row.usedNanos === null || row.purchasedNanos === null
          ? null
          : shareOf(row.usedNanos, row.purchasedNanos),
      netSavings: moneyOrNull(row.netSavingsNanos),
    });
  }
  return [...bySource.values()];
}
