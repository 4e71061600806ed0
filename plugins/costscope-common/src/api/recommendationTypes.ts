import type { Money } from './types';

/**
 * What a recommendation is about.
 *
 * - `idle-instance`: a running instance that does (almost) nothing; stop or terminate it.
 * - `overprovisioned-instance`: a smaller size in the family, or a cheaper family, fits the load.
 * - `office-hours-schedule`: a non-production instance that runs around the clock; run it in
 *   working hours only.
 * - `unattached-volume`: a block volume attached to nothing (state `available`).
 * - `unassociated-address`: an Elastic IP associated with nothing; public IPv4 is charged by the hour.
 * - `old-snapshot`: a snapshot older than the configured age.
 * - `kubernetes-requests`: a Kubernetes workload whose cpu and ram requests are far above its use;
 *   lower them, and the cluster's bill shrinks by the part of the workload's cost they hold.
 * - `savings-plan-purchase`: a Compute Savings Plan to buy for a payer (or a linked account), sized
 *   on the floor of its eligible on-demand usage; one per payer or account, not per resource.
 *
 * @public
 */
export type RecommendationKind =
  | 'idle-instance'
  | 'overprovisioned-instance'
  | 'office-hours-schedule'
  | 'unattached-volume'
  | 'unassociated-address'
  | 'old-snapshot'
  | 'kubernetes-requests'
  | 'savings-plan-purchase';

/**
 * How sure a recommendation is, from the evidence behind it (coverage of the data, metrics seen).
 * @public
 */
export type RecommendationConfidence = 'low' | 'medium' | 'high';

/**
 * Where a recommendation's saving comes from: `billing`, the resource's real cost per hour in the
 * billing data; `price-table`, the on-demand list price Costscope cached from its price sources
 * (the AWS Price List, or the configured prices file).
 * @public
 */
export type RecommendationPriceSource = 'price-table' | 'billing';

/**
 * `open`: counts in totals. `dismissed`: set aside for good (until the evidence changes a lot).
 * `snoozed`: set aside until a date.
 * @public
 */
export type RecommendationState = 'open' | 'dismissed' | 'snoozed';

/**
 * Utilisation of one metric over the lookback window, in percent.
 * @public
 */
export interface UtilisationEvidence {
  /** Mean of the hourly averages. */
  average: number;
  /** 95th percentile (nearest rank) of the hourly maxima. */
  p95: number;
  /** Largest hourly maximum. */
  maximum: number;
}

/**
 * Why a recommendation was made: the numbers a reader needs to trust it.
 * @public
 */
export interface RecommendationEvidence {
  /** CPU utilisation (instance recommendations). */
  cpu?: UtilisationEvidence;
  /** Memory utilisation, only where the instance reports it (CloudWatch agent). */
  memory?: UtilisationEvidence;
  /** Hours of utilisation data inside the lookback window (instance recommendations). */
  hours?: number;
  /** Length of the lookback window in days (instance recommendations). */
  lookbackDays?: number;
  /**
   * Share of the lookback window the instance ran, in percent (schedule and commitment
   * recommendations).
   */
  runningPercent?: number;
  /**
   * Size in GiB (volume and snapshot recommendations; for a snapshot, the size of its source
   * volume).
   */
  sizeGiB?: number;
  /** Age in whole days (snapshot recommendations). */
  ageDays?: number;
  /** The provider's state of the resource, e.g. `available` for an unattached volume. */
  resourceState?: string;
  /**
   * A `kubernetes-requests` tip: usage over request over the days with requests, and the shares
   * of the workload's cost its cpu and ram weights hold, in percent (2 places).
   */
  kubernetes?: {
    cluster: string;
    namespace?: string;
    days: number;
    cpuUsagePercent: number;
    ramUsagePercent: number;
    cpuSharePercent: number;
    ramSharePercent: number;
  };
}

/**
 * The Compute Savings Plan that a `savings-plan-purchase` recommendation suggests buying, sized
 * like AWS's own recommendation on the floor of the eligible on-demand usage (the hourly amount
 * the usage never fell under in the lookback window), after the rightsizing tips.
 * @public
 */
