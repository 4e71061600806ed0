import { createHash } from 'node:crypto';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  CostLine,
  CostSource,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import { describeAwsError } from '../awsErrors';
import { AthenaCostConfig } from './athenaConfig';
import {
  FOCUS_RESULT_COLUMNS,
  focusDailyQuery,
  focusRowToCostLine,
  splitExpressions,
  TableColumns,
} from './focusQuery';
import {
  cur2ColumnProblem,
  cur2DailyQuery,
  CUR2_RESULT_COLUMNS,
  cur2RowToCostLine,
  hasCur2Split,
} from './cur2Query';
import { Cur2Splitter } from './cur2Split';
import { athenaScanCostUsd } from './scanCost';

/** S3 bills LIST requests at USD 0.005 per 1,000. */
const S3_LIST_USD = '0.000005';
const PAGE_ROWS = 1000;

interface PeriodState {
  /** DataScannedInBytes of the period's last query. */
  bytes: number;
  /** The partition's files (keys, ETags) when it was read; absent without a data location. */
  files?: string;
}

/** `YYYY-MM` of the UTC month `offset` months before `date`'s. */
function monthBefore(date: Date, offset: number): string {
  const d = new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - offset, 1),
  );
  return d.toISOString().slice(0, 7);
}

/** `x=y` path segments of a key, with the column compared in lower case. */
function partitionValue(key: string, column: string): string | undefined {
  for (const part of key.split('/')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).toLowerCase() === column.toLowerCase())
      return part.slice(eq + 1);
  }
  return undefined;
}

class AthenaQueryError extends Error {}

/**
 * Daily cost from a FOCUS or CUR 2.0 table in Athena: per billing period one `GROUP BY` query that Athena
 * runs, so only the daily facts come back, money as exact DECIMAL text. A closed period is
 * queried again only when its partition's files changed (S3 listing of `dataLocation`); the
 * current one always. A run stops before it would scan more than `scanBudgetBytes`; a failed,
 * cancelled or timed-out query fails the run, and the earlier data is kept.
 */
export class AthenaCostSource implements CostSource {
  readonly id: string;
  readonly description: string;
  readonly schedule: SchedulerServiceTaskScheduleDefinition;

  constructor(
    private readonly config: AthenaCostConfig,
    private readonly clients: { athena: AthenaClient; s3?: S3Client },
    private readonly now: () => Date = () => new Date(),
    private readonly sleep: (ms: number) => Promise<void> = ms =>
      new Promise(resolve => setTimeout(resolve, ms)),
  ) {
    this.id = `aws-athena-${config.database}-${config.table}`;
    this.description = `AWS Athena, ${
      config.format === 'cur2' ? 'CUR 2.0' : 'FOCUS'
    } table ${config.database}.${config.table}`;
    this.schedule = config.schedule;
  }

  async *read(context: CostSourceReadContext): AsyncIterable<CostLine> {
    for await (const batch of this.readBatches(context)) yield* batch;
  }

  async *readBatches(
    context: CostSourceReadContext,
  ): AsyncIterable<CostLine[]> {
    const { config } = this;
    const previous = ((await context.state.get())?.periods ??
      {}) as unknown as Record<string, PeriodState>;
    const today = this.now();
    const current = monthBefore(today, 0);
    const periods = Array.from({ length: config.months }, (_, i) =>
      monthBefore(today, config.months - 1 - i),
    );
    const columns = await this.tableColumns(context);
    const cur2 = config.format === 'cur2';
    const problem = cur2
      ? cur2ColumnProblem(columns, config.partitionColumn)
      : undefined;
    if (problem) {
      throw new Error(
        `Athena, CUR 2.0 table ${config.database}.${config.table}: ${problem}; ` +
          'is it an AWS Data Exports CUR 2.0 table (costscope.aws.athena.format)?',
      );
    }
    let split: string;
    if (cur2) {
      split = hasCur2Split(columns)
        ? "with the bill's own split (CUR 2.0 split cost allocation data)"
        : 'the table has no split cost allocation data';
    } else {
      split = Object.keys(splitExpressions(columns)).length
        ? "with the bill's own split (FOCUS 1.3 Allocated* columns)"
        : 'the table has no FOCUS 1.3 split columns';
    }
    const files = await this.partitionFiles(context);
    const next: Record<string, PeriodState> = {};
    let scanned = 0;
    const budgetNote = config.scanBudgetBytes
      ? `, scan budget ${config.scanBudgetBytes} bytes`
      : '';
    context.logger.info(
      `Costscope reads ${config.database}.${config.table} through Athena, ` +
        `billing periods ${periods[0]} to ${current}${budgetNote}; ${split}`,
    );

    for (const period of periods) {
      const label = `Athena ${config.database}.${config.table} ${period}`;
      const before = previous[period];
      const signature = files?.get(period);
      if (
        period < current &&
        before?.files !== undefined &&
        signature !== undefined &&
        before.files === signature
      ) {
        context.fileSkipped(label, 'unchanged since the last successful run');
        next[period] = before;
        continue;
      }
      const budget = config.scanBudgetBytes;
      if (budget !== undefined && scanned + (before?.bytes ?? 0) > budget) {
        throw new Error(
          `Athena scan budget of ${budget} bytes per run reached before billing period ${period}: ` +
            `this run scanned ${scanned} bytes and the period's last query scanned ${before?.bytes} bytes. ` +
            `Nothing was replaced; raise costscope.aws.athena.scanBudgetBytes or read fewer months.`,
        );
      }
      const result = yield* this.queryPeriod(context, period, scanned, columns);
      scanned += result.bytes;
      context.fileRead(label, { bytesScanned: result.bytes });
      next[period] = {
        bytes: result.bytes,
        ...(signature !== undefined ? { files: signature } : {}),
      };
    }
    context.state.set({ periods: next as unknown as JsonObject });
  }

