import { setImmediate } from 'node:timers/promises';
import { Knex } from 'knex';
import { JsonObject } from '@backstage/types';
import { FACT_COLUMNS, factValues } from './factColumns';
import { AllocationKeyRow, CostFact } from './types';
import {
  betterSqliteConnectionOf,
  flushBeforeCommit,
  insertFactsBetterSqlite,
} from './sqliteFactWriter';
import { isSqlite } from './isSqlite';
import { DayRange, factDays, markDaysChanged } from './changedDays';

const INSERT_CHUNK = 500;

/** The first and last usage day of the facts that went through `of`. */
class DaysSeen {
  range: DayRange | undefined;

  *of(facts: Iterable<CostFact>): IterableIterator<CostFact> {
    for (const fact of facts) {
      const day = fact.usageDate;
      if (!this.range) this.range = { first: day, last: day };
      else if (day < this.range.first) this.range.first = day;
      else if (day > this.range.last) this.range.last = day;
      yield fact;
    }
  }
}

/**
 * Replaces the facts `where` selects with these, and records the days of both as changed (the
 * rollups of those days are rebuilt); answers the facts written.
 */
async function replaceFacts(
  tx: Knex.Transaction,
  sourceId: string,
  where: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
  facts: Iterable<CostFact>,
): Promise<number> {
  const before = await factDays(tx, where);
  const deleted = await deleteFacts(tx, where);
  const seen = new DaysSeen();
  const count = await insertFacts(tx, sourceId, seen.of(facts), deleted > 0);
  await markDaysChanged(tx, before, seen.range);
  return count;
}

/** Writes cost facts, their allocation keys and the state a source keeps between runs. */
export class FactStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Records the allocation keys of a run once, before its periods are written. Keys are
   * shared by all facts and never deleted, so adding them outside a period's transaction
   * loses nothing when a later step fails. One transaction, because on SQLite every commit
   * syncs the disk while the event loop waits.
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
              unused_commitment: key.unusedCommitment,
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
    const written = await this.knex.transaction(tx =>
      replaceFacts(
        tx,
        sourceId,
        q => q.where({ source_id: sourceId, billing_period: billingPeriod }),
        facts,
      ),
    );
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
      const count = await replaceFacts(
        tx,
        sourceId,
        q =>
          q
            .where({ source_id: sourceId })
            .where('usage_date', '>=', range.from)
            .where('usage_date', '<', range.to),
        facts,
      );
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
}

/** Facts deleted between two yields to the event loop (better-sqlite3 is synchronous). */
const SQLITE_DELETE_SLICE = 5_000;

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
