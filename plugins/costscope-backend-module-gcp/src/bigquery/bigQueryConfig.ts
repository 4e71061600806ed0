import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { TABLE_NAME } from './focusQuery';

/** How the client authenticates. */
export type BigQueryCredentials =
  /** Application default credentials: GOOGLE_APPLICATION_CREDENTIALS, gcloud, the metadata server. */
  | { type: 'applicationDefault' }
  /** A service account key file. */
  | { type: 'keyFile'; keyFile: string }
  /** No credentials, a fixed bearer token: only with `apiEndpoint` (emulators, tests). */
  | { type: 'none' };

/** `costscope.gcp.bigquery`: the daily aggregation of a FOCUS view or table, pushed into BigQuery. */
export interface BigQueryCostConfig {
  /** The project the query jobs run (and are billed) in. */
  projectId: string;
  /** `project.dataset.table`: Google's FOCUS view, or a table with its columns. */
  table: string;
  /**
   * `project.dataset.table` whose INFORMATION_SCHEMA.PARTITIONS tells whether a billing period
   * changed; default `table`. A view has no partitions: every period is queried each run.
   */
  partitionsOf: string;
  /** Query a closed billing period again only when its partitions changed; default true. */
  incremental: boolean;
  format: 'focus';
  /** The location the jobs run in (the dataset's), e.g. US, EU, europe-west1. */
  location?: string;
  credentials: BigQueryCredentials;
  /** The REST endpoint (`http://host:port`) instead of Google's, for emulators and tests. */
  apiEndpoint?: string;
  /** Billing periods read: the current one and the months before it. */
  months: number;
  /**
   * Most bytes one query may process: a period whose dry run reports more is refused, and
   * the job is sent with it as maximumBytesBilled. Undefined for no limit.
   */
  maxBytesBilled?: number;
  /** BigQuery's on-demand price per TiB, USD, a decimal string. */
  pricePerTibUsd: string;
  /** Rows per getQueryResults page. */
  pageRows: number;
  poll: { initialMs: number; maxMs: number };
  /** A job still running after this is cancelled and fails the run (also sent as jobTimeoutMs). */
  queryTimeoutMs: number;
  /** Attempts of a call BigQuery answers 403 rateLimitExceeded (the client retries 429 and 5xx). */
  rateLimitRetry: { maxAttempts: number; baseDelayMs: number };
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 12 },
  timeout: { minutes: 60 },
  initialDelay: { minutes: 1 },
};

function fail(key: string, problem: string): never {
  throw new Error(
    `Invalid Costscope Google Cloud config at 'costscope.gcp.bigquery.${key}': ${problem}`,
  );
}

function whole(config: Config, key: string, fallback: number, max: number) {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max)
    fail(key, `must be a whole number from 1 to ${max}, got ${value}`);
  return value;
}

function tableName(config: Config, key: string, fallback?: string) {
  const value = config.getOptionalString(key) ?? fallback;
  if (value === undefined) fail(key, 'is required (project.dataset.table)');
  if (!TABLE_NAME.test(value))
    fail(key, `'${value}' is not a project.dataset.table name`);
  return value;
}

/** Reads `costscope.gcp.bigquery`; undefined when absent. */
export function readBigQueryConfig(
  root: Config,
): BigQueryCostConfig | undefined {
  const config = root.getOptionalConfig('costscope.gcp.bigquery');
  if (!config) return undefined;
  const table = tableName(config, 'table');
  const projectId =
    config.getOptionalString('projectId') ?? TABLE_NAME.exec(table)![1];
  if (!PROJECT.test(projectId))
    fail('projectId', `'${projectId}' is not a project id`);
  const format = config.getOptionalString('format') ?? 'focus';
  if (format !== 'focus')
    fail('format', `only 'focus' is read, got '${format}'`);
  const apiEndpoint = config.getOptionalString('apiEndpoint');
  if (apiEndpoint !== undefined && !/^https?:\/\/[^/]+\/?$/.test(apiEndpoint))
    fail('apiEndpoint', `'${apiEndpoint}' is not an http(s)://host:port URL`);
  let credentials: BigQueryCredentials = { type: 'applicationDefault' };
  if (config.has('credentials')) {
    const raw = config.getOptional('credentials');
    if (raw === 'applicationDefault')
      credentials = { type: 'applicationDefault' };
    else if (raw === 'none') credentials = { type: 'none' };
    else {
      const keyFile = config.getOptionalString('credentials.keyFile');
      if (!keyFile)
        fail(
          'credentials',
          "must be 'applicationDefault', 'none' or { keyFile: PATH }",
        );
      credentials = { type: 'keyFile', keyFile };
    }
  }
  if (credentials.type === 'none' && !apiEndpoint)
    fail('credentials', "'none' is for an apiEndpoint (an emulator) only");
  const location = config.getOptionalString('location');
  if (location !== undefined && !/^[A-Za-z][A-Za-z0-9-]{1,40}$/.test(location))
    fail('location', `'${location}' is not a BigQuery location`);
  const cap = config.getOptionalNumber('maxBytesBilled');
  if (cap !== undefined && !(Number.isSafeInteger(cap) && cap > 0))
    fail('maxBytesBilled', `must be a positive whole number, got ${cap}`);
  const price = String(config.getOptional('pricePerTibUsd') ?? '6.25');
  if (!/^\d+(\.\d{1,9})?$/.test(price))
    fail('pricePerTibUsd', `'${price}' is not a USD amount`);
  const initialMs = config.getOptionalNumber('poll.initialMs') ?? 500;
  const maxMs = config.getOptionalNumber('poll.maxMs') ?? 5000;
  if (!(initialMs > 0 && maxMs >= initialMs))
    fail('poll', 'needs 0 < initialMs <= maxMs');
  return {
    projectId,
    table,
    partitionsOf: tableName(config, 'partitionsOf', table),
    incremental: config.getOptionalBoolean('incremental') ?? true,
    format: 'focus',
    location,
    credentials,
    apiEndpoint: apiEndpoint?.replace(/\/$/, ''),
    months: whole(config, 'months', 3, 36),
    maxBytesBilled: cap,
    pricePerTibUsd: price,
    pageRows: whole(config, 'pageRows', 10000, 100000),
    poll: { initialMs, maxMs },
    queryTimeoutMs: whole(config, 'queryTimeoutMs', 15 * 60_000, 6 * 3600_000),
    rateLimitRetry: {
      maxAttempts: whole(config, 'rateLimitRetry.maxAttempts', 5, 20),
      baseDelayMs: whole(config, 'rateLimitRetry.baseDelayMs', 1000, 60_000),
    },
    schedule: config.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
  };
}