  /**
   * The table's columns from the catalog (GetTableMetadata, free: no data scanned), so that
   * the query reads FOCUS 1.3's split columns only from a table that has them.
   */
  private async tableColumns(
    context: CostSourceReadContext,
  ): Promise<TableColumns> {
    const { database, table } = this.config;
    context.apiCall('athena:GetTableMetadata');
    const { TableMetadata: metadata } = await this.clients.athena
      .send(
        new GetTableMetadataCommand({
          CatalogName: 'AwsDataCatalog',
          DatabaseName: database,
          TableName: table,
          WorkGroup: this.config.workgroup,
        }),
        { abortSignal: context.signal },
      )
      .catch(error => {
        throw describeAwsError(
          error,
          `Athena, columns of ${database}.${table} (GetTableMetadata)`,
        );
      });
    return new Map(
      [...(metadata?.Columns ?? []), ...(metadata?.PartitionKeys ?? [])].map(
        column => [String(column.Name).toLowerCase(), column.Type ?? ''],
      ),
    );
  }

  /**
   * Per billing period, a digest of the partition's object keys and ETags; undefined without
   * a data location. One listing of the whole data prefix, paged.
   */
  private async partitionFiles(
    context: CostSourceReadContext,
  ): Promise<Map<string, string> | undefined> {
    const { dataLocation, partitionColumn } = this.config;
    const s3 = this.clients.s3;
    if (!dataLocation || !s3) return undefined;
    const byPeriod = new Map<string, string[]>();
    let token: string | undefined;
    do {
      context.apiCall('s3:ListObjectsV2', S3_LIST_USD);
      const page = await s3
        .send(
          new ListObjectsV2Command({
            Bucket: dataLocation.bucket,
            Prefix: dataLocation.prefix,
            ContinuationToken: token,
          }),
          { abortSignal: context.signal },
        )
        .catch(error => {
          throw describeAwsError(
            error,
            `S3 listing of s3://${dataLocation.bucket}/${dataLocation.prefix}`,
          );
        });
      for (const object of page.Contents ?? []) {
        const period =
          object.Key && partitionValue(object.Key, partitionColumn);
        if (!period) continue;
        const list = byPeriod.get(period) ?? [];
        list.push(`${object.Key} ${object.ETag} ${object.Size}`);
        byPeriod.set(period, list);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return new Map(
      [...byPeriod].map(([period, list]) => [
        period,
        createHash('sha256').update(list.sort().join('\n')).digest('hex'),
      ]),
    );
  }

  /** One period's query: start, poll with backoff, then its result pages as cost lines. */
  private async *queryPeriod(
    context: CostSourceReadContext,
    period: string,
    scannedBefore: number,
    columns: TableColumns,
  ): AsyncGenerator<CostLine[], { bytes: number }> {
    const { config } = this;
    const { athena } = this.clients;
    const what = `Athena, ${config.database}.${config.table} billing period ${period}`;
    const call = <T>(promise: Promise<T>) =>
      promise.catch(error => {
        throw describeAwsError(error, what);
      });

    const started = await call(
      athena.send(
        new StartQueryExecutionCommand({
          QueryString: (config.format === 'cur2'
            ? cur2DailyQuery
            : focusDailyQuery)({
            database: config.database,
            table: config.table,
            partitionColumn: config.partitionColumn,
            period,
            columns,
          }),
          QueryExecutionContext: { Database: config.database },
          WorkGroup: config.workgroup,
          ResultConfiguration: { OutputLocation: config.outputLocation },
        }),
        { abortSignal: context.signal },
      ),
    ).catch(error => {
      context.apiCall('athena:StartQueryExecution');
      throw error;
    });
    const id = started.QueryExecutionId!;
    let bytes = 0;
    let billed = true;
    try {
      const execution = await this.waitFor(context, id, scannedBefore, b => {
        bytes = b;
      });
      bytes = execution.Statistics?.DataScannedInBytes ?? bytes;
    } catch (error) {
      billed = !(error instanceof AthenaQueryError);
      throw error;
    } finally {
      // The query's price is known once it ended: Athena bills the data it scanned.
      context.apiCall(
        'athena:StartQueryExecution',
        athenaScanCostUsd(bytes, config.pricePerTbUsd, billed),
      );
    }

    const expected =
      config.format === 'cur2' ? CUR2_RESULT_COLUMNS : FOCUS_RESULT_COLUMNS;
    // A period's pods come first; the splitter holds them until their nodes' lines.
    const splitter = config.format === 'cur2' ? new Cur2Splitter() : undefined;
    let token: string | undefined;
    let first = true;
    do {
      context.apiCall('athena:GetQueryResults');
      const page = await call(
        athena.send(
          new GetQueryResultsCommand({
            QueryExecutionId: id,
            MaxResults: PAGE_ROWS,
            NextToken: token,
          }),
          { abortSignal: context.signal },
        ),
      );
      let rows = page.ResultSet?.Rows ?? [];
      if (first) {
        const header = rows[0]?.Data?.map(d => d.VarCharValue);
        if (header?.join(',') !== expected.join(',')) {
          throw new Error(
            `${what}: unexpected result columns ${header?.join(', ')}`,
          );
        }
        rows = rows.slice(1);
        first = false;
      }
      const lines: CostLine[] = [];
      rows.forEach((row, i) => {
        const values = (row.Data ?? []).map(d => d.VarCharValue);
        const line = splitter
          ? cur2RowToCostLine(values)
          : focusRowToCostLine(values);
        if ('rejected' in line) {
          context.reject({
            file: `athena:${id}`,
            line: i + 1,
            reason: line.rejected,
          });
        } else if (splitter) lines.push(...splitter.add(line));
        else lines.push(line);
      });
      if (!page.NextToken && splitter) lines.push(...splitter.flush());
      if (lines.length) yield lines;
      token = page.NextToken;
    } while (token);
    return { bytes };
  }

  /**
   * Polls until the query ends, with backoff. Stops it (StopQueryExecution) when it would
   * exceed the scan budget, runs past the timeout or the run is aborted.
   */
  private async waitFor(
    context: CostSourceReadContext,
    id: string,
    scannedBefore: number,
    onBytes: (bytes: number) => void,
  ): Promise<QueryExecution> {
    const { config } = this;
    const { athena } = this.clients;
    const what = `Athena, ${config.database}.${config.table}`;
    const startedAt = Date.now();
    let delay = config.poll.initialMs;
    const stop = async (reason: string): Promise<never> => {
      context.apiCall('athena:StopQueryExecution');
      await athena
        .send(new StopQueryExecutionCommand({ QueryExecutionId: id }))
        .catch(error => {
          context.logger.warn(
            `${what}: StopQueryExecution of ${id} failed: ${error}`,
          );
        });
      throw new Error(`${what}: query ${id} stopped: ${reason}`);
    };
    for (;;) {
      await this.sleep(delay);
      delay = Math.min(delay * 2, config.poll.maxMs);
      context.apiCall('athena:GetQueryExecution');
      const { QueryExecution: execution } = await athena
        .send(new GetQueryExecutionCommand({ QueryExecutionId: id }))
        .catch(error => {
          throw describeAwsError(error, what);
        });
      const bytes = execution?.Statistics?.DataScannedInBytes ?? 0;
      onBytes(bytes);
      const status = execution?.Status;
      switch (status?.State) {
        case 'SUCCEEDED':
          return execution!;
        case 'FAILED':
          throw new AthenaQueryError(
            `${what}: query ${id} failed: ${
              status.StateChangeReason ??
              status.AthenaError?.ErrorMessage ??
              'no reason given'
            }`,
          );
        case 'CANCELLED':
          throw new Error(
            `${what}: query ${id} was cancelled${
              status.StateChangeReason ? `: ${status.StateChangeReason}` : ''
            }`,
          );
        default:
      }
      const budget = config.scanBudgetBytes;
      if (budget !== undefined && scannedBefore + bytes > budget) {
        await stop(
          `it scanned ${bytes} bytes, over the scan budget of ${budget} bytes per run ` +
            `(${scannedBefore} scanned before); nothing was replaced`,
        );
      }
      if (Date.now() - startedAt > config.queryTimeoutMs) {
        await stop(
          `still ${status?.State} after ${config.queryTimeoutMs} ms (queryTimeoutMs)`,
        );
      }
      if (context.signal?.aborted) await stop('the run was aborted');
    }
  }
}
