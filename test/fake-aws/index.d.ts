import type { InventoryResource } from '../../plugins/costscope-node/src/inventory';

/** Which fake service a fault applies to. */
export type FakeAwsService =
  | 'ce'
  | 'ec2'
  | 'cloudwatch'
  | 'sts'
  | 's3'
  | 'pricing'
  | 'athena';

/**
 * throttle: the service's throttling error (CE LimitExceededException 400, EC2
 * RequestLimitExceeded 503, CloudWatch Throttling 400, STS Throttling 400, S3 SlowDown 503);
 * server-error: a 500 in the service's format; slow: the normal answer after `delayMs`;
 * malformed: a 200 with a truncated body; deny: the service's access-denied error (403, S3
 * AccessDenied), naming the IAM action of the operation called; truncate-body: the normal answer's headers and Content-Length, half its body,
 * then the connection is cut (an S3 download broken midway).
 */
export type FakeAwsFaultKind =
  | 'throttle'
  | 'server-error'
  | 'slow'
  | 'malformed'
  | 'deny'
  | 'truncate-body';

export interface FakeAwsFault {
  service: FakeAwsService;
  /** e.g. 'GetCostAndUsage', 'DescribeInstances', 'GetObject'; every operation when absent. */
  operation?: string;
  /** Only requests as this account; every account when absent. */
  accountId?: string;
  kind: FakeAwsFaultKind;
  /** How many requests it hits; default 1, Infinity = until reset(). */
  times?: number;
  /** For `slow`; default 3000. */
  delayMs?: number;
}

export interface FakeAwsOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Directory of focus-YYYY-MM.csv.gz files; default examples/billing/generated/aws. */
  billingDir?: string;
  /** Cost Explorer: max groups per page, counted across ResultsByTime; default 200. */
  pageSize?: number;
  /** Cost Explorer: the last N days of the data are Estimated; default 3. */
  estimatedDays?: number;
  /** EC2: max items per page (and MaxResults caps it further); default 5. */
  ec2PageSize?: number;
  /** CloudWatch: max datapoints per GetMetricData answer; default 100800. */
  cloudWatchMaxDatapoints?: number;
  /** The inventory's and metrics' "today" (YYYY-MM-DD); default the last day of the billing data. */
  endDate?: string;
  /** S3: max keys per ListObjectsV2 page (MaxKeys caps it further); default 1000. */
  s3PageSize?: number;
  /** S3: buckets to serve, each every file under a directory (read once, at start). */
  s3Buckets?: Record<string, string>;
  /** Price List: max products per GetProducts page (MaxResults caps it further); default 100. */
  pricingPageSize?: number;
  /**
   * Cost Explorer: reserved instances, a documented fixture (the demo bills none). Each entry
   * is one account's reservations in one month; GetReservationCoverage adds its used hours to
   * the EC2 instance hours of the billing data (all on demand otherwise), and
   * GetReservationUtilization answers from these entries only. Amounts are decimal strings.
   */
  reservationMonths?: FakeReservationMonth[];
  /**
   * Athena: tables by `database.table`, each a view over the Parquet files under a directory
   * (hive partitions such as `BILLING_PERIOD=2026-11/`, read at every query).
   */
  athenaTables?: Record<string, string>;
  /** Athena: a query is QUEUED for half of this, RUNNING until it passed; default 200. */
  athenaDelayMs?: number;
}

/** One query the fake Athena was given. */
export interface FakeAthenaExecution {
  id: string;
  query: string;
  database: string;
  workGroup: string;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  /** Its DataScannedInBytes. */
  bytes: number;
}

/** One account's reserved instances in one month (see FakeAwsOptions.reservationMonths). */
export interface FakeReservationMonth {
  /** YYYY-MM */
  month: string;
  accountId: string;
  /** Hours the reservations were bought for in the month. */
  purchasedHours: string;
  /** Of those, hours that running instances used. */
  usedHours: string;
  /** The month's amortized fee (upfront share plus recurring), USD. */
  amortizedFee: string;
  /** What the used hours would have cost on demand, USD. */
  onDemandCostOfUsedHours: string;
}

