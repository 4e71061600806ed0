import { BigQueryCostConfig } from '../bigquery/bigQueryConfig';
import { BigQueryCostSource } from '../bigquery/BigQueryCostSource';
import { createBigQueryClient } from '../bigquery/client';

/**
 * The config of a BigQuery cost source over the fake BigQuery at `apiEndpoint`, reading the
 * FOCUS table `table` (`project.dataset.table`), polling and retrying fast.
 */
export function bigQueryConfigForFake(
  apiEndpoint: string,
  table: string,
  config: Partial<BigQueryCostConfig> = {},
): BigQueryCostConfig {
  return {
    projectId: 'acme-billing',
    table,
    partitionsOf: table,
    incremental: true,
    format: 'focus',
    location: 'US',
    credentials: { type: 'none' },
    apiEndpoint,
    months: 2,
    pricePerTibUsd: '6.25',
    pageRows: 100,
    poll: { initialMs: 5, maxMs: 20 },
    queryTimeoutMs: 60_000,
    rateLimitRetry: { maxAttempts: 4, baseDelayMs: 5 },
    schedule: { frequency: { hours: 12 }, timeout: { minutes: 30 } },
    ...config,
  };
}

/** A BigQuery cost source with that config, whose backoffs sleep at most 5 ms. */
export function bigQuerySourceForFake(
  config: BigQueryCostConfig,
  now: () => Date,
): BigQueryCostSource {
  return new BigQueryCostSource(
    config,
    createBigQueryClient(config, { maxRetryDelay: 0.02 }),
    now,
    ms => new Promise(resolve => setTimeout(resolve, Math.min(ms, 5))),
  );
}
