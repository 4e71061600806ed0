import { createHash } from 'node:crypto';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  CostLine,
  CostSource,
  CostSourceReadContext,
} from '@costscope/backstage-plugin-node';
import type { BigQuery, Job } from '@google-cloud/bigquery';
import { BigQueryCostConfig } from './bigQueryConfig';
import { bigQueryCostUsd } from './bytesCost';
import {
  FOCUS_RESULT_COLUMNS,
  focusDailyQuery,
  focusRowToCostLine,
  partitionsQuery,
  splitExpressions,
  TABLE_NAME,
  TableColumns,
} from './focusQuery';

interface PeriodState {
  /** totalBytesBilled of the period's last query. */
  bytes: number;
  /** Digest of the period's partitions when it was read; absent without partitions. */
  partitions?: string;
}

interface RawRow {
  f: Array<{ v: string | null }>;
}

/** `YYYY-MM` of the UTC month `offset` months before `date`'s. */
function monthBefore(date: Date, offset: number): string {
  const d = new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - offset, 1),
  );
  return d.toISOString().slice(0, 7);
}

/** The reason of a BigQuery API error (its first ErrorProto), if it has one. */
function reasonOf(error: unknown): string | undefined {
  const e = error as { errors?: Array<{ reason?: string }> };
  return e?.errors?.[0]?.reason;
}

/** An error naming what failed, BigQuery's reason and message; the reason is its name. */
function describe(error: unknown, what: string): Error {
  const reason = reasonOf(error);
  const message = (error as Error)?.message ?? String(error);
  const described = new Error(
    `${what}: ${reason ? `${reason}: ` : ''}${message}`,
  );
  if (reason) described.name = reason;
  return described;
}

/**
 * Daily cost from Google's FOCUS view (or a table with its columns) in BigQuery: per billing
 * period one `GROUP BY` job that BigQuery runs, so only the daily facts come back, money as
 * exact BIGNUMERIC text. Each period is dry-run first and refused when it would process more
 * than `maxBytesBilled`; the job itself carries the cap as maximumBytesBilled. A closed period
 * is queried again only when its partitions changed (INFORMATION_SCHEMA.PARTITIONS); the
 * current one always. A failed query fails the run, and the earlier data is kept.
 */
export class BigQueryCostSource implements CostSource {
  readonly id: string;
  readonly description: string;
  readonly schedule: SchedulerServiceTaskScheduleDefinition;

  constructor(
    private readonly config: BigQueryCostConfig,
    private readonly bigquery: BigQuery,
    private readonly now: () => Date = () => new Date(),
    private readonly sleep: (ms: number) => Promise<void> = ms =>
      new Promise(resolve => setTimeout(resolve, ms)),
  ) {
    this.id = `gcp-bigquery-${config.table.replace(/[^A-Za-z0-9-]/g, '-')}`;
    this.description = `Google Cloud BigQuery, FOCUS table ${config.table}`;
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
    context.logger.info(
      `Costscope reads ${config.table} through BigQuery (jobs in ${
        config.projectId
      }), billing periods ${periods[0]} to ${current}${
        config.maxBytesBilled
          ? `, at most ${config.maxBytesBilled} bytes per query`
          : ''
      }; ${
        Object.keys(splitExpressions(columns)).length
          ? "with the bill's own split (FOCUS 1.3 Allocated* columns)"
          : 'the table has no FOCUS 1.3 split columns'
      }`,
    );
    const partitions = config.incremental
      ? await this.partitionDigests(context)
      : undefined;
    const next: Record<string, PeriodState> = {};

    for (const period of periods) {
      const label = `BigQuery ${config.table} ${period}`;
      const before = previous[period];
      const signature = partitions?.(period);
      if (
        period < current &&
        before?.partitions !== undefined &&
        signature !== undefined &&
        before.partitions === signature
      ) {
        context.fileSkipped(label, 'unchanged since the last successful run');
        next[period] = before;
        continue;
      }
      const bytes = yield* this.queryPeriod(context, period, columns);
      context.fileRead(label, { bytesScanned: bytes });
      next[period] = {
        bytes,
        ...(signature !== undefined ? { partitions: signature } : {}),
      };
    }
    context.state.set({ periods: next as unknown as JsonObject });
  }

