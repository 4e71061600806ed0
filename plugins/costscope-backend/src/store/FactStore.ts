import fs from 'node:fs';
import { setImmediate } from 'node:timers/promises';
import { Knex } from 'knex';
import {
  IngestRejection,
  IngestRun,
  moneyToNanos,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { JsonObject } from '@backstage/types';
import { AllocationKeyRow, CostFact } from '../ingest/DailyAggregator';

const INSERT_CHUNK = 500;

/** How often a run in progress records that it is alive. */
const HEARTBEAT_MS = 30_000;
/** A run without a heartbeat for this long belonged to a backend that stopped during it. */
const ABANDONED_AFTER_MS = 5 * 60_000;

export interface FactStoreOptions {
  /** Defaults to 30 seconds. */
  heartbeatMs?: number;
  /** Defaults to 5 minutes; keep it several heartbeats long. */
  abandonedAfterMs?: number;
}

/** Writes cost facts and ingest-run records. */
export class FactStore {
  private readonly heartbeats = new Map<string, NodeJS.Timeout>();
  private readonly heartbeatMs: number;
  private readonly abandonedAfterMs: number;

  constructor(private readonly knex: Knex, options: FactStoreOptions = {}) {
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.abandonedAfterMs = options.abandonedAfterMs ?? ABANDONED_AFTER_MS;
  }

  /**
   * Records the allocation keys of a run once, before its periods are written. Keys are
   * shared by all facts and never deleted, so adding them outside a period's transaction
   * loses nothing when a later step fails.
   */
  async addAllocationKeys(keys: AllocationKeyRow[]): Promise<void> {
    for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
      await this.knex('costscope_alloc_keys')
        .insert(
          keys.slice(i, i + INSERT_CHUNK).map(key => ({
            alloc_key: key.allocKey,
            provider: key.provider,
            sub_account_id: key.subAccountId,
            tags: key.tags,
          })),
        )
        .onConflict('alloc_key')
        .ignore();
      await setImmediate();
    }
  }

  /**
   * Replaces one (source, billing period) in a single transaction: readers see the old facts
   * or the new ones, never a mix, and a failure leaves the old ones.
   */
  async replaceBillingPeriod(
    sourceId: string,
    billingPeriod: string,
    facts: Iterable<CostFact>,
  ): Promise<number> {
    const written = await this.knex.transaction(async tx => {
      const deleted = await deleteFacts(tx, q =>
        q.where({ source_id: sourceId, billing_period: billingPeriod }),
      );
      return await insertFacts(tx, sourceId, facts, deleted > 0);
    });
    // On SQLite the commit blocked the event loop: let it breathe before going on.
    await setImmediate();
    return written;
  }

  /**
   * Replaces the facts of one source on the days `[from, to)` and stores the source's state,
   * in a single transaction, for sources that re-read only the days that can still change.
   */
  async replaceDays(
    sourceId: string,
    range: { from: string; to: string },
    facts: Iterable<CostFact>,
    state: JsonObject | undefined,
  ): Promise<number> {
    const written = await this.knex.transaction(async tx => {
      const deleted = await deleteFacts(tx, q =>
        q
          .where({ source_id: sourceId })
          .where('usage_date', '>=', range.from)
          .where('usage_date', '<', range.to),
      );
      const count = await insertFacts(tx, sourceId, facts, deleted > 0);
      if (state) await writeSourceState(tx, sourceId, state);
      return count;
    });
    await setImmediate();
    return written;
  }

  async readSourceState(sourceId: string): Promise<JsonObject | undefined> {
    const row = await this.knex('costscope_source_state')
      .where({ source_id: sourceId })
      .first();
    return row ? JSON.parse(row.state) : undefined;
  }

  async writeSourceState(sourceId: string, state: JsonObject): Promise<void> {
    await writeSourceState(this.knex, sourceId, state);
  }

  /**
   * Records a run as running and keeps its heartbeat until `finishRun`. Runs that stopped
   * beating are closed as abandoned first: their backend was killed during them.
   */
  async startRun(
    run: Pick<IngestRun, 'id' | 'sourceId' | 'kind' | 'trigger' | 'startedAt'>,
  ) {
    await this.closeAbandonedRuns();
    await this.knex('costscope_ingest_runs').insert({
      id: run.id,
      source_id: run.sourceId,
      kind: run.kind,
      trigger: run.trigger,
      status: 'running',
      started_at: run.startedAt,
      heartbeat_at: run.startedAt,
    });
    const timer = setInterval(() => {
      this.knex('costscope_ingest_runs')
        .where({ id: run.id, status: 'running' })
        .update({ heartbeat_at: new Date().toISOString() })
        // A missed beat is harmless: the run is only called abandoned after several.
        .catch(() => {});
    }, this.heartbeatMs);
    timer.unref();
    this.heartbeats.set(run.id, timer);
  }

  /**
   * Marks runs whose heartbeat stopped as failed, ending at their last heartbeat. Called when
   * a run starts and when runs are listed, so a run cut off by a kill does not stay running.
   */
  async closeAbandonedRuns(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - this.abandonedAfterMs).toISOString();
    const stale = await this.knex('costscope_ingest_runs')
      .where({ status: 'running' })
      .where(q =>
        q
          .where('heartbeat_at', '<', cutoff)
          .orWhere(q2 =>
            q2.whereNull('heartbeat_at').where('started_at', '<', cutoff),
          ),
      )
      .select('id', 'started_at', 'heartbeat_at');
    for (const row of stale) {
      const lastSeen: string = row.heartbeat_at ?? row.started_at;
      await this.knex('costscope_ingest_runs')
        .where({ id: row.id, status: 'running' })
        .update({
          status: 'failed',
          finished_at: lastSeen,
          duration_ms: Date.parse(lastSeen) - Date.parse(row.started_at),
          error: `Abandoned: no heartbeat since ${lastSeen}; the backend stopped during the run. Its data was not changed.`,
        });
    }
    return stale.length;
  }

  async finishRun(run: IngestRun): Promise<void> {
    clearInterval(this.heartbeats.get(run.id));
    this.heartbeats.delete(run.id);
    await this.knex('costscope_ingest_runs')
      .where({ id: run.id })
      .update({
        status: run.status,
        finished_at: run.finishedAt ?? null,
        duration_ms: run.durationMs ?? null,
        files_read: run.filesRead,
        rows_read: run.rowsRead,
        rows_rejected: run.rowsRejected,
        facts_written: run.factsWritten,
        billing_periods: JSON.stringify(run.billingPeriods),
        days_replaced: run.daysReplaced
          ? JSON.stringify(run.daysReplaced)
          : null,
        rejections: JSON.stringify(run.rejections),
        api_calls: JSON.stringify(run.apiCalls),
        api_cost_nanos: moneyToNanos(run.apiCostUsd).toString(),
        error: run.error ?? null,
      });
  }

  async listRuns(limit: number): Promise<IngestRun[]> {
    await this.closeAbandonedRuns();
    const rows = await this.knex('costscope_ingest_runs')
      .select(
        '*',
        this.knex.raw('CAST(api_cost_nanos AS TEXT) AS api_cost_text'),
      )
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(row => ({
      id: row.id,
      sourceId: row.source_id,
      kind: row.kind,
      trigger: row.trigger,
      status: row.status,
      startedAt: row.started_at,
      finishedAt: row.finished_at ?? undefined,
      durationMs: row.duration_ms ?? undefined,
      filesRead: Number(row.files_read),
      rowsRead: Number(row.rows_read),
      rowsRejected: Number(row.rows_rejected),
      factsWritten: Number(row.facts_written),
      billingPeriods: JSON.parse(row.billing_periods),
      daysReplaced: row.days_replaced
        ? JSON.parse(row.days_replaced)
        : undefined,
      rejections: JSON.parse(row.rejections) as IngestRejection[],
      apiCalls: JSON.parse(row.api_calls),
      apiCostUsd: nanosToMoney(BigInt(row.api_cost_text)),
      error: row.error ?? undefined,
    }));
  }
}

