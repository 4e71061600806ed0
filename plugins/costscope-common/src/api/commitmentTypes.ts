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

/**
 * One month of a provider's own commitment report (for example AWS Cost Explorer's Savings
 * Plans coverage and utilization). Costs of eligible usage are on-demand equivalents; amounts
 * the provider does not report are null.
 * @public
 */
export interface ReportedCommitmentMonth {
  /** `YYYY-MM`. */
  month: string;
  /** Eligible usage commitments covered. */
  coveredCost: Money;
  /** All eligible usage. */
  eligibleCost: Money;
  /** coveredCost / eligibleCost, 0..1; null without eligible usage. */
  coverage: number | null;
  /** Commitment used, amortized. */
  usedCommitmentCost: Money | null;
  /** Commitment bought for the month, amortized. */
  purchasedCommitmentCost: Money | null;
  /** Commitment nothing used, amortized. */
  unusedCommitmentCost: Money | null;
  /** usedCommitmentCost / purchasedCommitmentCost, 0..1; null without a purchased commitment. */
  utilization: number | null;
  /** Saved against on-demand prices after the commitments' own cost. */
  netSavings: Money | null;
}

/**
 * A commitment report source's figures for one commitment type.
 * @public
 */
export interface ReportedCommitments {
  sourceId: string;
  /** `AWS`, ... */
  provider: string;
  commitmentType: 'SavingsPlans' | 'Reservations';
  /** The report's currency (Cost Explorer: USD). */
  currency: string;
  /** The months of the range the provider reported, oldest first. */
  months: ReportedCommitmentMonth[];
}

/** The answer of `GET /v1/commitments`: each month of the range. @public */
export interface CommitmentSummary extends DateRange {
  currency: string;
  months: CommitmentMonth[];
  /** Coverage and utilization as providers report them, per source and commitment type. */
  reported: ReportedCommitments[];
}
