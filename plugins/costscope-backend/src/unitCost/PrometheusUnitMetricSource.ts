import {
  MONEY_SCALE,
  nanosToMoney,
  parseDecimal,
  UNIT_METRIC_ANNOTATION,
} from '@costscope/backstage-plugin-common';
import {
  UnitMetricReadRequest,
  UnitMetricSample,
  UnitMetricSource,
} from '@costscope/backstage-plugin-node';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';

const DAY_SECONDS = 86_400;

export interface PrometheusSourceConfig {
  /** Base URL of a Prometheus-compatible query API (Prometheus, Thanos, Mimir, VictoriaMetrics). */
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/**
 * Reads `costscope.io/unit-metric`: `<metric>=<PromQL>` when the part before the first `=` is
 * a configured metric name (PromQL cannot start with `name=`), else the whole value is the
 * query of the first configured metric. Undefined for an empty query or no metric.
 */
export function parseUnitMetricAnnotation(
  value: string,
  metrics: string[],
): { metric: string; query: string } | undefined {
  const named = /^\s*([a-z][a-z0-9_.-]{0,62})\s*=(?!=)(.*)$/s.exec(value);
  if (named && metrics.includes(named[1])) {
    const query = named[2].trim();
    return query ? { metric: named[1], query } : undefined;
  }
  const query = value.trim();
  return query && metrics.length > 0
    ? { metric: metrics[0], query }
    : undefined;
}

/** Epoch seconds of the start of a UTC day. */
function epochOf(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

interface MatrixAnswer {
  status?: string;
  error?: string;
  data?: {
    resultType?: string;
    result?: Array<{ values?: Array<[number, string]> }>;
  };
}

/**
 * Unit metric values from a Prometheus-compatible HTTP API: one range query per annotated
 * entity, evaluated at the end of each UTC day (00:00 of the next) with a one-day step, so
 * that `increase(x[1d])` is that day's count. Several series are summed exactly; NaN,
 * infinite and negative points (counter resets gone wrong) are left out.
 */
export class PrometheusUnitMetricSource implements UnitMetricSource {
  readonly id = 'prometheus';
  readonly schedule: SchedulerServiceTaskScheduleDefinition;

  constructor(
    private readonly config: PrometheusSourceConfig,
    private readonly fetchFn: typeof fetch = globalThis.fetch,
  ) {
    this.schedule = config.schedule;
  }

  async read(request: UnitMetricReadRequest): Promise<UnitMetricSample[]> {
    const samples: UnitMetricSample[] = [];
    for (const entity of request.entities) {
      const annotation = entity.annotations[UNIT_METRIC_ANNOTATION];
      if (!annotation) continue;
      const parsed = parseUnitMetricAnnotation(annotation, request.metrics);
      if (!parsed) {
        request.logger.warn(
          `Costscope ignores ${UNIT_METRIC_ANNOTATION} of ${entity.entityRef}: no query or no configured metric`,
        );
        continue;
      }
      try {
        const byDay = await this.query(parsed.query, request);
        for (const [date, nanos] of byDay) {
          samples.push({
            entityRef: entity.entityRef,
            metric: parsed.metric,
            date,
            value: nanosToMoney(nanos),
          });
        }
      } catch (error) {
        // One broken query must not keep the other entities' values out.
        request.logger.warn(
          `Costscope could not read ${parsed.metric} of ${
            entity.entityRef
          } from Prometheus: ${(error as Error).message}`,
        );
      }
    }
    return samples;
  }

  /** The query's value at the end of each day of the range, summed over series, in nano-units. */
  private async query(
    query: string,
    request: UnitMetricReadRequest,
  ): Promise<Map<string, bigint>> {
    const params = new URLSearchParams({
      query,
      start: String(epochOf(request.from) + DAY_SECONDS),
      end: String(epochOf(request.to) + DAY_SECONDS),
      step: String(DAY_SECONDS),
    });
    const url = `${this.config.url.replace(/\/+$/, '')}/api/v1/query_range`;
    const response = await this.fetchFn(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...this.config.headers,
      },
      body: params.toString(),
      signal: request.signal ?? AbortSignal.timeout(this.config.timeoutMs),
    });
    const answer = (await response.json().catch(() => ({}))) as MatrixAnswer;
    if (!response.ok || answer.status !== 'success') {
      throw new Error(
        `HTTP ${response.status}${answer.error ? `: ${answer.error}` : ''}`,
      );
    }
    if (answer.data?.resultType !== 'matrix') {
      throw new Error(
        `expected a matrix answer, got ${answer.data?.resultType ?? 'none'}`,
      );
    }
    const byDay = new Map<string, bigint>();
    for (const series of answer.data.result ?? []) {
      for (const [time, text] of series.values ?? []) {
        const nanos = parseDecimal(String(text), MONEY_SCALE);
        if (nanos === undefined || nanos < 0n) continue;
        const date = new Date((Number(time) - DAY_SECONDS) * 1000)
          .toISOString()
          .slice(0, 10);
        byDay.set(date, (byDay.get(date) ?? 0n) + nanos);
      }
    }
    return byDay;
  }
}