const FACT_COLUMNS = [
  'source_id',
  'billing_period',
  'usage_date',
  'provider',
  'billing_account_id',
  'sub_account_id',
  'region',
  'service_name',
  'service_category',
  'resource_id',
  'resource_name',
  'resource_type',
  'charge_category',
  'currency',
  'alloc_key',
  'billed_nanos',
  'effective_nanos',
  'line_count',
] as const;

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** A fact that does not fit BIGINT fails the run: storing it would wrap or lose precision. */
function checkStorable(fact: CostFact): void {
  if (
    fact.billedNanos > MAX_BIGINT ||
    fact.billedNanos < -MAX_BIGINT ||
    fact.effectiveNanos > MAX_BIGINT ||
    fact.effectiveNanos < -MAX_BIGINT
  ) {
    throw new Error(
      `the daily cost of ${fact.resourceId || fact.serviceName} on ${
        fact.usageDate
      } is beyond the storable range`,
    );
  }
}

/** A fact as the row values of FACT_COLUMNS. */
function factValues(sourceId: string, fact: CostFact) {
  checkStorable(fact);
  return [
    sourceId,
    fact.billingPeriod,
    fact.usageDate,
    fact.provider,
    fact.billingAccountId,
    fact.subAccountId,
    fact.region,
    fact.serviceName,
    fact.serviceCategory ?? null,
    fact.resourceId,
    fact.resourceName ?? null,
    fact.resourceType ?? null,
    fact.chargeCategory,
    fact.currency,
    fact.allocKey,
    // Strings, not BigInt: both drivers store them exactly in a BIGINT column.
    fact.billedNanos.toString(),
    fact.effectiveNanos.toString(),
    fact.lineCount,
  ];
}

