/**
 * A money amount as a decimal string at full stored precision (up to 9 fractional digits),
 * e.g. `"1234.567890123"`. Kept as a string so that no JSON parser turns it into a float.
 * @public
 */
export type Money = string;

/** An inclusive range of UTC days, `YYYY-MM-DD`. @public */
export interface DateRange {
  from: string;
  to: string;
}

/**
 * How cost is counted, as FOCUS names the columns:
 * - `billed`: `BilledCost`, cash as invoiced (reconciles to the invoice; a commitment's
 *   purchase counts when it is billed, the usage it covers at zero);
 * - `effective`: `EffectiveCost`, amortized (commitment purchases spread over the usage they
 *   cover): how FinOps teams show cost back to the teams that use it;
 * - `list`: `ListCost`, at the provider's public on-demand prices: what the usage would have
 *   cost without any discount, so list minus effective is what discounts saved.
 * @public
 */
export type CostBasis = 'billed' | 'effective' | 'list';

/** Every cost basis, the default (`effective`) first. @public */
export const COST_BASES: readonly CostBasis[] = ['effective', 'billed', 'list'];

/** A date range, optionally with the cost basis to count it on (the configured one when left out). @public */
export interface CostQuery extends DateRange {
  costBasis?: CostBasis;
}

/**
 * The key of the one line that stands for the parts of a rollup hidden from the caller
 * (entities the catalog or the permission policy does not let them see): their sum, with no
 * names and no split by service, account or region.
 * @public
 */
export const NOT_VISIBLE_KEY = '(not visible to you)';

/** One line of a breakdown (by service, account, region, entity ...). @public */
export interface CostBreakdownItem {
  key: string;
  /** Human-readable label when it differs from the key. */
  label?: string;
  cost: Money;
  /** Share of the breakdown's total, 0..1 (null when the total is zero). */
  share: number | null;
}

/** Which mapping rule brought cost to an entity, and how much. @public */
export interface MappingRuleUsage {
  /** The entity the rule belongs to (a component, or the rolled-up entity itself). */
  entityRef: string;
  /** Where the rule comes from. */
  origin: 'annotation' | 'convention' | 'account' | 'kubernetes' | 'commitment';
  /** The rule as written, e.g. `service=checkout-api` or `aws account 111122223333`. */
  rule: string;
  cost: Money;
}

/** Cost of an entity (rolled up over its children) for a range. @public */
export interface EntityCostSummary extends DateRange {
  entityRef: string;
  currency: string;
  /** The basis every amount is counted on. */
  costBasis: CostBasis;
  total: Money;
  /** The previous range of equal length, ending the day before `from`. */
  previous: DateRange & { total: Money };
  /** `total - previous.total`. */
  change: Money;
  /** Relative change, null when the previous total is zero. */
  changeRatio: number | null;
  byService: CostBreakdownItem[];
  byAccount: CostBreakdownItem[];
  byRegion: CostBreakdownItem[];
  byProvider: CostBreakdownItem[];
  /** By FOCUS ChargeCategory: Usage, Purchase, Tax, Credit, Adjustment. */
  byChargeCategory: CostBreakdownItem[];
  /**
   * For systems, domains and groups: the entities below it, with their rolled-up cost.
   * Every breakdown holds one {@link NOT_VISIBLE_KEY} line when parts are hidden from the caller.
   */
  byEntity: CostBreakdownItem[];
  /** Mapping rules that brought cost to this entity or the entities below it. */
  mappingRules: MappingRuleUsage[];
  /** Overlapping rules resolved by priority for this entity's cost lines. */
  overlaps: AllocationOverlap[];
}

/** A cost line set whose tags matched more than one entity. @public */
export interface AllocationOverlap {
  /** Entity that got the cost. */
  winner: string;
  /** Entities whose rules also matched. */
  others: string[];
  /** The tags of the cost lines, as `key=value` pairs. */
  tags: string;
  cost: Money;
}

