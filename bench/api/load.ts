/**
 * Writes a synthetic organisation into a migrated Costscope database, table by table, in
 * bulk: what an ingest followed by an allocation would have stored, without running them.
 *
 * - facts in the order ingest writes them (billing period by billing period, day by day);
 * - the allocation (entities, ancestors, rules, the rule and overlaps of each key);
 * - the rollup rows the allocation's `INSERT ... SELECT ... GROUP BY` produces, in the order
 *   it produces them (entity, rule, day, dimensions), then the organisation's rows.
 *
 * SQLite: multi-row `INSERT ... VALUES` statements; PostgreSQL: `INSERT ... SELECT FROM
 * unnest(<array per column>)`, one bind parameter per column for thousands of rows.
 */
import { Knex } from 'knex';
import { ORG_REF } from '../../plugins/costscope-backend/src/store/AllocationStore';
import { BenchOrg, CURRENCY, dailyCost } from './org';
import { ROLLUP_VERSION_KEY } from '../../plugins/costscope-backend/src/store/RollupReadCache';

type ColumnType = 'text' | 'bigint' | 'integer';
type Row = Array<string | number | null>;

interface TableSpec {
  table: string;
  columns: Array<[string, ColumnType]>;
}

const FACTS: TableSpec = {
  table: 'costscope_cost_facts',
  columns: [
    ['source_id', 'text'],
    ['billing_period', 'text'],
    ['usage_date', 'text'],
    ['provider', 'text'],
    ['billing_account_id', 'text'],
    ['sub_account_id', 'text'],
    ['region', 'text'],
    ['service_name', 'text'],
    ['service_category', 'text'],
    ['resource_id', 'text'],
    ['resource_name', 'text'],
    ['resource_type', 'text'],
    ['charge_category', 'text'],
    ['currency', 'text'],
    ['alloc_key', 'text'],
    ['billed_nanos', 'bigint'],
    ['effective_nanos', 'bigint'],
    ['list_nanos', 'bigint'],
    ['line_count', 'integer'],
  ],
};

const ROLLUP: TableSpec = {
  table: 'costscope_rollup_daily',
  columns: [
    ['entity_ref', 'text'],
    ['rule_id', 'integer'],
    ['usage_date', 'text'],
    ['provider', 'text'],
    ['sub_account_id', 'text'],
    ['region', 'text'],
    ['service_name', 'text'],
    ['currency', 'text'],
    ['billed_nanos', 'bigint'],
    ['effective_nanos', 'bigint'],
    ['list_nanos', 'bigint'],
  ],
};

const SOURCE_ID = 'bench';

function isPostgres(knex: Knex) {
  return knex.client.config.client === 'pg';
}

