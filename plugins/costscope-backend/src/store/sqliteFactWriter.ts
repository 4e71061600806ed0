import fs from 'node:fs';
import { setImmediate } from 'node:timers/promises';
import { Knex } from 'knex';
import {
  checkStorable,
  FACT_COLUMNS,
  factValues,
  ORIGINAL_AMOUNT_COLUMNS,
} from './factColumns';
import { CostFact } from './types';

/** The part of a better-sqlite3 connection the fast insert path uses. */
export interface BetterSqliteConnection {
  prepare(sql: string): {
    run(...values: unknown[]): unknown;
  };
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple: boolean }): unknown;
  /** The database file; empty or `:memory:` for in-memory databases. */
  readonly name: string;
  readonly memory: boolean;
}

/** The transaction's better-sqlite3 connection; undefined on other databases. */
export async function betterSqliteConnectionOf(
  tx: Knex.Transaction,
): Promise<BetterSqliteConnection | undefined> {
  return tx.client.config.client === 'better-sqlite3'
    ? await tx.client.acquireConnection()
    : undefined;
}

/** SQL parameter placeholders: `?, ?, ?` for 3. */
function placeholders(count: number): string {
  return Array(count).fill('?').join(', ');
}

/**
 * SQLite page cache while facts are inserted into a fresh period, in pages: small, since
 * whatever it holds dirty at the end the commit writes and syncs while the event loop waits.
 */
const SQLITE_INGEST_CACHE_PAGES = 256;
/**
 * SQLite page cache while facts replace others, in pages: larger than for a fresh period,
 * since after deletes a page spilled from the cache may first need the journal synced
 * (also blocking), yet well under better-sqlite3's default of 16 MB for the commit's sake.
 */
const SQLITE_REPLACE_CACHE_PAGES = 1_000;
/** Rows per INSERT statement: fewer statement executions, same SQL each time. */
const ROWS_PER_STATEMENT = 25;
/** Facts written between two yields to the event loop (better-sqlite3 is synchronous). */
const ROWS_PER_SLICE = 1_000;

/** The columns of a fact's own, bound per fact after its group's id. */
const DAY_COLUMNS: readonly string[] = [
  'usage_date',
  'billed_nanos',
  'effective_nanos',
  'list_nanos',
  'line_count',
  ...ORIGINAL_AMOUNT_COLUMNS,
  // A day's split details differ from the group's other days.
  'allocated_method_details',
];

/**
 * The columns a fact shares with the other facts of its group (a resource's line items in
 * one billing period), and their places in a fact's row: written once per group into a
 * temporary table.
 */
const GROUP_COLUMNS = FACT_COLUMNS.filter(
  column => column !== 'source_id' && !DAY_COLUMNS.includes(column),
);
const GROUP_PLACES = GROUP_COLUMNS.map(column => FACT_COLUMNS.indexOf(column));

const GROUPS_TABLE = 'temp.costscope_fact_groups';

/**
 * The SQLite insert path: prepared statements on the transaction's own connection, the
 * event loop served every thousand rows, and at the end what SQLite has written so far
 * flushed to disk from libuv's thread pool, so that the commit (whose fsync blocks the
 * event loop) has little left to flush; not while inserting, where writes would then wait
 * for the disk.
 */
export async function insertFactsBetterSqlite(
  connection: BetterSqliteConnection,
  sourceId: string,
  facts: Iterable<CostFact>,
  replacing: boolean,
): Promise<number> {
  const flusher = backgroundFlusher(connection);
  // A small cache for a short commit: the constants say why, bench/README.md how much.
  const cacheSize = connection.pragma('cache_size', { simple: true });
  connection.pragma(
    `cache_size = ${
      replacing ? SQLITE_REPLACE_CACHE_PAGES : SQLITE_INGEST_CACHE_PAGES
    }`,
  );
  try {
    return await insertRows(connection, sourceId, facts, flusher);
  } finally {
    connection.pragma(`cache_size = ${Number(cacheSize)}`);
  }
}

/** Whether two facts belong to the same group: the same GROUP_COLUMNS values. */
function sameGroup(a: CostFact, b: CostFact): boolean {
  return (
    a.resourceId === b.resourceId &&
    a.allocKey === b.allocKey &&
    a.billingPeriod === b.billingPeriod &&
    a.serviceName === b.serviceName &&
    a.subAccountId === b.subAccountId &&
    a.billingAccountId === b.billingAccountId &&
    a.region === b.region &&
    a.provider === b.provider &&
    a.chargeCategory === b.chargeCategory &&
    a.currency === b.currency &&
    a.serviceCategory === b.serviceCategory &&
    a.resourceName === b.resourceName &&
    a.resourceType === b.resourceType &&
    a.commitmentId === b.commitmentId &&
    a.commitmentStatus === b.commitmentStatus &&
    a.allocatedMethodId === b.allocatedMethodId &&
    a.allocatedResourceId === b.allocatedResourceId &&
    a.allocatedResourceName === b.allocatedResourceName &&
    a.allocatedTags === b.allocatedTags &&
    a.original?.currency === b.original?.currency &&
    a.original?.exchangeRate === b.original?.exchangeRate
  );
}