  /** Calls BigQuery, again after a backoff while it answers 403 rateLimitExceeded. */
  private async call<T>(
    what: string,
    fn: () => Promise<T>,
    onAttempt?: () => void,
  ): Promise<T> {
    const { maxAttempts, baseDelayMs } = this.config.rateLimitRetry;
    for (let attempt = 1; ; attempt++) {
      onAttempt?.();
      try {
        return await fn();
      } catch (error) {
        if (reasonOf(error) === 'rateLimitExceeded' && attempt < maxAttempts) {
          await this.sleep(baseDelayMs * 2 ** (attempt - 1));
          continue;
        }
        throw describe(error, what);
      }
    }
  }

  /**
   * The table's (or view's) columns from its schema (tables.get, free), so that the query
   * reads FOCUS 1.3's split columns only from a table that has them.
   */
  private async tableColumns(
    context: CostSourceReadContext,
  ): Promise<TableColumns> {
    const { table } = this.config;
    const [, project, dataset, name] = TABLE_NAME.exec(table)!;
    const [metadata] = await this.call(
      `BigQuery, schema of ${table}`,
      () =>
        this.bigquery
          .dataset(dataset, { projectId: project })
          .table(name)
          .getMetadata(),
      () => context.apiCall('bigquery:tables.get'),
    );
    const fields: Array<{ name?: string; type?: string }> =
      metadata?.schema?.fields ?? [];
    return new Map(
      fields.map(f => [String(f.name).toLowerCase(), String(f.type)]),
    );
  }

  /**
   * Per billing period, a digest of the partitions holding it: `YYYYMM` (monthly) or
   * `YYYYMMDD` (daily) partition ids with their last modification and rows. An unpartitioned
   * table's one partition stands for every period; a view has none (undefined: always read).
   */
  private async partitionDigests(
    context: CostSourceReadContext,
  ): Promise<(period: string) => string | undefined> {
    const { config } = this;
    const what = `BigQuery, partitions of ${config.partitionsOf}`;
    // Metadata only, billed at BigQuery's 10 MB minimum: not held to maxBytesBilled.
    const { job } = await this.runJob(
      context,
      partitionsQuery(config.partitionsOf),
      what,
      undefined,
    );
    const rows: RawRow[] = [];
    let pageToken: string | undefined;
    do {
      const [page, nextQuery] = await this.resultPage(
        context,
        job,
        what,
        pageToken,
      );
      rows.push(...page);
      pageToken = nextQuery?.pageToken;
    } while (pageToken);
    const list = rows.map(r => r.f.map(c => c.v));
    const whole = list.filter(
      ([id]) => id === null || id === '__UNPARTITIONED__',
    );
    const digest = (selected: Array<Array<string | null>>) =>
      createHash('sha256')
        .update(
          selected
            .map(r => r.join(' '))
            .sort()
            .join('\n'),
        )
        .digest('hex');
    return period => {
      if (whole.length) return digest(whole);
      const prefix = period.replace('-', '');
      const of = list.filter(([id]) => id?.startsWith(prefix));
      return of.length ? digest(of) : undefined;
    };
  }

  /**
   * Dry run (refused over `maxBytesBilled`), then the job with maximumBytesBilled, polled with
   * backoff until done; its bytes billed and their price reported.
   */
  private async runJob(
    context: CostSourceReadContext,
    query: string,
    what: string,
    cap: number | undefined,
  ): Promise<{ job: Job; bytesBilled: number }> {
    const { config } = this;
    const [dry] = await this.call(
      `${what} (dry run)`,
      () =>
        this.bigquery.createQueryJob({
          query,
          dryRun: true,
          location: config.location,
        }),
      () => context.apiCall('bigquery:jobs.insert dryRun', '0.000000000'),
    );
    const processed = Number(
      dry.metadata?.statistics?.totalBytesProcessed ?? 0,
    );
    if (cap !== undefined && processed > cap) {
      throw new Error(
        `${what}: the dry run reports ${processed} bytes processed, over maxBytesBilled ` +
          `(${cap} bytes per query); the query was not run and nothing was replaced. ` +
          `Raise costscope.gcp.bigquery.maxBytesBilled or read fewer months.`,
      );
    }
    let bytesBilled = 0;
    let job: Job | undefined;
    try {
      [job] = await this.call(what, () =>
        this.bigquery.createQueryJob({
          query,
          location: config.location,
          jobTimeoutMs: config.queryTimeoutMs,
          labels: { costscope: 'daily-cost' },
          ...(cap !== undefined ? { maximumBytesBilled: String(cap) } : {}),
        }),
      );
      const done = await this.waitFor(context, job, what);
      bytesBilled = Number(done.statistics?.query?.totalBytesBilled ?? 0);
    } finally {
      // The job's price is known once it ended: BigQuery bills the bytes it billed.
      context.apiCall(
        'bigquery:jobs.insert',
        bigQueryCostUsd(bytesBilled, config.pricePerTibUsd),
      );
    }
    return { job: job!, bytesBilled };
  }

