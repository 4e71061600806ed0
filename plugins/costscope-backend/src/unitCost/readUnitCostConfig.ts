import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { UnitMetricInfo } from '@costscope/backstage-plugin-common';
import { PrometheusSourceConfig } from './PrometheusUnitMetricSource';
import { UNIT_METRIC_SOURCE_SCHEDULE } from './UnitMetricSourceRunner';

/** Where unit metrics come from besides `POST /v1/metrics`: a CSV file, re-read on a schedule. */
export interface UnitMetricFileConfig {
  path: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

export interface UnitCostConfig {
  /** The configured metrics, in config order (the first with values is the default). */
  metrics: UnitMetricInfo[];
  /** Most day-values one `POST /v1/metrics` may carry. */
  maxDaysPerRequest: number;
  file?: UnitMetricFileConfig;
  /** A Prometheus-compatible API that `costscope.io/unit-metric` queries are sent to. */
  prometheus?: PrometheusSourceConfig;
}

/** Metric names: what a script can type and a URL can carry without escaping. */
export const METRIC_NAME = /^[a-z][a-z0-9_.-]{0,62}$/;

const DEFAULT_MAX_DAYS = 400;
/** A request of this many values stays under the route's body limit (256 kB). */
const MAX_MAX_DAYS = 5000;

const DEFAULT_FILE_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 1 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 20 },
};

/**
 * Reads `costscope.unitCost`: the business metrics entities may report, the request limit of
 * `POST /v1/metrics` and the optional file source. Throws an error naming the bad key, which
 * stops the backend at start.
 */
export function readUnitCostConfig(root: Config): UnitCostConfig {
  const where = 'costscope.unitCost';
  const config = root.getOptionalConfig(where);
  const names = new Set<string>();
  const metrics = (config?.getOptionalConfigArray('metrics') ?? []).map(
    (metric, index): UnitMetricInfo => {
      const at = `${where}.metrics[${index}]`;
      const name = metric.getString('name');
      if (!METRIC_NAME.test(name)) {
        throw new Error(
          `${at}.name '${name}' must start with a lower-case letter and hold only a-z, 0-9, '_', '.' and '-' (at most 63)`,
        );
      }
      if (names.has(name)) {
        throw new Error(`${at}.name '${name}' is used by another metric`);
      }
      names.add(name);
      const unit = metric.getString('unit').trim();
      if (!unit) throw new Error(`${at}.unit must not be empty`);
      const description = metric.getOptionalString('description');
      return { name, unit, ...(description ? { description } : {}) };
    },
  );
  const maxDaysPerRequest =
    config?.getOptionalNumber('maxDaysPerRequest') ?? DEFAULT_MAX_DAYS;
  if (
    !Number.isInteger(maxDaysPerRequest) ||
    maxDaysPerRequest < 1 ||
    maxDaysPerRequest > MAX_MAX_DAYS
  ) {
    throw new Error(
      `${where}.maxDaysPerRequest must be an integer from 1 to ${MAX_MAX_DAYS}, got ${maxDaysPerRequest}`,
    );
  }
  let file: UnitMetricFileConfig | undefined;
  const path = config?.getOptionalString('file');
  if (path !== undefined) {
    if (!path.trim()) throw new Error(`${where}.file must name a file`);
    if (metrics.length === 0) {
      throw new Error(
        `${where}.file is set but ${where}.metrics is empty: name the metrics the file holds`,
      );
    }
    file = {
      path,
      schedule: config!.has('fileSchedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            config!.getConfig('fileSchedule'),
          )
        : DEFAULT_FILE_SCHEDULE,
    };
  }
  let prometheus: PrometheusSourceConfig | undefined;
  const prom = config?.getOptionalConfig('prometheus');
  if (prom) {
    const url = prom.getString('url');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`${where}.prometheus.url '${url}' is not a URL`);
    }
    if (!['http:', 'https:'].includes(parsed.protocol)) {
      throw new Error(
        `${where}.prometheus.url must be http or https, got ${parsed.protocol}`,
      );
    }
    if (metrics.length === 0) {
      throw new Error(
        `${where}.prometheus is set but ${where}.metrics is empty: name the metrics its queries count`,
      );
    }
    const headers: Record<string, string> = {};
    const headerConfig = prom.getOptionalConfig('headers');
    for (const key of headerConfig?.keys() ?? []) {
      headers[key] = headerConfig!.getString(key);
    }
    const timeoutMs = prom.getOptionalNumber('timeoutMs') ?? 30_000;
    if (!(timeoutMs >= 100 && timeoutMs <= 600_000)) {
      throw new Error(
        `${where}.prometheus.timeoutMs must be from 100 to 600000, got ${timeoutMs}`,
      );
    }
    prometheus = {
      url,
      headers,
      timeoutMs,
      schedule: prom.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            prom.getConfig('schedule'),
          )
        : UNIT_METRIC_SOURCE_SCHEDULE,
    };
  }
  return {
    metrics,
    maxDaysPerRequest,
    ...(file ? { file } : {}),
    ...(prometheus ? { prometheus } : {}),
  };
}
