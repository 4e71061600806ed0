/** Faults the fake answers with instead of the operation, in BigQuery's error shape. */
export type FakeBigQueryFaultKind =
  /** 403 rateLimitExceeded, BigQuery's answer to too many API requests (retried by the client). */
  | 'throttle'
  /** 429 rateLimitExceeded (RESOURCE_EXHAUSTED). */
  | 'too-many-requests'
  /** 403 accessDenied: no bigquery.jobs.create in the project. */
  | 'deny'
  /** 500 backendError. */
  | 'server-error';

export type FakeBigQueryOperation =
  | 'tables.get'
  | 'jobs.insert'
  | 'jobs.get'
  | 'jobs.getQueryResults'
  | 'jobs.cancel';

export interface FakeBigQueryOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Tables by `project.dataset.table`: a directory of Parquet files, optionally in
   * `billing_period=YYYY-MM/` directories (one partition each).
   */
  tables?: Record<string, string>;
  /** How long a job stays PENDING then RUNNING, ms; default 0. */
  delayMs?: number;
  /** The location jobs run in; default US. */
  location?: string;
}

export interface FakeBigQueryJob {
  id: string;
  query: string;
  state: 'PENDING' | 'RUNNING' | 'DONE';
  /** The ErrorProto reason of a failed job. */
  error?: string;
  bytesProcessed: number;
  bytesBilled: number;
  maximumBytesBilled?: number;
}

export interface FakeBigQuery {
  /** http://host:port, the client's apiEndpoint. */
  url: string;
  port: number;
  /** The next `times` (default 1) calls of `operation` (default any) fail with `kind`. */
  injectFault(fault: {
    kind: FakeBigQueryFaultKind;
    operation?: FakeBigQueryOperation;
    times?: number;
  }): void;
  /** Requests per operation since the start or the last reset, faults included. */
  requestCounts(): Partial<Record<FakeBigQueryOperation, number>>;
  /** Jobs inserted (dry runs are not kept), in order. */
  jobs(): FakeBigQueryJob[];
  /** Forgets jobs, faults and counts. */
  reset(): void;
  close(): Promise<void>;
}

export function startFakeBigQuery(
  options?: FakeBigQueryOptions,
): Promise<FakeBigQuery>;

/** BigQuery's bytes billed for `bytes` read from `tables` tables. */
export function billedBytes(read: { bytes: number; tables: number }): number;

/** GoogleSQL's backtick-quoted names as DuckDB's double-quoted ones. */
export function toDuckSql(sql: string): string;

export const PARTITION_KEY: 'billing_period';
