import { setImmediate } from 'node:timers/promises';
import { Knex } from 'knex';
import {
  IngestRejection,
  IngestRun,
  moneyToNanos,
  nanosToMoney,
} from '@costscope/backstage-plugin-common';
import { JsonObject } from '@backstage/types';
import { FACT_COLUMNS, factValues } from './factColumns';
import { AllocationKeyRow, CostFact } from './types';
import {
  betterSqliteConnectionOf,
  flushBeforeCommit,
  insertFactsBetterSqlite,
} from './sqliteFactWriter';

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
   * loses nothing when a later step fails. One transaction: on SQLite every commit syncs
   * the disk while the event loop waits (one per chunk of keys stalled it up to 230 ms).
   */
  async addAllocationKeys(keys: AllocationKeyRow[]): Promise<void> {
    if (keys.length === 0) return;
    await this.knex.transaction(async tx => {
      for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
        await tx('costscope_alloc_keys')
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
      await flushBeforeCommit(tx);
    });
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

/** Facts deleted between two yields to the event loop (better-sqlite3 is synchronous). */
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
 * Inserts facts as they are produced and returns how many. SQLite: prepared statements on
 * the transaction's connection, in slices with the event loop served in between
 * (`sqliteFactWriter.ts`). PostgreSQL: multi-row inserts, which are asynchronous anyway.
 */
async function insertFacts(
  tx: Knex.Transaction,
  sourceId: string,
  facts: Iterable<CostFact>,
  replacing: boolean,
): Promise<number> {
  const sqlite = await betterSqliteConnectionOf(tx);
  if (sqlite) {
    return await insertFactsBetterSqlite(sqlite, sourceId, facts, replacing);
  }
  let written = 0;
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