/** A PostgreSQL array literal of text values. */
function pgArray(values: Array<string | number | null>): string {
  return `{${values
    .map(value => {
      if (value === null) return 'NULL';
      if (typeof value === 'number') return String(value);
      return `"${value.replace(/[\\"]/g, c => `\\${c}`)}"`;
    })
    .join(',')}}`;
}

/** Inserts rows in large multi-row statements, committing every 200,000 rows. */
async function insertRows(
  knex: Knex,
  spec: TableSpec,
  rows: Iterable<Row>,
): Promise<number> {
  return isPostgres(knex)
    ? insertRowsPostgres(knex, spec, rows)
    : insertRowsSqlite(knex, spec, rows);
}

const PER_TRANSACTION = 200_000;

/**
 * SQLite: one prepared multi-row statement on knex's own better-sqlite3 connection, run
 * synchronously (knex would re-prepare the statement and re-process its bindings each time).
 */
async function insertRowsSqlite(
  knex: Knex,
  spec: TableSpec,
  rows: Iterable<Row>,
): Promise<number> {
  const perStatement = 100;
  const names = spec.columns.map(([name]) => `"${name}"`).join(', ');
  const tuple = `(${spec.columns.map(() => '?').join(', ')})`;
  const sql = (count: number) =>
    `INSERT INTO ${spec.table} (${names}) VALUES ${Array(count)
      .fill(tuple)
      .join(', ')}`;
  const connection = await knex.client.acquireConnection();
  try {
    const full = connection.prepare(sql(perStatement));
    let total = 0;
    let batch: Row[] = [];
    connection.exec('BEGIN');
    for (const row of rows) {
      batch.push(row);
      if (batch.length === perStatement) {
        full.run(batch.flat());
        total += batch.length;
        batch = [];
        if (total % PER_TRANSACTION === 0) {
          connection.exec('COMMIT');
          connection.exec('BEGIN');
        }
      }
    }
    if (batch.length > 0) {
      connection.prepare(sql(batch.length)).run(batch.flat());
      total += batch.length;
    }
    connection.exec('COMMIT');
    return total;
  } catch (error) {
    if (connection.inTransaction) connection.exec('ROLLBACK');
    throw error;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

/** PostgreSQL: `INSERT ... SELECT FROM unnest(...)` with one array per column. */
async function insertRowsPostgres(
  knex: Knex,
  spec: TableSpec,
  rows: Iterable<Row>,
): Promise<number> {
  const perStatement = 20_000;
  const names = spec.columns.map(([name]) => `"${name}"`).join(', ');
  const statement = `INSERT INTO ${
    spec.table
  } (${names}) SELECT * FROM unnest(${spec.columns
    .map(([, type]) => `?::${type}[]`)
    .join(', ')})`;
  let total = 0;
  let batch: Row[] = [];
  let tx: Knex.Transaction | undefined;
  const flush = async () => {
    if (batch.length === 0) return;
    tx ??= await knex.transaction();
    await tx.raw(
      statement,
      spec.columns.map((_, i) => pgArray(batch.map(row => row[i]))),
    );
    total += batch.length;
    batch = [];
    if (total % PER_TRANSACTION === 0) {
      await tx.commit();
      tx = undefined;
    }
  };
  try {
    for (const row of rows) {
      batch.push(row);
      if (batch.length === perStatement) await flush();
    }
    await flush();
    await tx?.commit();
  } catch (error) {
    await tx?.rollback().catch(() => undefined);
    throw error;
  }
  return total;
}

/**
 * Drops the indexes of these tables that no constraint owns (not primary keys) and returns
 * the statements that create them again, as the database itself reports them.
 */
async function dropIndexes(knex: Knex, tables: string[]): Promise<string[]> {
  const rows: Array<{ name: string; definition: string }> = isPostgres(knex)
    ? (
        await knex.raw(
          `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
           WHERE i.schemaname = current_schema() AND i.tablename = ANY(?)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
          [tables],
        )
      ).rows
    : await knex.raw(
        `SELECT name, sql AS definition FROM sqlite_master
         WHERE type = 'index' AND sql IS NOT NULL
           AND tbl_name IN (${tables.map(() => '?').join(', ')})`,
        tables,
      );
  for (const { name } of rows) await knex.raw(`DROP INDEX "${name}"`);
  return rows.map(row => row.definition);
}

function* factRows(org: BenchOrg): Generator<Row> {
  for (let d = 0; d < org.days.length; d += 1) {
    const day = org.days[d];
    const period = `${day.slice(0, 8)}01`;
    for (let r = 0; r < org.resources.length; r += 1) {
      const resource = org.resources[r];
      const { billed, effective } = dailyCost(resource, r, d);
      yield [
        SOURCE_ID,
        period,
        day,
        resource.provider,
        resource.billingAccountId,
        resource.subAccountId,
        resource.region,
        resource.serviceName,
        resource.serviceCategory,
        resource.resourceId,
        resource.resourceName,
        resource.resourceType,
        'Usage',
        CURRENCY,
        resource.allocKey,
        billed,
        effective,
        // At list price, as on-demand usage: what it bills.
        billed,
        24,
      ];
    }
  }
}

