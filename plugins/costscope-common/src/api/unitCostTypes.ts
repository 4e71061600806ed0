import type { CostBasis, DateRange, Money } from './types';

/**
 * A business metric's value on one UTC day: a non-negative decimal string with at most 9
 * fractional digits (`"1250"`, `"0.5"`), or a JSON number that is a safe integer. Decimals
 * travel as strings so that no float rounds them on the way.
 * @public
 */
export interface UnitMetricValue {
  date: string;
  value: string | number;
}

/** The daily values of one metric of one entity. @public */
export interface UnitMetricSeriesInput {
  /** A full entity ref, `kind:namespace/name` (namespace `default` when left out). */
  entityRef: string;
  /** A metric name from `costscope.unitCost.metrics`. */
  metric: string;
  values: UnitMetricValue[];
}

/** The body of `POST /v1/metrics`. @public */
export interface UnitMetricsInput {
  metrics: UnitMetricSeriesInput[];
}

/** The answer of `POST /v1/metrics`: how many day-values were stored (inserted or replaced). @public */
export interface UnitMetricsWriteResult {
  stored: number;
}

/** A configured business metric. @public */
export interface UnitMetricInfo {
  name: string;
  /** What one unit is, singular: `order`. */
  unit: string;
  description?: string;
}

/** How unit cost points are grouped: per UTC day, or per calendar month. @public */
export type UnitCostGranularity = 'day' | 'month';

/**
 * A decimal quantity of units, written like money: digits and 9 fractional digits.
 * @public
 */
export type Quantity = string;

/** Cost, units and their ratio over a period. @public */
export interface UnitCostAmounts {
  cost: Money;
  units: Quantity;
  /** `cost / units` rounded half to even to 9 fractional digits; null without units. */
  unitCost: Money | null;
}

/** One period of the unit cost series: `YYYY-MM-DD` or `YYYY-MM`. @public */
export interface UnitCostPoint extends UnitCostAmounts {
  period: string;
}

/** The query of an entity's unit cost. @public */
export interface UnitCostQuery extends DateRange {
  /** Default: the first configured metric the entity has values of. */
  metric?: string;
  costBasis?: CostBasis;
  /** Default `day`. */
  granularity?: UnitCostGranularity;
}

/** An entity's cost per unit of a business metric over a range. @public */
export interface EntityUnitCost extends DateRange {
  entityRef: string;
  /** The metric counted; null when no metric is configured. */
  metric: string | null;
  unit: string | null;
  /** Whether the entity, or an entity below it, has any value of the metric, in any range. */
  hasValues: boolean;
  /**
   * Whose units and cost are counted. False: the entity's own (it reports the metric, or
   * nothing below it does). True: the entity (a group or system, say) reports none itself,
   * so the units are summed over the entities below it that report the metric, and the cost
   * is those entities' cost, not the whole entity's.
   */
  rolledUp: boolean;
  /** How many entities' units and cost are counted (0 without values). */
  reportingEntities: number;
  /** Every configured metric, for a picker or the empty state. */
  metrics: UnitMetricInfo[];
  currency: string;
  costBasis: CostBasis;
  granularity: UnitCostGranularity;
  points: UnitCostPoint[];
  total: UnitCostAmounts;
  /** The previous range of equal length, ending the day before `from`. */
  previous: DateRange & UnitCostAmounts;
  /** `total.unitCost - previous.unitCost`; null when either is null. */
  change: Money | null;
  /** The change relative to the previous unit cost, null when it is null or zero. */
  changeRatio: number | null;
}