/** Daily points for an entity, split by a dimension. @public */
export interface CostSeries extends DateRange {
  entityRef: string;
  currency: string;
  /** The basis every amount is counted on. */
  costBasis: CostBasis;
  groupBy: SeriesGroupBy;
  /** Keys of `values`, largest first. */
  keys: string[];
  points: Array<{ date: string; total: Money; values: Record<string, Money> }>;
}

/**
 * Dimensions a series can be split by; `cluster`, `namespace` and `workload` split the node cost
 * of shared Kubernetes clusters (other cost is one key, `(not Kubernetes)`). @public
 */
export type SeriesGroupBy =
  | 'service'
  | 'account'
  | 'region'
  | 'provider'
  | 'cluster'
  | 'namespace'
  | 'workload';

/** A cloud resource with its cost in a range. @public */
export interface ResourceCost {
  resourceId: string;
  resourceName?: string;
  resourceType?: string;
  provider: string;
  account: string;
  region?: string;
  service: string;
  /** The entity the resource's cost was allocated to directly. */
  entityRef?: string;
  cost: Money;
  share: number | null;
  /**
   * What the resource cost in the currency it was billed in, when that is not the reporting
   * currency (every day of the range converted from this one currency); on the same basis.
   */
  originalCost?: { currency: string; cost: Money };
}

/** Resources of an entity (or of the unallocated pool). @public */
export interface ResourceCostList extends DateRange {
  entityRef: string;
  currency: string;
  /** The basis every amount is counted on. */
  costBasis: CostBasis;
  total: Money;
  resources: ResourceCost[];
  /** Cost of the resources of entities hidden from the caller (absent when none are). */
  notVisible?: Money;
}

/** Organisation-wide totals. @public */
export interface CostOverview extends DateRange {
  currency: string;
  /** The basis every amount is counted on. */
  costBasis: CostBasis;
  total: Money;
  allocated: Money;
  unallocated: Money;
  /** allocated / total, null when the total is zero. */
  allocatedShare: number | null;
  unallocatedByService: CostBreakdownItem[];
  topUnallocatedResources: ResourceCost[];
  /** Top-level groups and their rolled-up cost. */
  byGroup: CostBreakdownItem[];
  /** The whole bill by FOCUS ChargeCategory: Usage, Purchase, Tax, Credit, Adjustment. */
  byChargeCategory: CostBreakdownItem[];
  /** Last day with cost data, if any. */
  dataThrough?: string;
}

/** One rejected input row. @public */
export interface IngestRejection {
  file: string;
  line: number;
  reason: string;
}

/** One input (file, object or page) of a run: read, or skipped and why. @public */
export interface IngestInput {
  name: string;
  status: 'read' | 'skipped';
  /** Why a skipped input was not read, e.g. `unchanged`. */
  reason?: string;
  /** For FOCUS files, the FOCUS version their columns looked like. */
  focusVersion?: string;
  /** For a query run in a query engine (Athena), the bytes it scanned and was billed for. */
  bytesScanned?: number;
}

/** A recorded ingestion run. @public */
export interface IngestRun {
  id: string;
  sourceId: string;
  /**
   * `cost` for cost sources, `inventory` for inventory sources, `kubernetes` for reads of a
   * cluster's OpenCost, `commitments` for a provider's commitment reports.
   */
  kind: 'cost' | 'inventory' | 'kubernetes' | 'commitments';
  trigger: 'schedule' | 'manual' | 'startup';
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  filesRead: number;
  /** Inputs not read because nothing changed since the last successful run, or not complete yet. */
  filesSkipped: number;
  /** The first inputs (capped) the run read or skipped, in order. */
  inputs: IngestInput[];
  rowsRead: number;
  rowsRejected: number;
  factsWritten: number;
  billingPeriods: string[];
  /** For sources that re-read recent days only: the days `[from, to)` this run replaced. */
  daysReplaced?: { from: string; to: string };
  /** Calls to cloud APIs per operation, e.g. `ce:GetCostAndUsage`. */
  apiCalls: Record<string, number>;
  /** What those calls cost, in USD (Cost Explorer charges per request). */
  apiCostUsd: string;
  /** The first rejections (capped), with line numbers and reasons. */
  rejections: IngestRejection[];
  error?: string;
}