/** Rollup rows of the resources of one rule (or of the unallocated ones) under `entityRef`. */
function* ruleRows(
  org: BenchOrg,
  entityRef: string,
  ruleId: number | null,
  resourceIndexes: number[],
): Generator<Row> {
  for (let d = 0; d < org.days.length; d += 1) {
    const sums = new Map<string, { dims: string[]; b: number; e: number }>();
    for (const r of resourceIndexes) {
      const resource = org.resources[r];
      const dims = [
        resource.provider,
        resource.subAccountId,
        resource.region,
        resource.serviceName,
      ];
      const id = dims.join('\u0000');
      const { billed, effective } = dailyCost(resource, r, d);
      const sum = sums.get(id);
      if (sum) {
        sum.b += billed;
        sum.e += effective;
      } else {
        sums.set(id, { dims, b: billed, e: effective });
      }
    }
    for (const id of [...sums.keys()].sort()) {
      const { dims, b, e } = sums.get(id)!;
      yield [entityRef, ruleId, org.days[d], ...dims, CURRENCY, b, e, b];
    }
  }
}

function* rollupRows(org: BenchOrg): Generator<Row> {
  const ruleOfKey = new Map(
    [...org.allocations].map(([key, allocation]) => [key, allocation.ruleId]),
  );
  const resourcesByRule = new Map<number | null, number[]>();
  org.resources.forEach((resource, index) => {
    const ruleId = ruleOfKey.get(resource.allocKey) ?? null;
    const list = resourcesByRule.get(ruleId) ?? [];
    list.push(index);
    resourcesByRule.set(ruleId, list);
  });
  const usedRules = org.rules
    .filter(rule => resourcesByRule.has(rule.id))
    .sort((a, b) => a.id - b.id);
  const rulesByAncestor = new Map<string, number[]>();
  for (const rule of usedRules) {
    for (const ancestor of org.ancestors.get(rule.entityRef) ?? []) {
      const list = rulesByAncestor.get(ancestor) ?? [];
      list.push(rule.id);
      rulesByAncestor.set(ancestor, list);
    }
  }
  // GROUP BY ancestor_ref, rule_id, usage_date, dimensions: sorted by those (the default
  // sort compares UTF-16 code units: byte order for these ASCII refs, as SQLite's BINARY)
  for (const ancestor of [...rulesByAncestor.keys()].sort()) {
    for (const ruleId of rulesByAncestor.get(ancestor)!) {
      yield* ruleRows(org, ancestor, ruleId, resourcesByRule.get(ruleId)!);
    }
  }
  // The whole bill, unallocated (null rule) first
  if (resourcesByRule.has(null)) {
    yield* ruleRows(org, ORG_REF, null, resourcesByRule.get(null)!);
  }
  for (const rule of usedRules) {
    yield* ruleRows(org, ORG_REF, rule.id, resourcesByRule.get(rule.id)!);
  }
}

export interface LoadCounts {
  facts: number;
  rollup: number;
  keys: number;
  entities: number;
}

