import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { SQL_NAME } from './focusQuery';

/**
 * `costscope.aws.athena`: the daily aggregation of a FOCUS or CUR 2.0 table, pushed into
 * Athena.
 */
export interface AthenaCostConfig {
  database: string;
  table: string;
  workgroup: string;
  /** Where Athena writes the query results, `s3://bucket/prefix/`. */
  outputLocation: string;
  region: string;
  roleArn?: string;
  externalId?: string;
  /** The table's export: FOCUS (1.0 to 1.3), or CUR 2.0 (AWS Data Exports, Parquet). */
  format: AthenaTableFormat;
  /** The table's partition column holding the billing period (`YYYY-MM`). */
  partitionColumn: string;
  /**
   * The table's data, `s3://bucket/prefix/`, with one `<partitionColumn>=YYYY-MM/` folder per
   * billing period (any case): listed to query a closed period again only when it changed.
   */
  dataLocation?: { bucket: string; prefix: string };
  /** Billing periods read: the current one and the months before it. */
  months: number;
  /** Most bytes one run may scan; undefined for no limit. */
  scanBudgetBytes?: number;
  /** Athena's price per TB scanned, USD, a decimal string. */
  pricePerTbUsd: string;
  poll: { initialMs: number; maxMs: number };
  /** A query still running after this is stopped and fails the run. */
  queryTimeoutMs: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/** The exports the Athena source reads. */
export type AthenaTableFormat = 'focus' | 'cur2';
const FORMATS: readonly AthenaTableFormat[] = ['focus', 'cur2'];

const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 12 },
  timeout: { minutes: 60 },
  initialDelay: { minutes: 1 },
};

function fail(key: string, problem: string): never {
  throw new Error(
    `Invalid Costscope AWS config at 'costscope.aws.athena.${key}': ${problem}`,
  );
}

function s3Url(config: Config, key: string) {
  const value = config.getOptionalString(key);
  if (value === undefined) return undefined;
  const m = S3_URL.exec(value);
  if (!m) fail(key, `'${value}' is not an s3://bucket/prefix URL`);
  const prefix = (m[2] ?? '/').slice(1);
  return {
    url: value,
    bucket: m[1],
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
  };
}

function whole(config: Config, key: string, fallback: number, max: number) {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max)
    fail(key, `must be a whole number from 1 to ${max}, got ${value}`);
  return value;
}

/** Reads `costscope.aws.athena`; undefined when absent. */
export function readAthenaConfig(
  aws: Config,
  defaultRegion: string,
): AthenaCostConfig | undefined {
  const config = aws.getOptionalConfig('athena');
  if (!config) return undefined;
  const name = (key: string, fallback?: string) => {
    const value = config.getOptionalString(key) ?? fallback;
    if (value === undefined) fail(key, 'is required');
    if (!SQL_NAME.test(value))
      fail(key, `'${value}' is not a plain name (letters, digits, _)`);
    return value;
  };
  const format = config.getOptionalString('format') ?? 'focus';
  if (!FORMATS.includes(format as AthenaTableFormat))
    fail(
      'format',
      `'${format}' is not one of ${FORMATS.map(f => `'${f}'`).join(', ')}`,
    );
  const output = s3Url(config, 'outputLocation');
  if (!output) fail('outputLocation', 'is required (s3://bucket/prefix/)');
  const region = config.getOptionalString('region') ?? defaultRegion;
  if (!REGION.test(region)) fail('region', `'${region}' is not an AWS region`);
  const roleArn = config.getOptionalString('roleArn');
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn))
    fail('roleArn', `'${roleArn}' is not an IAM role ARN`);
  const workgroup = config.getOptionalString('workgroup') ?? 'primary';
  if (!/^[a-zA-Z0-9._-]{1,128}$/.test(workgroup))
    fail('workgroup', `'${workgroup}' is not a workgroup name`);
  const budget = config.getOptionalNumber('scanBudgetBytes');
  if (budget !== undefined && !(Number.isSafeInteger(budget) && budget > 0))
    fail('scanBudgetBytes', `must be a positive whole number, got ${budget}`);
  const price = String(config.getOptional('pricePerTbUsd') ?? '5');
  if (!/^\d+(\.\d{1,9})?$/.test(price))
    fail('pricePerTbUsd', `'${price}' is not a USD amount`);
  const data = s3Url(config, 'dataLocation');
  const initialMs = config.getOptionalNumber('poll.initialMs') ?? 500;
  const maxMs = config.getOptionalNumber('poll.maxMs') ?? 5000;
  if (!(initialMs > 0 && maxMs >= initialMs))
    fail('poll', 'needs 0 < initialMs <= maxMs');
  return {
    database: name('database'),
    table: name('table'),
    workgroup,
    outputLocation: output.url,
    region,
    roleArn,
    externalId: config.getOptionalString('externalId'),
    format: format as AthenaTableFormat,
    partitionColumn: name('partitionColumn', 'billing_period'),
    dataLocation: data && { bucket: data.bucket, prefix: data.prefix },
    months: whole(config, 'months', 3, 36),
    scanBudgetBytes: budget,
    pricePerTbUsd: price,
    poll: { initialMs, maxMs },
    queryTimeoutMs: whole(config, 'queryTimeoutMs', 15 * 60_000, 6 * 3600_000),
    schedule: config.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
  };
}