export interface SavingsPlanPurchase {
  /** `payer`: bought on the payer (management) account and shared; `account`: one linked account. */
  scope: 'payer' | 'account';
  /** The payer (FOCUS `BillingAccountId`). */
  payerAccountId: string;
  /** The linked account (FOCUS `SubAccountId`), for scope `account`. */
  accountId?: string;
  /** Days of usage the plan is sized on (7, 30 or 60). */
  lookbackDays: number;
  /** The complete days read, `YYYY-MM-DD`, both included (fewer than `lookbackDays` when data is younger). */
  window: { from: string; to: string };
  /** Eligible on-demand cost over the window (the usage the plan can cover). */
  eligibleOnDemandCost: Money;
  /** The floor of the eligible on-demand usage per hour: the lowest day of the window / 24. */
  hourlyOnDemandFloor: Money;
  /** On-demand cost per hour the rightsizing tips it was sized after remove (subtracted from the floor). */
  hourlyRightsizingSaving: Money;
  /** Ids of the rightsizing tips (resize, stop, schedule) it was sized after. */
  sizedAfter: string[];
  /** On-demand cost per hour the plan covers: the floor less the rightsizing saving. */
  hourlyOnDemandCovered: Money;
  /** What the covered usage costs on demand a month (730 hours). */
  monthlyOnDemandCovered: Money;
  /** Commitment to buy per hour, in the billing currency: the covered on-demand cost x (1 - discount). */
  hourlyCommitment: Money;
  /** Discount against on-demand assumed for the plan, in percent. */
  discountPercent: number;
  /** Length of the commitment in months (12 or 36). */
  termMonths: number;
  /** Share of the commitment paid upfront, in percent (0 no upfront, 100 all upfront). */
  upfrontPercent: number;
  /** Amount paid at purchase, in the billing currency. */
  upfrontPayment: Money;
  /**
   * Expected utilization of the plan, in percent: 100, since the usage never fell under the
   * committed amount in the window.
   */
  expectedUtilizationPercent: number;
  /** Expected share of the window's eligible on-demand usage the plan covers, in percent. */
  expectedCoveragePercent: number;
  /**
   * The month (1 = the first month after purchase) by which the purchase has paid for itself:
   * cumulative on-demand cost avoided reaches what was paid for the plan.
   */
  breakEvenMonth: number;
}

/**
 * An entity's share of a `savings-plan-purchase` recommendation: its eligible on-demand cost in
 * the plan's window over the payer's (or account's). Shares of the entities and the unallocated
 * rest add up to the whole.
 * @public
 */
export interface SavingsPlanShare {
  /** The entity, rolled up over what it contains. */
  entityRef: string;
  /** The entity's eligible on-demand cost in the window. */
  eligibleOnDemandCost: Money;
  /** The payer's (or account's) eligible on-demand cost in the window. */
  totalEligibleOnDemandCost: Money;
  /** The share in percent, rounded to 2 decimals for display. */
  percent: number;
  /** The entity's part of the monthly saving: the saving x the exact share, rounded once. */
  monthlySaving: Money;
}

/**
 * Why and by whom a recommendation was set aside.
 * @public
 */
export interface RecommendationDismissal {
  /** `dismissed` or `snoozed`. */
  state: Exclude<RecommendationState, 'open'>;
  /** The reason given, free text. */
  reason: string;
  /** Entity ref of the user who dismissed it, e.g. `user:default/jane`. */
  by: string;
  /** When, ISO 8601 UTC. */
  at: string;
  /** For a snoozed recommendation: the day it comes back, `YYYY-MM-DD` (UTC). */
  until?: string;
}

/**
 * One recommendation about one resource.
 * @public
 */
