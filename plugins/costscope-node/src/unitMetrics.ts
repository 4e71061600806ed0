import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/**
 * A catalog entity as a unit metric source sees it: its ref and its annotations (a source
 * reads what it needs from them, such as `costscope.io/unit-metric`).
 * @public
 */
export interface UnitMetricEntity {
  /** Lower-case full ref, `kind:namespace/name`. */
  entityRef: string;
  annotations: Record<string, string>;
}

/**
 * One day's value of a business metric of an entity, as a source read it.
 * @public
 */
export interface UnitMetricSample {
  entityRef: string;
  /** A metric name from `costscope.unitCost.metrics`. */
  metric: string;
  /** UTC day, `YYYY-MM-DD`. */
  date: string;
  /**
   * A non-negative decimal, plain or scientific notation as monitoring systems write floats
   * (`"4210"`, `"4.21e3"`); Costscope rounds it half to even to 9 fractional digits.
   */
  value: string;
}

/** What a unit metric source is asked for. @public */
export interface UnitMetricReadRequest {
  /** Entities of the catalog (components, systems, groups, ...), with their annotations. */
  entities: UnitMetricEntity[];
  /** The configured metric names; samples of other names are dropped. */
  metrics: string[];
  /** First and last UTC day to read, inclusive; `to` is the last complete day. */
  from: string;
  to: string;
  logger: LoggerService;
  signal?: AbortSignal;
}

/**
 * Pulls daily business metric values (orders, streams) from a monitoring system, for unit
 * cost. Each run's samples replace the stored values of their entity, metric and day.
 * @public
 */
export interface UnitMetricSource {
  /** Stable id, recorded as the source of the values it stores. */
  id: string;
  /** When it runs; default every 6 hours. */
  schedule?: SchedulerServiceTaskScheduleDefinition;
  read(request: UnitMetricReadRequest): Promise<UnitMetricSample[]>;
}
