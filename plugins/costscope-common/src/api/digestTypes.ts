import type { BudgetState } from './budgetTypes';
import type { CostBasis, DateRange, Money } from './types';

/** The length of a digest: an ISO week (Monday to Sunday) or a calendar month, in UTC days. @public */
export type DigestPeriod = 'week' | 'month';

/** A line of a digest's top lists: cost in the period and the change from the previous one. @public */
export interface DigestChangeItem {
  /** An entity ref (top entities), a service name, or `NOT_VISIBLE_KEY`. */
  key: string;
  /** The entity's title, when it has one. */
  label?: string;
  cost: Money;
  previousCost: Money;
  /** `cost - previousCost`. */
  change: Money;
}

/** A budget below the team whose current period is at risk (warning, over or forecast over). @public */
export interface DigestBudget {
  entityRef: string;
  title?: string;
  state: Exclude<BudgetState, 'ok'>;
  /** The budget's amount for its current period. */
  amount: Money;
  spent: Money;
  forecast: Money;
  percentUsed: number;
  /** The budget's current period, `to` exclusive. */
  period: { from: string; to: string };
}

/** An alert fired during the period for the team or an entity below it. @public */
export interface DigestAlert {
  id: string;
  entityRef: string;
  kind: 'budget' | 'anomaly';
  title: string;
  createdAt: string;
  link: string;
}

/** A savings tip of the team's, among the three largest open ones. @public */
export interface DigestTip {
  id: string;
  entityRef?: string;
  resourceId: string;
  action: string;
  monthlySaving: Money;
}

/** Cost per unit of a business metric of an entity below, in the period and the one before. @public */
export interface DigestUnitCost {
  entityRef: string;
  metric: string;
  /** One unit, singular: `order`. */
  unit: string;
  /** Cost over units in the period, rounded half to even to 9 digits; null without units. */
  unitCost: Money | null;
  previousUnitCost: Money | null;
  /** `unitCost - previousUnitCost`; null when either is null. */
  change: Money | null;
}

/**
 * The entity's own cost per unit of a metric: the metric summed over the entities below it
 * that report it, divided into the cost of those same entities (not the whole team's cost).
 * @public
 */
export interface DigestOwnUnitCost extends DigestUnitCost {
  /** How many entities report the metric and are counted. */
  reportingEntities: number;
}

/**
 * Commitment figures of a monthly digest's month, as `GET /v1/commitments` defines them.
 * Shares are 0..1 (6 decimal places), each from exact sums divided once.
 * @public
 */
export interface DigestCommitments {
  /** `YYYY-MM`. */
  month: string;
  /** The entity's own eligible usage (facts allocated to it and below it), at list price. */
  eligibleListCost: Money;
  /** The part of it commitments covered, at list price. */
  coveredListCost: Money;
  /** The entity's eligible usage, amortized. */
  eligibleEffectiveCost: Money;
  /** coveredListCost / eligibleListCost: the coverage of the entity's own eligible usage. */
  coverage: number | null;
  /**
   * (eligibleListCost - eligibleEffectiveCost - unused commitment allocated to the entity) /
   * eligibleListCost.
   */
  effectiveSavingsRate: number | null;
  /**
   * The organisation's month (commitments are bought for it, not per team); only for readers
   * allowed `costscope.overview.read`, never in scheduled digests, which every member gets.
   */
  organisation?: {
    coverage: number | null;
    /** Used / (used + unused) commitment; null without commitment. */
    utilization: number | null;
    usedCommitmentCost: Money;
    unusedCommitmentCost: Money;
    effectiveSavingsRate: number | null;
  };
}

/**
 * What a team (or system) is told of a week or a month of its cost: the digest Costscope
 * sends on a schedule, and `GET /v1/entities/{kind}/{namespace}/{name}/digest` returns.
 * Amounts are on `costBasis`, in `currency`, exact decimal strings.
 * @public
 */
export interface CostDigest extends DateRange {
  entityRef: string;
  title?: string;
  period: DigestPeriod;
  currency: string;
  costBasis: CostBasis;
  /** The last day of the period with cost data, when data stops before `to`. */
  dataThrough?: string;
  total: Money;
  /** The period before, of the same kind (the previous week or calendar month). */
  previous: DateRange & { total: Money };
  /** `total - previous.total`. */
  change: Money;
  /** Relative change, null when the previous total is zero. */
  changeRatio: number | null;
  /** The same period a year earlier, null when Costscope has no data that old. */
  lastYear: (DateRange & { total: Money; change: Money }) | null;
  /** The largest entities below it (for a team: what it owns and its sub-teams). */
  topEntities: DigestChangeItem[];
  topServices: DigestChangeItem[];
  /** Budgets of it and below it whose current period is at risk, worst first. */
  budgetsAtRisk: DigestBudget[];
  /** Alerts fired in the period, newest first. */
  alerts: DigestAlert[];
  /** Cost per unit of the entities below that report a business metric (at most five). */
  unitCosts: DigestUnitCost[];
  /**
   * Groups and systems: their own cost per unit, one per metric some entity below reports
   * (see {@link DigestOwnUnitCost}).
   */
  ownUnitCosts?: DigestOwnUnitCost[];
  /** Open savings tips: how many, what they save a month together, the three largest. */
  savings: { openCount: number; monthlySaving: Money; top: DigestTip[] };
  /**
   * Tag compliance by cost in the period and the one before (`compliantShareByCost`), null
   * without a tag policy or without cost in scope.
   */
  compliance: {
    shareByCost: number | null;
    previousShareByCost: number | null;
  } | null;
  /**
   * Monthly digests of groups: the group's chargeback total for the month (its allocated
   * cost plus its part of shared cost, as `costscope.chargeback` splits it).
   */
  chargeback?: { total: Money };
  /**
   * Monthly digests: commitment coverage and savings of the month; absent when the entity
   * had no commitment-eligible usage in it.
   */
  commitments?: DigestCommitments;
}
