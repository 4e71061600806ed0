import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/**
 * The kind of commitment a report is about.
 * @public
 */
export type CommitmentType = 'SavingsPlans' | 'Reservations';

/**
 * One calendar month of a provider's own commitment report. Amounts are exact decimal strings
 * in the report's currency, never floats; a figure the provider does not report is absent.
 * @public
 */
export interface ReportedCommitmentMonth {
  /** `YYYY-MM`. */
  month: string;
  /** Eligible usage commitments covered, at its on-demand-equivalent cost. */
  coveredCost: string;
  /** All eligible usage (covered or on demand), at its on-demand-equivalent cost. */
  eligibleCost: string;
  /** Commitment the covered usage used, amortized. */
  usedCommitment?: string;
  /** Commitment bought for the month, amortized (used plus unused). */
  purchasedCommitment?: string;
  /** Commitment nothing used, amortized. */
  unusedCommitment?: string;
  /** What the commitments saved against on-demand prices, after their own cost. */
  netSavings?: string;
}

/**
 * A provider's commitment report for one kind of commitment (for example AWS Cost Explorer's
 * Savings Plans coverage and utilization).
 * @public
 */
export interface CommitmentReport {
  /** `AWS`, ... */
  provider: string;
  commitmentType: CommitmentType;
  /** ISO 4217 code of every amount in it. */
  currency: string;
  /** The months the provider reports, each at most once, in any order. */
  months: ReportedCommitmentMonth[];
}

/**
 * What a commitment report source may use while it reads.
 * @public
 */
export interface CommitmentReportReadContext {
  logger: LoggerService;
  /** First day (inclusive) of the months to read, `YYYY-MM-01`. */
  from: string;
  /** The day after the last day to read, `YYYY-MM-DD` (today, or a month start). */
  to: string;
  /** Report one call to a cloud API, with what the provider charges for it in USD. */
  apiCall(operation: string, costUsd?: string): void;
  signal?: AbortSignal;
}

/**
 * A source of a provider's own commitment figures: coverage and utilization as the provider
 * computes them (for example the Cost Explorer coverage and utilization APIs), beside what
 * Costscope derives from the bill's commitment columns. Costscope keeps what it reads per
 * source and month, refreshes it on the source's schedule (daily by default), and keeps the
 * earlier figures when a read fails.
 * @public
 */
export interface CommitmentReportSource {
  /** Unique, stable id; it keys the stored reports. */
  readonly id: string;
  /** The provider whose commitments it reports (`AWS`). */
  readonly provider: string;
  readonly description?: string;
  /** When to refresh; the backend's default (daily) applies when absent. */
  readonly schedule?: SchedulerServiceTaskScheduleDefinition;
  /**
   * Reads the months of the context's range. A month a report leaves out keeps no figures for
   * that commitment type; a report type left out entirely is removed for the range.
   */
  read(context: CommitmentReportReadContext): Promise<CommitmentReport[]>;
}
