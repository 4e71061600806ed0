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
 * - `commitment`: steady on-demand usage that a Savings Plan (or reservation) would cover.
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
  | 'commitment';

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
}

/**
 * The Savings Plan that a `commitment` recommendation suggests.
 * @public
 */
export interface CommitmentSuggestion {
  /** Hourly commitment to buy, in the billing currency (the discounted rate of the uncovered usage). */
  hourlyCommitment: Money;
  /** Share of the resource's usage a commitment covers today, in percent (0 when unknown). */
  coveragePercent: number;
  /** Whether `coveragePercent` comes from billing data (`true`) or is assumed 0 (`false`). */
  coverageKnown: boolean;
  /** Discount against on-demand assumed for the plan, in percent. */
  discountPercent: number;
  /** Length of the commitment in months (12 or 36). */
  termMonths: number;
  /** Share of the commitment paid upfront, in percent (0 no upfront, 100 all upfront). */
  upfrontPercent: number;
  /** Amount paid at purchase, in the billing currency. */
  upfrontPayment: Money;
  /**
   * The month (1 = the first month after purchase) by which the purchase has paid for itself:
   * cumulative on-demand cost avoided reaches what was paid for the plan.
   */
  breakEvenMonth: number;
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
   * Stable id, `<kind>:<resourceId>`: the same recommendation keeps its id from one computation to
   * the next.
   */
  id: string;
  kind: RecommendationKind;
  /** The provider, e.g. `AWS`. */
  provider: string;
  /** The id billing lines use for the resource (i-..., vol-..., eipalloc-..., snap-...). */
  resourceId: string;
  /** Its name (the `Name` tag), when it has one. */
  resourceName?: string;
  /** The inventory kind: `instance`, `volume`, `address`, `snapshot`. */
  resourceKind: string;
  /** Account (AWS), subscription (Azure) or project (GCP). */
  accountId: string;
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
  /** The suggested commitment, for `commitment` recommendations. */
  commitment?: CommitmentSuggestion;
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