export interface FakeAwsRequest {
  service: FakeAwsService;
  operation: string;
  accountId: string;
  region: string;
  /**
   * The parsed request: JSON body, or the form's fields (CloudWatch query: nested); S3:
   * { Bucket, Key?, query, headers } (the headers S3 reads; never the object's bytes).
   */
  body: Record<string, unknown>;
}

/** An object as the fake S3 stores it. */
export interface FakeS3Object {
  body: Buffer;
  /** The quoted hex MD5 of the body, as S3 sends it. */
  etag: string;
  size: number;
  /** Whole seconds, like S3. */
  lastModified: Date;
  /** Default binary/octet-stream, like S3. */
  contentType: string;
  /** x-amz-meta-* without the prefix. */
  metadata: Record<string, string>;
}

export interface FakeS3PutOptions {
  /** Default now; cut to whole seconds. */
  lastModified?: Date | string | number;
  contentType?: string;
  metadata?: Record<string, string>;
}

/** The fake S3's buckets, in memory; reset() leaves them alone. */
export interface FakeS3 {
  /** Creates the bucket (no-op if it exists). With `accountId`, other accounts get AccessDenied. */
  createBucket(name: string, options?: { accountId?: string }): void;
  /** true when it existed. */
  deleteBucket(name: string): boolean;
  /** Stores or replaces an object, creating the bucket when needed. */
  putObject(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    options?: FakeS3PutOptions,
  ): { etag: string; size: number; lastModified: Date };
  /** true when it existed. */
  deleteObject(bucket: string, key: string): boolean;
  /** A copy of the stored object; undefined when absent. */
  getObject(bucket: string, key: string): FakeS3Object | undefined;
  /** Every file under `dir` as an object keyed by its path relative to `dir`; returns the count. */
  loadDirectory(bucket: string, dir: string): number;
}

/** One demo AWS resource: costscope-node's InventoryResource without utilisation. */
export type FakeAwsInventoryResource = Omit<InventoryResource, 'utilisation'>;

export interface FakeAws {
  /** http://127.0.0.1:PORT: every SDK client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  /** The day the inventory and the metrics end on (YYYY-MM-DD). */
  readonly endDate: string;
  readonly billingDir: string;
  /** What EC2 and CloudWatch serve, across all accounts and regions. */
  readonly inventory: FakeAwsInventoryResource[];
  injectFault(fault: FakeAwsFault): void;
  /** Requests as this account fail with a 500 and AssumeRole into it is denied, until reset(). */
  markAccountDead(accountId: string): void;
  /** e.g. { 'ce:GetCostAndUsage': 3, 'sts:AssumeRole': 1 }, faulted requests included. */
  requestCounts(): Record<string, number>;
  requestLog(): FakeAwsRequest[];
  /** Clears faults, dead accounts, counts and the log (not S3's buckets). */
  reset(): void;
  readonly s3: FakeS3;
  readonly athena: { executions(): FakeAthenaExecution[] };
  close(): Promise<void>;
}

export function startFakeAws(options?: FakeAwsOptions): Promise<FakeAws>;

/** Static credentials the fake reads as `accountId` (the payer's are AKIDEXAMPLE). */
export function credentialsFor(accountId: string): {
  accessKeyId: string;
  secretAccessKey: string;
};

/** The AccessKeyId that AssumeRole hands out for a role in `accountId`. */
export function temporaryAccessKeyId(accountId: string): string;

export const DEMO_ACCOUNTS: {
  readonly prod: '111122223333';
  readonly staging: '222233334444';
  readonly ci: '444455556666';
  readonly payer: '999988887777';
};

export const PAYER_ACCOUNT_ID: '999988887777';

/** examples/billing/generated/aws, absolute. */
export const DEFAULT_BILLING_DIR: string;