/**
 * A fact as the row values of FACT_COLUMNS but the first (the source id), written into
 * `row` from `at` (no array per fact). Amounts are BigInts: better-sqlite3 binds them as
 * 64-bit integers, exactly, and SQLite stores them without converting a text.
 */
function sqliteRow(row: unknown[], at: number, fact: CostFact) {
  checkStorable(fact);
  row[at] = fact.billingPeriod;
  row[at + 1] = fact.usageDate;
  row[at + 2] = fact.provider;
  row[at + 3] = fact.billingAccountId;
  row[at + 4] = fact.subAccountId;
  row[at + 5] = fact.region;
  row[at + 6] = fact.serviceName;
  row[at + 7] = fact.serviceCategory ?? null;
  row[at + 8] = fact.resourceId;
  row[at + 9] = fact.resourceName ?? null;
  row[at + 10] = fact.resourceType ?? null;
  row[at + 11] = fact.chargeCategory;
  row[at + 12] = fact.currency;
  row[at + 13] = fact.allocKey;
  row[at + 14] = fact.billedNanos;
  row[at + 15] = fact.effectiveNanos;
  row[at + 16] = fact.lineCount;
}

/** SQLite work done between two yields to the event loop (better-sqlite3 is synchronous). */
const SQLITE_ROWS_PER_SLICE = 1_000;
const SQLITE_DELETE_SLICE = 5_000;

function isSqlite(knex: Knex | Knex.Transaction): boolean {
  const client = knex.client.config.client;
  return (
    client === 'better-sqlite3' || client === 'sqlite3' || client === 'sqlite'
  );
}

/**
 * Deletes the facts `where` selects. On SQLite in slices, with the event loop served in
 * between, so that replacing a large period does not stall the backend.
 */
