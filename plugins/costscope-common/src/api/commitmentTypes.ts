import type { DateRange, Money } from './types';

/**
 * Savings Plans and reservations in one calendar month, from the bill's FOCUS commitment
 * columns. Eligible usage is usage a commitment covered plus other usage of service category
 * Compute. Shares are 0..1 (6 decimal places), null when their denominator is zero.
 * @public
 */
export interface CommitmentMonth {
  /** `YYYY-MM`. */
  month: string;
  /** Eligible usage at list (on-demand) price. */
  eligibleListCost: Money;
  /** The part of it commitments covered, at list price. */
  coveredListCost: Money;
  /** Eligible usage, amortized. */
  eligibleEffectiveCost: Money;
  /** Amortized cost of the usage commitments covered. */
  usedCommitmentCost: Money;
  /** Amortized cost of commitment nothing used. */
  unusedCommitmentCost: Money;
  /** coveredListCost / eligibleListCost. */
  coverage: number | null;
  /** usedCommitmentCost / (usedCommitmentCost + unusedCommitmentCost). */
  utilization: number | null;
  /** (eligibleListCost - eligibleEffectiveCost - unusedCommitmentCost) / eligibleListCost. */
  effectiveSavingsRate: number | null;
}

/** The answer of `GET /v1/commitments`: each month of the range. @public */
export interface CommitmentSummary extends DateRange {
  currency: string;
  months: CommitmentMonth[];
}