/**
 * Facts of the same group come one after another (the aggregator yields them by group and
 * day). Each group's dimensions go into a temporary table once, and each fact binds only
 * its group's id, its day and its sums, 9 values instead of 25, so that the repeated texts
 * are not converted to UTF-8 for every row. Facts out of group order are still written
 * right, with a group row each time their group changes.
 */
async function insertRows(
  connection: BetterSqliteConnection,
  sourceId: string,
  facts: Iterable<CostFact>,
  flusher: ReturnType<typeof backgroundFlusher>,
): Promise<number> {
  connection.exec(
    `CREATE TABLE IF NOT EXISTS ${GROUPS_TABLE} (id INTEGER PRIMARY KEY, ${GROUP_COLUMNS.join(
      ', ',
    )})`,
  );
  connection.exec(`DELETE FROM ${GROUPS_TABLE}`);
  const addGroup = connection.prepare(
    `INSERT INTO ${GROUPS_TABLE} (id, ${GROUP_COLUMNS.join(
      ', ',
    )}) VALUES (${placeholders(GROUP_COLUMNS.length + 1)})`,
  );
  // OR FAIL: a multi-row INSERT that could fail after its first row otherwise keeps a
  // statement journal (a temporary file) to undo its own rows, and writes every page it
  // touches there. A failing statement then keeps its earlier rows, but the error rolls the
  // transaction back anyway.
  // CROSS JOIN keeps the VALUES outermost, so rows go in the order they were bound.
  const insertFrom = (rows: number) =>
    connection.prepare(
      `INSERT OR FAIL INTO costscope_cost_facts (source_id, ${GROUP_COLUMNS.join(
        ', ',
      )}, ${DAY_COLUMNS.join(', ')}) SELECT ?, ${GROUP_COLUMNS.map(
        column => `g.${column}`,
      ).join(', ')}, ${DAY_COLUMNS.map((_, i) => `v.column${i + 2}`).join(
        ', ',
      )} FROM (VALUES ${Array(rows)
        .fill(`(${placeholders(DAY_COLUMNS.length + 1)})`)
        .join(
          ', ',
        )}) AS v CROSS JOIN ${GROUPS_TABLE} AS g WHERE g.id = v.column1`,
    );
  const many = insertFrom(ROWS_PER_STATEMENT);
  const width = DAY_COLUMNS.length + 1;
  // The source id, the same in every row, is bound once per statement.
  const batch: unknown[] = new Array(1 + ROWS_PER_STATEMENT * width);
  batch[0] = sourceId;
  let inBatch = 0;
  let written = 0;
  let groupId = 0;
  let previous: CostFact | undefined;
  // Producing the first fact may sort the whole period: serve the event loop after it.
  const iterator = facts[Symbol.iterator]();
  let next = iterator.next();
  await setImmediate();
  for (; !next.done; next = iterator.next()) {
    const fact = next.value;
    checkStorable(fact);
    if (!previous || !sameGroup(previous, fact)) {
      groupId += 1;
      const row = factValues(sourceId, fact);
      addGroup.run(groupId, ...GROUP_PLACES.map(at => row[at]));
      previous = fact;
    }
    const at = 1 + inBatch * width;
    batch[at] = groupId;
    batch[at + 1] = fact.usageDate;
    // BigInts: better-sqlite3 binds them as 64-bit integers, exactly.
    batch[at + 2] = fact.billedNanos;
    batch[at + 3] = fact.effectiveNanos;
    batch[at + 4] = fact.listNanos;
    batch[at + 5] = fact.lineCount;
    batch[at + 6] = fact.original?.billedNanos ?? null;
    batch[at + 7] = fact.original?.effectiveNanos ?? null;
    batch[at + 8] = fact.original?.listNanos ?? null;
    batch[at + 9] = fact.allocatedMethodDetails ?? null;
    inBatch += 1;
    written += 1;
    if (inBatch === ROWS_PER_STATEMENT) {
      many.run(batch);
      inBatch = 0;
    }
    if (written % ROWS_PER_SLICE === 0) await setImmediate();
  }
  if (inBatch > 0) insertFrom(inBatch).run(batch.slice(0, 1 + inBatch * width));
  connection.exec(`DELETE FROM ${GROUPS_TABLE}`);
  await flusher?.flush();
  return written;
}

/**
 * Flushes what a transaction on a better-sqlite3 connection has written so far, from
 * libuv's thread pool, so that its commit (whose fsync blocks the event loop) has little
 * left to write. Nothing to do on other databases or in memory.
 */
export async function flushBeforeCommit(tx: Knex.Transaction): Promise<void> {
  const connection = await betterSqliteConnectionOf(tx);
  if (connection) await backgroundFlusher(connection)?.flush();
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
