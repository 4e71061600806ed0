import { InputError } from '@backstage/errors';
import {
  CostBasis,
  DateRange,
  EntityUnitCost,
  nanosToMoney,
  UnitCostQuery,
  UnitMetricsWriteResult,
} from '@costscope/backstage-plugin-common';
import { previousRange } from '../lib/dates';
import { changeRatioOf } from '../lib/decimal';
import { SpendQueries } from '../store/SpendQueries';
import { UnitMetricStore } from '../store/UnitMetricStore';
import { parseUnitMetricsInput } from '../unitCost/parseUnitMetrics';
import { UnitCostConfig } from '../unitCost/readUnitCostConfig';
import { unitCostNanos, unitCostSeries } from '../unitCost/unitCost';
import { unknownEntityError } from './access';
import { UnitCostService } from './services';

export interface DefaultUnitCostServiceOptions {
  store: UnitMetricStore;
  /** The entity's allocated daily cost, as budgets and alerts read it. */
  spend: Pick<SpendQueries, 'dailyTotalsOf'>;
  config: UnitCostConfig;
  /** Whether the last allocation's catalog snapshot holds the entity. */
  entityExists(entityRef: string): Promise<boolean>;
  currency(): Promise<string>;
  /** The basis of requests that name none (`costscope.costBasis`). */
  costBasis: CostBasis;
  /** For tests: the current time, which decides the last day a value may be for. */
  now?: () => Date;
}

/** Unit metrics in the database, divided into the allocated rollups' daily cost. */
export class DefaultUnitCostService implements UnitCostService {
  private readonly metricNames: ReadonlySet<string>;

  constructor(private readonly options: DefaultUnitCostServiceOptions) {
    this.metricNames = new Set(options.config.metrics.map(m => m.name));
  }

  async write(body: unknown): Promise<UnitMetricsWriteResult> {
    const now = (this.options.now ?? (() => new Date()))();
    const rows = parseUnitMetricsInput(body, {
      metrics: this.metricNames,
      today: now.toISOString().slice(0, 10),
      maxValues: this.options.config.maxDaysPerRequest,
    });
    // A value for an entity Costscope does not know would never be shown: it is a typo.
    for (const entityRef of new Set(rows.map(row => row.entityRef))) {
      if (!(await this.options.entityExists(entityRef))) {
        throw new InputError(
          `entity ${entityRef} is not known to Costscope (not in the catalog, or not yet allocated); nothing was stored`,
        );
      }
    }
    return { stored: await this.options.store.upsert(rows, 'api', now) };
  }

  async entityUnitCost(
    entityRef: string,
    query: UnitCostQuery,
  ): Promise<EntityUnitCost> {
    const { config, store, spend } = this.options;
    if (query.metric !== undefined && !this.metricNames.has(query.metric)) {
      throw new InputError(
        `metric '${
          query.metric
        }' is not configured (costscope.unitCost.metrics: ${
          [...this.metricNames].join(', ') || 'none'
        })`,
      );
    }
    const [known, currency, reporters] = await Promise.all([
      this.options.entityExists(entityRef),
      this.options.currency(),
      store.reportersBelow(entityRef),
    ]);
    if (!known) throw unknownEntityError(entityRef);
    // Left out: the first configured metric the entity (or one below it) reports, else the
    // first configured.
    const info =
      config.metrics.find(m => m.name === query.metric) ??
      config.metrics.find(m => reporters.has(m.name)) ??
      config.metrics[0];
    const counted = (info && reporters.get(info.name)) || [];
    const rolledUp =
      counted.length > 0 &&
      !counted.includes(entityRef.toLocaleLowerCase('en-US'));
    // Without values the entity's own cost, as before: the card shows what there is to divide.
    const costOf = counted.length > 0 ? counted : [entityRef];
    const costBasis = query.costBasis ?? this.options.costBasis;
    const granularity = query.granularity ?? 'day';
    const range = { from: query.from, to: query.to };
    const previous = previousRange(range.from, range.to);
    const noUnits = async () => new Map<string, bigint>();
    const costs = (r: DateRange) => spend.dailyTotalsOf(costOf, r, costBasis);
    const unitsOf = (r: DateRange) =>
      info && counted.length > 0
        ? store.dailyValuesOf(counted, info.name, r)
        : noUnits();
    const [currentCosts, units, previousCosts, previousUnits] =
      await Promise.all([
        costs(range),
        unitsOf(range),
        costs(previous),
        unitsOf(previous),
      ]);
    const current = unitCostSeries(range, granularity, currentCosts, units);
    const before = unitCostSeries(
      previous,
      'month',
      previousCosts,
      previousUnits,
    );
    const now = unitCostNanos(...current.totals);
    const then = unitCostNanos(...before.totals);
    const comparable = now !== null && then !== null;
    return {
      entityRef,
      metric: info?.name ?? null,
      unit: info?.unit ?? null,
      hasValues: counted.length > 0,
      rolledUp,
      reportingEntities: counted.length,
      metrics: config.metrics,
      currency,
      costBasis,
      granularity,
      from: range.from,
      to: range.to,
      points: current.points,
      total: current.total,
      previous: { ...previous, ...before.total },
      change: comparable ? nanosToMoney(now - then) : null,
      changeRatio: comparable ? changeRatioOf(now, then) : null,
    };
  }
}