async function deleteFacts(
  tx: Knex.Transaction,
  where: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<number> {
  if (!isSqlite(tx)) {
    return await where(tx('costscope_cost_facts')).delete();
  }
  let total = 0;
  for (;;) {
    const deleted = await tx('costscope_cost_facts')
      .whereIn(
        'id',
        where(tx('costscope_cost_facts').select('id')).limit(
          SQLITE_DELETE_SLICE,
        ),
      )
      .delete();
    total += deleted;
    if (deleted < SQLITE_DELETE_SLICE) return total;
    await setImmediate();
  }
}

/**
 * Inserts facts as they are produced and returns how many. SQLite: one prepared statement
 * on the transaction's connection, in slices with the event loop served in between.
 * PostgreSQL: multi-row inserts, which are asynchronous anyway.
 */
async function insertFacts(
  tx: Knex.Transaction,
  sourceId: string,
  facts: Iterable<CostFact>,
  replacing: boolean,
): Promise<number> {
  let written = 0;
  if (tx.client.config.client === 'better-sqlite3') {
    return await insertFactsBetterSqlite(
      await tx.client.acquireConnection(),
      sourceId,
      facts,
      replacing,
    );
  }
  let rows: Array<Record<string, unknown>> = [];
  const flush = async () => {
    if (rows.length === 0) return;
    await tx('costscope_cost_facts').insert(rows);
    written += rows.length;
    rows = [];
  };
  for (const fact of facts) {
    const values = factValues(sourceId, fact);
    rows.push(
      Object.fromEntries(FACT_COLUMNS.map((column, i) => [column, values[i]])),
    );
    if (rows.length === INSERT_CHUNK) await flush();
  }
  await flush();
  return written;
}

/** The part of a better-sqlite3 connection the fast insert path uses. */
interface BetterSqliteConnection {
  prepare(sql: string): {
    run(values: unknown[], named: Record<string, unknown>): unknown;
  };
  pragma(source: string, options?: { simple: boolean }): unknown;
  /** The database file; empty or `:memory:` for in-memory databases. */
  readonly name: string;
  readonly memory: boolean;
}

/** SQLite page cache while facts are inserted, in pages (the default is about 500). */
const SQLITE_INGEST_CACHE_PAGES = 256;
/** Rows per INSERT statement on SQLite: fewer statement executions, same SQL each time. */
const SQLITE_ROWS_PER_STATEMENT = 25;

/**
 * The SQLite insert path: prepared statements on the transaction's own connection, the
 * event loop served every thousand rows (better-sqlite3 is synchronous), and at the end
 * what SQLite has written so far flushed to disk from libuv's thread pool, so that the
 * commit (whose fsync blocks the event loop) has little left to flush. Flushing while
 * inserting was tried: writes then wait for the disk and the loop stalls more, not less.
 */
async function insertFactsBetterSqlite(
  connection: BetterSqliteConnection,
  sourceId: string,
  facts: Iterable<CostFact>,
  replacing: boolean,
): Promise<number> {
  const flusher = backgroundFlusher(connection);
  if (replacing) {
    // Rows were deleted: every page spilled from the cache now needs the journal synced
    // first, so a small cache would mean many blocking syncs. Keep the cache as it is.
    return await insertRows(connection, sourceId, facts, flusher);
  }
  // Into a fresh period, a small page cache leaves little for the commit to write and
  // flush (measured: the commit of 120,000 facts blocks ~10 ms instead of ~110 ms), at no
  // cost in throughput.
  const cacheSize = connection.pragma('cache_size', { simple: true });
  connection.pragma(`cache_size = ${SQLITE_INGEST_CACHE_PAGES}`);
  try {
    return await insertRows(connection, sourceId, facts, flusher);
  } finally {
    connection.pragma(`cache_size = ${Number(cacheSize)}`);
  }
}

async function insertRows(
  connection: BetterSqliteConnection,
  sourceId: string,
  facts: Iterable<CostFact>,
  flusher: ReturnType<typeof backgroundFlusher>,
): Promise<number> {
  // The source id, the same in every row, is bound once per statement (@source): a value
  // less to convert and bind per row, about a tenth of the insert time.
  const columns = FACT_COLUMNS.length - 1;
  const tuple = `(@source, ${FACT_COLUMNS.slice(1)
    .map(() => '?')
    .join(', ')})`;
  const named = { source: sourceId };
  // OR FAIL: a multi-row INSERT that could fail after its first row otherwise keeps a
  // statement journal (a temporary file) to undo its own rows, and writes every page it
  // touches there: 1.3 million writes for 356,700 facts, half the insert time. A failing
  // statement then keeps its earlier rows, but the error rolls the transaction back anyway.
  const insert = `INSERT OR FAIL INTO costscope_cost_facts (${FACT_COLUMNS.join(
    ', ',
  )}) VALUES `;
  const many = connection.prepare(
    insert + Array(SQLITE_ROWS_PER_STATEMENT).fill(tuple).join(', '),
  );
  const one = connection.prepare(insert + tuple);
  const batch: unknown[] = new Array(SQLITE_ROWS_PER_STATEMENT * columns);
  let inBatch = 0;
  let written = 0;
  // Producing the first fact may sort the whole period: serve the event loop after it.
  const iterator = facts[Symbol.iterator]();
  let next = iterator.next();
  await setImmediate();
  for (; !next.done; next = iterator.next()) {
    sqliteRow(batch, inBatch * columns, next.value);
    inBatch += 1;
    written += 1;
    if (inBatch === SQLITE_ROWS_PER_STATEMENT) {
      many.run(batch, named);
      inBatch = 0;
    }
    if (written % SQLITE_ROWS_PER_SLICE === 0) await setImmediate();
  }
  for (let row = 0; row < inBatch; row += 1) {
    one.run(batch.slice(row * columns, (row + 1) * columns), named);
  }
  await flusher?.flush();
  return written;
}

/** Open descriptors of SQLite files, for flushing; never closed (see below). */
const flushDescriptors = new Map<string, Promise<number | undefined>>();

/**
 * Flushes a SQLite database file to disk from libuv's thread pool while the event loop goes
 * on. Its descriptor stays open for the life of the process: closing any descriptor of a
 * file drops every POSIX lock the process holds on it, SQLite's included (SQLite locks the
 * database file only, not its journal).
 */
function backgroundFlusher(connection: BetterSqliteConnection) {
  if (connection.memory || !connection.name || connection.name === ':memory:') {
    return undefined;
  }
  const file = connection.name;
  let descriptor = flushDescriptors.get(file);
  if (!descriptor) {
    descriptor = new Promise(resolve =>
      fs.open(file, 'r', (error, fd) => resolve(error ? undefined : fd)),
    );
    flushDescriptors.set(file, descriptor);
  }
  const opened = descriptor;
  const sync = (fd: number) =>
    new Promise<void>(resolve => fs.fsync(fd, () => resolve()));
  return {
    /** Flushes the database file and its rollback journal (SQLite locks neither). */
    async flush() {
      const fd = await opened;
      if (fd !== undefined) await sync(fd);
      // The journal holds no POSIX locks, so a descriptor of it may be closed again.
      const journal = await fs.promises
        .open(`${file}-journal`, 'r')
        .catch(() => undefined);
      if (journal) {
        await journal.sync().catch(() => {});
        await journal.close();
      }
    },
  };
}

async function writeSourceState(
  knex: Knex | Knex.Transaction,
  sourceId: string,
  state: JsonObject,
): Promise<void> {
  await knex('costscope_source_state')
    .insert({ source_id: sourceId, state: JSON.stringify(state) })
    .onConflict('source_id')
    .merge();
}