  /** Polls jobs.get with backoff until DONE; cancels a job past queryTimeoutMs or aborted. */
  private async waitFor(
    context: CostSourceReadContext,
    job: Job,
    what: string,
  ) {
    const { config } = this;
    const startedAt = Date.now();
    let delay = config.poll.initialMs;
    let metadata = job.metadata;
    for (;;) {
      if (metadata?.status?.state === 'DONE') {
        const error = metadata.status.errorResult;
        if (error)
          throw describe(
            { errors: [error], message: error.message },
            `${what}: job ${job.id} failed`,
          );
        return metadata;
      }
      const late = Date.now() - startedAt > config.queryTimeoutMs;
      if (late || context.signal?.aborted) {
        context.apiCall('bigquery:jobs.cancel');
        await job.cancel().catch(error => {
          context.logger.warn(
            `${what}: cancelling job ${job.id} failed: ${error}`,
          );
        });
        throw new Error(
          `${what}: job ${job.id} cancelled: ${
            late
              ? `still ${metadata?.status?.state} after ${config.queryTimeoutMs} ms (queryTimeoutMs)`
              : 'the run was aborted'
          }`,
        );
      }
      await this.sleep(delay);
      delay = Math.min(delay * 2, config.poll.maxMs);
      [metadata] = await this.call(
        what,
        () => job.getMetadata(),
        () => context.apiCall('bigquery:jobs.get'),
      );
    }
  }

  /** One getQueryResults page, raw: rows as `{ f: [{ v }] }`, every value text or null. */
  private resultPage(
    context: CostSourceReadContext,
    job: Job,
    what: string,
    pageToken: string | undefined,
  ) {
    return this.call(
      what,
      () =>
        job.getQueryResults({
          maxResults: this.config.pageRows,
          pageToken,
          autoPaginate: false,
          skipParsing: true,
        }) as unknown as Promise<
          [
            RawRow[],
            { pageToken?: string } | null,
            { schema?: { fields?: Array<{ name?: string }> } },
          ]
        >,
      () => context.apiCall('bigquery:jobs.getQueryResults'),
    );
  }

  /** One period's query: its job, then the result pages as cost lines; returns bytes billed. */
  private async *queryPeriod(
    context: CostSourceReadContext,
    period: string,
    columns: TableColumns,
  ): AsyncGenerator<CostLine[], number> {
    const { config } = this;
    const what = `BigQuery, ${config.table} billing period ${period}`;
    const { job, bytesBilled } = await this.runJob(
      context,
      focusDailyQuery({ table: config.table, period, columns }),
      what,
      config.maxBytesBilled,
    );
    let pageToken: string | undefined;
    let first = true;
    let offset = 0;
    do {
      const [rows, nextQuery, response] = await this.resultPage(
        context,
        job,
        what,
        pageToken,
      );
      if (first) {
        const names = response?.schema?.fields?.map(f => f.name);
        if (names?.join(',') !== FOCUS_RESULT_COLUMNS.join(',')) {
          throw new Error(
            `${what}: unexpected result columns ${names?.join(', ')}`,
          );
        }
        first = false;
      }
      const lines: CostLine[] = [];
      for (const row of rows) {
        offset += 1;
        const line = focusRowToCostLine(row.f.map(c => c.v));
        if ('rejected' in line) {
          context.reject({
            file: `bigquery:${job.id}`,
            line: offset,
            reason: line.rejected,
          });
        } else lines.push(line);
      }
      if (lines.length) yield lines;
      pageToken = nextQuery?.pageToken;
    } while (pageToken);
    return bytesBilled;
  }
}