/** Loads the organisation into a freshly migrated database. */
export async function loadOrg(
  knex: Knex,
  org: BenchOrg,
  signature: string,
  log: (message: string) => void,
): Promise<LoadCounts> {
  if (!isPostgres(knex)) {
    // This connection only (bench/api.ts serves from a new one with SQLite's defaults): no
    // fsync, an in-memory journal and a 1 GiB page cache while loading.
    await knex.raw('PRAGMA synchronous = OFF');
    await knex.raw('PRAGMA journal_mode = MEMORY');
    await knex.raw('PRAGMA cache_size = -1048576');
  }
  const started = Date.now();
  const counts: LoadCounts = { facts: 0, rollup: 0, keys: 0, entities: 0 };

  counts.keys = await insertRows(
    knex,
    {
      table: 'costscope_alloc_keys',
      columns: [
        ['alloc_key', 'text'],
        ['provider', 'text'],
        ['sub_account_id', 'text'],
        ['tags', 'text'],
        ['rule_id', 'integer'],
        ['overlaps', 'text'],
      ],
    },
    org.keys.map(key => {
      const allocation = org.allocations.get(key.allocKey)!;
      return [
        key.allocKey,
        key.provider,
        key.subAccountId,
        key.tags,
        allocation.ruleId,
        allocation.overlaps.length > 0
          ? JSON.stringify(allocation.overlaps)
          : null,
      ];
    }),
  );
  counts.entities = await insertRows(
    knex,
    {
      table: 'costscope_entities',
      columns: [
        ['entity_ref', 'text'],
        ['kind', 'text'],
        ['title', 'text'],
        ['owner_ref', 'text'],
        ['parent_ref', 'text'],
      ],
    },
    [...org.snapshots]
      .sort((a, b) => a.ref.localeCompare(b.ref))
      .map(e => [
        e.ref,
        e.kind,
        e.title ?? null,
        e.ownerRef ?? null,
        e.parentRef ?? null,
      ]),
  );
  await insertRows(
    knex,
    {
      table: 'costscope_entity_ancestors',
      columns: [
        ['entity_ref', 'text'],
        ['ancestor_ref', 'text'],
      ],
    },
    [...org.ancestors].flatMap(([ref, ancestors]) =>
      [...ancestors].map(ancestor => [ref, ancestor]),
    ),
  );
  await insertRows(
    knex,
    {
      table: 'costscope_alloc_rules',
      columns: [
        ['id', 'integer'],
        ['entity_ref', 'text'],
        ['origin', 'text'],
        ['rule', 'text'],
      ],
    },
    org.rules.map(rule => [rule.id, rule.entityRef, rule.origin, rule.rule]),
  );

  // The two large tables are loaded without their indexes, which are built once afterwards
  // (faster than maintaining them row by row; the same definitions the migrations made).
  const indexes = await dropIndexes(knex, [FACTS.table, ROLLUP.table]);
  counts.facts = await insertRows(knex, FACTS, factRows(org));
  log(
    `loaded ${counts.facts} facts in ${((Date.now() - started) / 1000).toFixed(
      1,
    )} s`,
  );
  counts.rollup = await insertRows(knex, ROLLUP, rollupRows(org));
  log(
    `loaded ${counts.rollup} rollup rows in ${(
      (Date.now() - started) /
      1000
    ).toFixed(1)} s`,
  );

  await knex.transaction(async tx => {
    // PostgreSQL sorts each index in memory up to this much (64 MB by default).
    if (isPostgres(knex))
      await tx.raw(`SET LOCAL maintenance_work_mem = '512MB'`);
    for (const definition of indexes) await tx.raw(definition);
  });
  log(
    `built ${indexes.length} indexes in ${(
      (Date.now() - started) /
      1000
    ).toFixed(1)} s`,
  );

  const finishedAt = new Date().toISOString();
  await knex('costscope_ingest_runs').insert({
    id: 'bench-load',
    source_id: SOURCE_ID,
    trigger: 'manual',
    status: 'succeeded',
    started_at: new Date(started).toISOString(),
    finished_at: finishedAt,
    duration_ms: Date.now() - started,
    rows_read: counts.facts,
    facts_written: counts.facts,
    billing_periods: JSON.stringify([
      ...new Set(org.days.map(day => `${day.slice(0, 8)}01`)),
    ]),
  });
  await knex('costscope_state').insert([
    // Not the engine's fingerprint: an allocation run would recompute, the benchmark runs none.
    { key: 'allocation_fingerprint', value: `bench:${signature}` },
    { key: 'bench_org', value: signature },
    // As every allocation rebuild does: the version the read cache keys its answers on.
    { key: ROLLUP_VERSION_KEY, value: `bench:${signature}` },
  ]);

  if (isPostgres(knex)) {
    // What autovacuum does soon after a bulk write: statistics and the visibility map.
    await knex.raw('VACUUM ANALYZE');
  }
  log(`load done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return counts;
}

/** The signature of the organisation a database holds, if it was loaded by this benchmark. */
export async function loadedSignature(knex: Knex): Promise<string | undefined> {
  try {
    const row = await knex('costscope_state')
      .where({ key: 'bench_org' })
      .first();
    return row?.value;
  } catch {
    return undefined;
  }
}
