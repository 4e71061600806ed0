import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { MONEY_SCALE, parseDecimal } from '@costscope/backstage-plugin-common';
import {
  UnitMetricEntity,
  UnitMetricSample,
  UnitMetricSource,
} from '@costscope/backstage-plugin-node';
import { isCalendarDay } from '../lib/dates';
import { MAX_BIGINT } from '../store/factColumns';
import { UnitMetricRow } from '../store/types';
import { UnitMetricStore } from '../store/UnitMetricStore';

/** Schedule of unit metric sources that bring none. */
export const UNIT_METRIC_SOURCE_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { hours: 6 },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 30 },
  };

/** Days each run reads back, so that late data and corrected days are picked up. */
export const UNIT_METRIC_LOOKBACK_DAYS = 35;

const DAY_MS = 86_400_000;

export interface UnitMetricSourceRunnerOptions {
  sources: UnitMetricSource[];
  /** The configured metric names. */
  metrics: string[];
  store: UnitMetricStore;
  /** Catalog entities with their annotations, read with the plugin's own credentials. */
  loadEntities(): Promise<UnitMetricEntity[]>;
  logger: LoggerService;
}

/**
 * Runs the unit metric sources (modules', and the built-in Prometheus one) on their
 * schedules: each run asks for the last complete days, checks every sample as a pushed value
 * is checked (configured metric, day in the range, non-negative and storable), leaves bad
 * ones out with a warning and stores the rest in one transaction.
 */
export class UnitMetricSourceRunner {
  constructor(private readonly options: UnitMetricSourceRunnerOptions) {
    const ids = new Set<string>();
    for (const source of options.sources) {
      if (ids.has(source.id) || ['api', 'file'].includes(source.id)) {
        throw new Error(
          `Costscope unit metric source id '${source.id}' is used twice or reserved`,
        );
      }
      ids.add(source.id);
    }
  }

  async start(scheduler: SchedulerService): Promise<void> {
    for (const source of this.options.sources) {
      await scheduler.scheduleTask({
        id: `costscope-unit-metrics-${source.id}`,
        ...(source.schedule ?? UNIT_METRIC_SOURCE_SCHEDULE),
        fn: async () => {
          try {
            await this.run(source);
          } catch (error) {
            this.options.logger.error(
              `Costscope unit metric source ${source.id} failed: ${
                (error as Error).message
              }`,
            );
          }
        },
      });
    }
  }

  /** Runs one source now; returns how many values it stored. */
  async run(source: UnitMetricSource, now: Date = new Date()): Promise<number> {
    const { logger, metrics, store } = this.options;
    const today = Date.UTC(
      now.getUTCFullYear(),
      now.getUTCMonth(),
      now.getUTCDate(),
    );
    const iso = (time: number) => new Date(time).toISOString().slice(0, 10);
    const to = iso(today - DAY_MS); // today is not complete yet
    const from = iso(today - UNIT_METRIC_LOOKBACK_DAYS * DAY_MS);
    const samples = await source.read({
      entities: await this.options.loadEntities(),
      metrics,
      from,
      to,
      logger,
    });
    const rows = new Map<string, UnitMetricRow>();
    let refused = 0;
    for (const sample of samples) {
      const row = checked(sample, metrics, from, to);
      if (!row) {
        refused++;
        continue;
      }
      rows.set(JSON.stringify([row.entityRef, row.metric, row.day]), row);
    }
    if (refused > 0) {
      logger.warn(
        `Costscope left out ${refused} of ${samples.length} values of unit metric source ${source.id} (unknown metric, day outside ${from}..${to}, or not a non-negative number)`,
      );
    }
    const stored = await store.upsert([...rows.values()], source.id, now);
    logger.info(
      `Costscope stored ${stored} unit metric values from ${source.id}`,
    );
    return stored;
  }
}

/** The sample as a row, or undefined when it breaks a rule a pushed value must keep. */
function checked(
  sample: UnitMetricSample,
  metrics: string[],
  from: string,
  to: string,
): UnitMetricRow | undefined {
  if (!metrics.includes(sample.metric)) return undefined;
  if (!isCalendarDay(sample.date) || sample.date < from || sample.date > to) {
    return undefined;
  }
  const nanos = parseDecimal(String(sample.value), MONEY_SCALE);
  if (nanos === undefined || nanos < 0n || nanos > MAX_BIGINT) return undefined;
  return {
    entityRef: sample.entityRef.toLocaleLowerCase('en-US'),
    metric: sample.metric,
    day: sample.date,
    valueNanos: nanos,
  };
}