export interface Recommendation {
  /**
   * Stable id, `<kind>:<resourceId>` (a Savings Plan purchase:
   * `savings-plan-purchase:<provider>:<payer>[:<account>]`): the same recommendation keeps its id
   * from one computation to the next.
   */
  id: string;
  kind: RecommendationKind;
  /** The provider, e.g. `AWS`. */
  provider: string;
  /**
   * The id billing lines use for the resource (i-..., vol-..., eipalloc-..., snap-...); for a
   * Savings Plan purchase, the payer or linked account it is bought on.
   */
  resourceId: string;
  /** Its name (the `Name` tag), when it has one. */
  resourceName?: string;
  /** The inventory kind: `instance`, `volume`, `address`, `snapshot`; `payer` or `account` for a purchase. */
  resourceKind: string;
  /** Account (AWS), subscription (Azure) or project (GCP). */
  accountId: string;
  /** The region; `global` for a Savings Plan purchase, which applies in every region. */
  region: string;
  /** The entity the recommendation is allocated to, when the backend has allocated it. */
  entityRef?: string;
  /** What to do, one sentence, e.g. "Resize from m6i.24xlarge to m6i.16xlarge". */
  action: string;
  /** Why, one or two sentences that quote the evidence. */
  reason: string;
  evidence: RecommendationEvidence;
  /** Instance or volume type today. */
  currentType?: string;
  /** Instance type suggested (over-provisioned recommendations). */
  suggestedType?: string;
  /** What the resource costs a month today (730 hours), in the billing currency. */
  currentMonthlyCost?: Money;
  /**
   * What the recommendation saves a month (730 hours), in the billing currency, exact decimal
   * string.
   */
  monthlySaving: Money;
  /** ISO 4217 code of `monthlySaving`. */
  currency: string;
  confidence: RecommendationConfidence;
  priceSource: RecommendationPriceSource;
  /** The plan to buy, for `savings-plan-purchase` recommendations. */
  savingsPlan?: SavingsPlanPurchase;
  /**
   * In an entity's list, its share of a `savings-plan-purchase` recommendation; the entity's
   * total counts `share.monthlySaving`, not the whole `monthlySaving`.
   */
  share?: SavingsPlanShare;
  /**
   * The id of the recommendation on the same resource whose outcome this one's saving assumes
   * (a schedule or commitment priced on the instance type a resize suggests), so that the two
   * savings add up instead of counting the same money twice.
   */
  countedAfter?: string;
  state: RecommendationState;
  /** Present when `state` is not `open`. */
  dismissal?: RecommendationDismissal;
}

/**
 * A resource that could not be judged by a rule, and why: the UI shows these so that a missing
 * recommendation is explained ("no CPU data", "only 12 hours of data, 30 needed").
 * @public
 */
export interface RecommendationSkip {
  provider: string;
  resourceId: string;
  resourceName?: string;
  resourceKind: string;
  accountId: string;
  region: string;
  /** The rule that could not run; absent when no rule could. */
  kind?: RecommendationKind;
  /**
   * Machine-readable cause: `no-utilisation`, `insufficient-data`, `unknown-type`, `no-price`,
   * `unknown-size`, `unknown-age`, `accelerated`.
   */
  code: string;
  /** Human-readable cause, one sentence. */
  message: string;
}

/**
 * The recommendations of one entity (rolled up over its children), or of the organisation.
 * @public
 */
export interface RecommendationList {
  /** The entity, or `organization` for the org-wide list. */
  entityRef: string;
  /** ISO 4217 code of every amount. */
  currency: string;
  /**
   * Sum of `monthlySaving` over the open recommendations, exact decimal string: `items`
   * plus `notVisible`.
   */
  totalMonthlySaving: Money;
  /** Open recommendations of entities hidden from the caller: how many and their saving. */
  notVisible?: { count: number; monthlySaving: Money };
  /** Open recommendations, largest saving first. */
  items: Recommendation[];
  /** Dismissed and snoozed recommendations; they do not count in the total. */
  dismissed: Recommendation[];
  /** Resources that could not be judged, and why. */
  skipped?: RecommendationSkip[];
  /** When the recommendations were computed, ISO 8601 UTC. */
  computedAt?: string;
  /**
   * The on-demand prices the tips are priced with: each price source's last successful refresh
   * and, when its last attempt failed, why (its previous prices are then used).
   */
  prices?: RecommendationPriceStatus[];
}

/**
 * The state of one price source's prices.
 * @public
 */
export interface RecommendationPriceStatus {
  /** The price source id, e.g. `prices-file` or `aws-price-list`. */
  source: string;
  /** The last successful refresh, ISO 8601 UTC; absent when none has succeeded. */
  refreshedAt?: string;
  /** The last attempt, ISO 8601 UTC. */
  attemptedAt: string;
  /** Why the last attempt failed; absent when it succeeded. */
  error?: string;
}

/**
 * Body of a dismiss, snooze or reopen call.
 * @public
 */
export interface RecommendationStateInput {
  /** `dismissed` sets the recommendation aside, `snoozed` until `until`, `open` brings it back. */
  state: RecommendationState;
  /** Why; required to dismiss or snooze (at most 500 characters). */
  reason?: string;
  /** The day a snoozed recommendation comes back, `YYYY-MM-DD` (UTC), after today. */
  until?: string;
}
