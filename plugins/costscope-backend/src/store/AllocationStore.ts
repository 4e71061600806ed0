import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { deleteKeptReports } from './KeptReportStore';
import { deleteKeptSummaries } from './KeptSummaryStore';
import { ROLLUP_VERSION_KEY } from './RollupReadCache';
import { ALLOCATION_FINGERPRINT_KEY } from './EntitySnapshotStore';
import {
  AllocatedEntityRow,
  AllocationRuleRow,
  BillSplitFact,
  KeyAllocation,
  KeyToAllocate,
  KubernetesPartRow,
  KubernetesSplitHook,
  NodeCostGroup,
} from './types';
import { takeWriteLock } from './writeLock';
import { betterSqliteConnectionOf } from './sqliteFactWriter';
import { AMOUNT_COLUMNS } from './factColumns';
import { clearChangedDays, DayRange, readChangedDays } from './changedDays';
import { readAllocRules } from './allocRules';

const CHUNK = 500;

/** The entity ref of the whole bill in the rollup table. */
export const ORG_REF = '*';

/** What an allocation writes: the catalog tree, the rules and each key's outcome. */
export interface AllocationResult {
  entities: AllocatedEntityRow[];
  /** Per entity ref, the refs it rolls up into (itself included). */
  ancestors: Map<string, Set<string>>;
  rules: AllocationRuleRow[];
  keys: Map<string, KeyAllocation>;
  /** Shared clusters whose node facts are replaced by their split, when configured. */
  kubernetes?: KubernetesSplitHook;
}

/**
 * Which rollups a rebuild wrote again: all; those of the days whose facts changed; or, after a
 * catalog change, those of the rules whose entity's chain or keys changed.
 */
export type RollupRebuild =
  | { rebuilt: 'full' }
  | { rebuilt: 'days'; days: DayRange }
  | { rebuilt: 'rules'; rules: number };

/** Above this many rules to rebuild, the whole table is rebuilt instead (and bound in one IN). */
const MAX_CHANGED_RULES = 500;

/** The rollups a partial rebuild writes again: of these days, or of these rules. */
interface RollupScope {
  days?: DayRange;
  rules?: number[];
  /** With `rules`: the organisation's unallocated rows too. */
  unallocated?: boolean;
}

async function insertChunked(
  tx: Knex.Transaction,
  table: string,
  rows: object[],
) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx(table).insert(rows.slice(i, i + CHUNK));
  }
}

/** Rows per statement of the SQLite path: one prepared statement, run again and again. */
const SQLITE_ROWS_PER_STATEMENT = 25;

/**
 * Inserts rows (values in the order of `columns`). On SQLite through one prepared statement:
 * knex prepares every multi-row INSERT anew, which for a large split costs more than the rows.
 */
async function insertRows(
  tx: Knex.Transaction,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  const sqlite = await betterSqliteConnectionOf(tx);
  if (!sqlite) {
    await insertChunked(
      tx,
      table,
      rows.map(row => Object.fromEntries(columns.map((c, i) => [c, row[i]]))),
    );
    return;
  }
  const statement = (count: number) =>
    sqlite.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(count)
        .fill(`(${columns.map(() => '?').join(', ')})`)
        .join(', ')}`,
    );
  const many = statement(SQLITE_ROWS_PER_STATEMENT);
  // One parameter array, refilled for each statement: not a new array of every row's values.
  const values: unknown[] = new Array(
    SQLITE_ROWS_PER_STATEMENT * columns.length,
  );
  let i = 0;
  for (
    ;
    i + SQLITE_ROWS_PER_STATEMENT <= rows.length;
    i += SQLITE_ROWS_PER_STATEMENT
  ) {
    let v = 0;
    for (let r = i; r < i + SQLITE_ROWS_PER_STATEMENT; r += 1)
      for (const value of rows[r]) values[v++] = value;
    many.run(values);
  }
  if (i < rows.length) statement(rows.length - i).run(rows.slice(i).flat());
}

const PART_COLUMNS = [
  'cluster',
  'usage_date',
  'provider',
  'sub_account_id',
  'region',
  'service_name',
  'charge_category',
  'currency',
  'rule_id',
  'part_kind',
  'namespace',
  'workload',
  'split_by',
  'split_resource',
  ...AMOUNT_COLUMNS,
];

/** The bill dimensions and cost of a group, for a fact of this cluster and resource. */
function groupOf(
  cluster: string,
  resource: NodeCostGroup['resource'],
  row: Record<string, string>,
): NodeCostGroup {
  return {
    cluster,
    resource,
    usageDate: row.usage_date,
    provider: row.provider,
    subAccountId: row.sub_account_id,
    region: row.region,
    serviceName: row.service_name,
    chargeCategory: row.charge_category,
    currency: row.currency,
    billedNanos: 0n,
    effectiveNanos: 0n,
    listNanos: 0n,
  };
}

/** A fact's three sums, in nano-units. */
type FactSums = Pick<
  BillSplitFact,
  'billedNanos' | 'effectiveNanos' | 'listNanos'
>;

/** The key of a fact's group: cluster, resource, day and bill dimensions. */
function groupKey(
  cluster: string,
  resource: NodeCostGroup['resource'],
  row: Record<string, string>,
): string {
  return JSON.stringify([
    cluster,
    resource,
    row.usage_date,
    row.provider,
    row.sub_account_id,
    row.region,
    row.service_name,
    row.charge_category,
    row.currency,
  ]);
}

/**
 * Reads the node facts of each cluster in the allocation's transaction (so a concurrent ingest
 * cannot slip between read and write), splits them by group and writes the parts and the ids of
 * the facts they replace. A fact two selectors match belongs to the first.
 */
async function writeKubernetesSplit(
  tx: Knex.Transaction,
  hook: KubernetesSplitHook,
): Promise<void> {
  const claimed = new Set<string>();
  const groups = new Map<string, { group: NodeCostGroup; ids: string[] }>();
  // Facts the bill split, per group, for the hook to turn into parts; the nodes (cluster,
  // resource, day, resource id) they split; facts without a split of selectors whose facts
  // the bill split, until all are read.
  const billGroups = new Map<
    string,
    { group: NodeCostGroup; facts: BillSplitFact[]; ids: string[] }
  >();
  const splitNodes = new Set<string>();
  const unsplit: Array<{
    resource: NodeCostGroup['resource'];
    cluster: string;
    row: Record<string, string>;
  }> = [];
  const nodeKey = (
    cluster: string,
    resource: string,
    row: Record<string, string>,
  ) => JSON.stringify([cluster, resource, row.usage_date, row.resource_id]);
  /**
   * Adds a fact's sums and id to its group in `into`, made by `make` on first use; answers
   * the group and the sums (parsed once: a bill-split fact keeps them too).
   */
  const addToGroup = <E extends { group: NodeCostGroup; ids: string[] }>(
    into: Map<string, E>,
    make: (group: NodeCostGroup) => E,
    cluster: string,
    resource: NodeCostGroup['resource'],
    row: Record<string, string>,
  ): { entry: E; sums: FactSums } => {
    const key = groupKey(cluster, resource, row);
    let entry = into.get(key);
    if (!entry) {
      entry = make(groupOf(cluster, resource, row));
      into.set(key, entry);
    }
    const sums: FactSums = {
      billedNanos: BigInt(row.billed),
      effectiveNanos: BigInt(row.effective),
      listNanos: BigInt(row.list),
    };
    entry.group.billedNanos += sums.billedNanos;
    entry.group.effectiveNanos += sums.effectiveNanos;
    entry.group.listNanos += sums.listNanos;
    entry.ids.push(row.id);
    return { entry, sums };
  };
  // A fact the bill split itself, into its group with its split.
  const addBillFact = (
    cluster: string,
    resource: NodeCostGroup['resource'],
    row: Record<string, string>,
  ) => {
    const { entry, sums } = addToGroup(
      billGroups,
      group => ({ group, facts: [], ids: [] }),
      cluster,
      resource,
      row,
    );
    entry.facts.push({
      cluster,
      methodId: row.allocated_method_id ?? null,
      resourceId: row.allocated_resource_id ?? null,
      resourceName: row.allocated_resource_name ?? null,
      tags: row.allocated_tags ?? '{}',
      ...sums,
    });
  };
  // A fact OpenCost's ratios split, into its group.
  const addGroupFact = (
    cluster: string,
    resource: NodeCostGroup['resource'],
    row: Record<string, string>,
  ) => {
    addToGroup(groups, group => ({ group, ids: [] }), cluster, resource, row);
  };
  for (const selector of hook.selectors) {
    const reads: Array<(q: Knex.QueryBuilder) => Knex.QueryBuilder> = [];
    for (let i = 0; i < selector.allocKeys.length; i += CHUNK) {
      const chunk = selector.allocKeys.slice(i, i + CHUNK);
      reads.push(q => q.whereIn('f.alloc_key', chunk));
    }
    for (const prefix of selector.resourceIdPrefixes) {
      // substr, not LIKE: SQLite's LIKE ignores case and both treat _ and % as wildcards.
      reads.push(q =>
        q.whereRaw('substr(f.resource_id, 1, ?) = ?', [prefix.length, prefix]),
      );
    }
    const resource = selector.resource ?? 'nodes';
    for (const read of reads) {
      const rows = await read(
        tx('costscope_cost_facts as f').select(
          tx.raw('CAST(f.id AS TEXT) as id'),
          'f.usage_date',
          'f.provider',
          'f.sub_account_id',
          'f.region',
          'f.service_name',
          'f.charge_category',
          'f.currency',
          'f.resource_id',
          tx.raw('CAST(f.billed_nanos AS TEXT) as billed'),
          tx.raw('CAST(f.effective_nanos AS TEXT) as effective'),
          tx.raw('CAST(f.list_nanos AS TEXT) as list'),
          'f.allocated_method_id',
          'f.allocated_resource_id',
          'f.allocated_resource_name',
          'f.allocated_tags',
        ),
      );
      for (const row of rows) {
        if (claimed.has(row.id)) continue;
        claimed.add(row.id);
        if (row.allocated_method_id !== null) {
          // The bill split this one itself: its allocated resource takes it.
          addBillFact(selector.cluster, resource, row);
          splitNodes.add(nodeKey(selector.cluster, resource, row));
        } else if (selector.billSplit) {
          // Kept until every fact is read: it may be the idle part of a node the bill split.
          unsplit.push({ resource, cluster: selector.cluster, row });
        } else addGroupFact(selector.cluster, resource, row);
      }
    }
  }
  for (const { resource, cluster, row } of unsplit) {
    if (row.resource_id && splitNodes.has(nodeKey(cluster, resource, row))) {
      // What the bill left unsplit of a node it split that day: the node's idle part.
      addBillFact(cluster, resource, row);
    } else addGroupFact(cluster, resource, row);
  }
  unsplit.length = 0;

  let splitFacts: unknown[][] = [];
  let parts: unknown[][] = [];
  // Written as they come: a large cluster's parts over many days do not fit in memory at once.
  const flush = async (atLeast: number) => {
    if (splitFacts.length >= atLeast) {
      await insertRows(
        tx,
        'costscope_k8s_split_facts',
        ['fact_id', 'cluster'],
        splitFacts,
      );
      splitFacts = [];
    }
    if (parts.length >= atLeast) {
      await insertRows(tx, 'costscope_k8s_parts', PART_COLUMNS, parts);
      parts = [];
    }
  };
  // By cluster and day, so each day's OpenCost answer is read once and let go after.
  const ordered = [...groups.values()].sort(
    (a, b) =>
      compareText(a.group.cluster, b.group.cluster) ||
      compareText(a.group.usageDate, b.group.usageDate),
  );
  let answerOf = '';
  let answer: unknown[] | undefined;
  for (const { group, ids } of ordered) {
    if (answerOf !== `${group.cluster}|${group.usageDate}`) {
      answerOf = `${group.cluster}|${group.usageDate}`;
      answer = await readAnswer(tx, group.cluster, group.usageDate);
    }
    const split = hook.split(group, answer);
    if (!split) continue;
    checkParts(group, split);
    for (const id of ids) splitFacts.push([id, group.cluster]);
    for (const part of split)
      parts.push(partValues(group, part, part.splitBy ?? 'opencost'));
    // Soon: rows kept across days outlive the young generation and fill the old one.
    await flush(CHUNK);
  }
  for (const { group, facts, ids } of billGroups.values()) {
    const split = hook.billSplit(group, facts);
    checkParts(group, split);
    for (const id of ids) splitFacts.push([id, group.cluster]);
    for (const part of split) parts.push(partValues(group, part, 'bill'));
    await flush(CHUNK);
  }
  await flush(1);
}

/** A part's row, in the order of PART_COLUMNS. */
function partValues(
  group: NodeCostGroup,
  part: KubernetesPartRow,
  splitBy: string,
): unknown[] {
  return [
    group.cluster,
    group.usageDate,
    group.provider,
    group.subAccountId,
    group.region,
    group.serviceName,
    group.chargeCategory,
    group.currency,
    part.ruleId,
    part.kind,
    part.namespace ?? null,
    part.workload,
    splitBy,
    group.resource,
    part.billedNanos.toString(),
    part.effectiveNanos.toString(),
    part.listNanos.toString(),
  ];
}

/**
 * OpenCost's stored answer of a cluster-day, read an allocation at a time; undefined if never
 * read. A large cluster's day is megabytes of JSON: as one string it would go straight to the
 * old generation and stay there, day after day, until the next full collection.
 */
async function readAnswer(
  tx: Knex.Transaction,
  cluster: string,
  day: string,
): Promise<unknown[] | undefined> {
  const where = { cluster, usage_date: day };
  if (!(await tx('costscope_opencost_days').where(where).first('cluster')))
    return undefined;
  const rows: Array<{ value: string }> =
    tx.client.config.client === 'pg'
      ? (
          await tx.raw(
            `SELECT e.value::text AS value
             FROM costscope_opencost_days d,
                  json_array_elements(d.allocations::json) WITH ORDINALITY AS e(value, n)
             WHERE d.cluster = ? AND d.usage_date = ?
             ORDER BY e.n`,
            [cluster, day],
          )
        ).rows
      : await tx.raw(
          `SELECT e.value AS value
           FROM costscope_opencost_days d, json_each(d.allocations) e
           WHERE d.cluster = ? AND d.usage_date = ?
           ORDER BY e.key`,
          [cluster, day],
        );
  return rows.map(row => JSON.parse(row.value));
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The invariant, checked before anything is written: the parts are the group, exactly. */
function checkParts(group: NodeCostGroup, parts: KubernetesPartRow[]) {
  let billed = 0n;
  let effective = 0n;
  let list = 0n;
  for (const part of parts) {
    billed += part.billedNanos;
    effective += part.effectiveNanos;
    list += part.listNanos;
  }
  if (
    billed !== group.billedNanos ||
    effective !== group.effectiveNanos ||
    list !== group.listNanos
  ) {
    throw new Error(
      `Kubernetes split of ${group.cluster} on ${group.usageDate} does not sum to the bill`,
    );
  }
}

/** Reads allocation inputs and writes an allocation with its rolled-up daily totals. */
export class AllocationStore {
  constructor(private readonly knex: Knex) {}

  async listKeys(): Promise<KeyToAllocate[]> {
    const rows = await this.knex('costscope_alloc_keys').select(
      'alloc_key',
      'sub_account_id',
      'tags',
      'unused_commitment',
    );
    return rows.map(row => ({
      allocKey: row.alloc_key,
      subAccountId: row.sub_account_id,
      tags: row.tags,
      // SQLite answers 0 or 1.
      unusedCommitment: Boolean(row.unused_commitment),
    }));
  }

  /** The rules of the stored allocation, for each rule built again to keep its id. */
  async listRules(): Promise<AllocationRuleRow[]> {
    return (await readAllocRules(this.knex)).map(row => ({
      id: row.id,
      entityRef: row.entity_ref,
      origin: row.origin,
      rule: row.rule,
    }));
  }

  async getState(key: string): Promise<string | undefined> {
    const row = await this.knex('costscope_state').where({ key }).first();
    return row?.value;
  }

  /**
   * Replaces the allocation in one transaction and rebuilds the rollup table from the facts,
   * so that a team page is an indexed read rather than a scan over its components' facts.
   * With `incremental`, and no cluster split: when the stored allocation is of this
   * fingerprint (same catalog, conventions and keys), only the rollups of the days whose facts
   * changed since are rebuilt; when only the catalog changed, only those of the rules whose
   * entity's chain or keys changed. Anything else rebuilds the whole table.
   */
  async writeAllocation(
    result: AllocationResult,
    fingerprint: string,
    options: { incremental?: boolean } = {},
  ): Promise<RollupRebuild> {
    return await this.knex.transaction(async tx => {
      await takeWriteLock(tx);
      const changed = await readChangedDays(tx);
      const previous = (
        await tx('costscope_state')
          .where({ key: ALLOCATION_FINGERPRINT_KEY })
          .first()
      )?.value;
      // The Kubernetes split is of the whole history (its parts, their fact ids): redone whole.
      const incremental =
        options.incremental && !result.kubernetes && previous !== undefined;
      let rebuild: RollupRebuild = { rebuilt: 'full' };
      if (incremental && previous === fingerprint && changed) {
        await tx('costscope_rollup_daily')
          .where('usage_date', '>=', changed.first)
          .where('usage_date', '<=', changed.last)
          .delete();
        await insertRollups(tx, { days: changed });
        rebuild = { rebuilt: 'days', days: changed };
      } else {
        // Only when no fact changed since: those of changed days would be rolled up by old rules.
        const scope =
          incremental && previous !== fingerprint && !changed
            ? await changedRules(tx, result)
            : undefined;
        if (scope) {
          const rows = tx('costscope_rollup_daily').where(q => {
            q.whereIn('rule_id', scope.rules);
            if (scope.unallocated) q.orWhereNull('rule_id');
          });
          await rows.delete();
        } else {
          await tx('costscope_rollup_daily').delete();
        }
        await writeEntitiesAndRules(tx, result);
        await insertRollups(tx, scope);
        if (scope) rebuild = { rebuilt: 'rules', rules: scope.rules.length };
      }
      await newRollupVersion(tx, fingerprint);
      await clearChangedDays(tx, changed);
      return rebuild;
    });
  }
}

/** The catalog tree, the rules, each key's outcome and the Kubernetes split, replaced. */
async function writeEntitiesAndRules(
  tx: Knex.Transaction,
  result: AllocationResult,
): Promise<void> {
  await tx('costscope_entity_ancestors').delete();
  await tx('costscope_entities').delete();
  await tx('costscope_alloc_rules').delete();

  await insertChunked(
    tx,
    'costscope_entities',
    result.entities.map(e => ({
      entity_ref: e.ref,
      kind: e.kind,
      title: e.title ?? null,
      owner_ref: e.ownerRef ?? null,
      parent_ref: e.parentRef ?? null,
    })),
  );
  await insertChunked(
    tx,
    'costscope_entity_ancestors',
    [...result.ancestors].flatMap(([ref, ancestors]) =>
      [...ancestors].map(ancestor => ({
        entity_ref: ref,
        ancestor_ref: ancestor,
      })),
    ),
  );
  await insertChunked(
    tx,
    'costscope_alloc_rules',
    result.rules.map(rule => ({
      id: rule.id,
      entity_ref: rule.entityRef,
      origin: rule.origin,
      rule: rule.rule,
    })),
  );

  await tx('costscope_alloc_keys').update({
    rule_id: null,
    overlaps: null,
  });
  // Keys grouped by outcome: one UPDATE per rule rather than one per key.
  const byOutcome = new Map<string, string[]>();
  for (const [allocKey, allocation] of result.keys) {
    if (allocation.ruleId === null) continue;
    const outcome = JSON.stringify([allocation.ruleId, allocation.overlaps]);
    byOutcome.set(outcome, [...(byOutcome.get(outcome) ?? []), allocKey]);
  }
  for (const [outcome, allocKeys] of byOutcome) {
    const [ruleId, overlaps] = JSON.parse(outcome) as [number, string[]];
    for (let i = 0; i < allocKeys.length; i += CHUNK) {
      await tx('costscope_alloc_keys')
        .whereIn('alloc_key', allocKeys.slice(i, i + CHUNK))
        .update({
          rule_id: ruleId,
          overlaps: overlaps.length > 0 ? JSON.stringify(overlaps) : null,
        });
    }
  }

  await tx('costscope_k8s_split_facts').delete();
  await tx('costscope_k8s_parts').delete();
  if (result.kubernetes) await writeKubernetesSplit(tx, result.kubernetes);
}

/**
 * The rules whose rollup rows a catalog change alters: those of entities whose chain of
 * ancestors changed, those gone or new, and the old and new rules of keys that moved (with
 * the unallocated rows when a key moved from or to none). Undefined when the change is not
 * one a partial rebuild can write exactly: keys the allocation did not see, a previous split,
 * too many rules, or a rule id that now means another rule. The engine keeps each rule's id
 * (assignRuleIds), so the last is a safety check against inconsistent data, not a catalog
 * change: rows of such an id could not be told apart.
 */
async function changedRules(
  tx: Knex.Transaction,
  result: AllocationResult,
): Promise<{ rules: number[]; unallocated: boolean } | undefined> {
  if (await tx('costscope_k8s_parts').first('rule_id')) return undefined;
  const rules = new Set<number>();
  const newRules = new Map(result.rules.map(rule => [rule.id, rule]));
  const oldRules = await readAllocRules(tx);
  for (const old of oldRules) {
    const rule = newRules.get(old.id);
    if (!rule) rules.add(old.id);
    // Ids are kept (assignRuleIds): another meaning is inconsistent data, rebuilt in full.
    else if (
      rule.entityRef !== old.entity_ref ||
      rule.origin !== old.origin ||
      rule.rule !== old.rule
    ) {
      return undefined;
    }
  }
  const oldIds = new Set(oldRules.map(rule => rule.id));
  for (const rule of result.rules) if (!oldIds.has(rule.id)) rules.add(rule.id);

  const oldAncestors = new Map<string, Set<string>>();
  for (const row of await tx('costscope_entity_ancestors').select(
    'entity_ref',
    'ancestor_ref',
  )) {
    const set = oldAncestors.get(row.entity_ref) ?? new Set<string>();
    set.add(row.ancestor_ref);
    oldAncestors.set(row.entity_ref, set);
  }
  const moved = new Set<string>();
  for (const ref of new Set([
    ...oldAncestors.keys(),
    ...result.ancestors.keys(),
  ])) {
    const before = oldAncestors.get(ref) ?? new Set<string>();
    const after = result.ancestors.get(ref) ?? new Set<string>();
    if (before.size !== after.size || [...before].some(a => !after.has(a)))
      moved.add(ref);
  }
  for (const rule of result.rules) {
    if (moved.has(rule.entityRef)) rules.add(rule.id);
  }
  for (const rule of oldRules) {
    if (moved.has(rule.entity_ref)) rules.add(rule.id);
  }

  let unallocated = false;
  const keys = await tx('costscope_alloc_keys').select('alloc_key', 'rule_id');
  for (const key of keys) {
    const allocation = result.keys.get(key.alloc_key);
    if (!allocation) return undefined;
    const before: number | null = key.rule_id;
    if (before === allocation.ruleId) continue;
    for (const id of [before, allocation.ruleId]) {
      if (id === null) unallocated = true;
      else rules.add(id);
    }
  }
  if (rules.size > MAX_CHANGED_RULES) return undefined;
  return { rules: [...rules].sort((a, b) => a - b), unallocated };
}

/**
 * Rolls up the facts of `scope` (all when left out) into costscope_rollup_daily: facts not
 * split, then the Kubernetes parts of those that were, each per entity (to every ancestor of
 * the entity its rule maps to) and for the organisation.
 */
async function insertRollups(
  tx: Knex.Transaction,
  scope: RollupScope = {},
): Promise<void> {
  const { days, rules, unallocated } = scope;
  // A split fact is rolled up as its parts, so that nothing is counted twice.
  const notSplit = `NOT EXISTS (SELECT 1 FROM costscope_k8s_split_facts s
                               WHERE s.fact_id = f.id)`;
  const dimensions = [
    'usage_date',
    'provider',
    'sub_account_id',
    'region',
    'service_name',
    'charge_category',
    'currency',
  ];
  const inputs = [
    {
      from: `costscope_cost_facts f
             JOIN costscope_alloc_keys k ON k.alloc_key = f.alloc_key`,
      alias: 'f',
      rule: 'k.rule_id',
      conditions: [notSplit],
      columns: dimensions,
      into: dimensions,
    },
    {
      from: 'costscope_k8s_parts p',
      alias: 'p',
      rule: 'p.rule_id',
      conditions: [],
      columns: [...dimensions, 'cluster', 'namespace', 'workload'],
      into: [...dimensions, 'k8s_cluster', 'k8s_namespace', 'k8s_workload'],
    },
  ];
  for (const input of inputs) {
    const conditions = [...input.conditions];
    const bindings: Array<string | number> = [];
    if (days) {
      conditions.push(`${input.alias}.usage_date BETWEEN ? AND ?`);
      bindings.push(days.first, days.last);
    }
    if (rules) {
      // An empty list matches nothing: only the unallocated rows, if any.
      const inList = rules.length
        ? `${input.rule} IN (${rules.map(() => '?').join(', ')})`
        : '1 = 0';
      conditions.push(
        unallocated ? `(${inList} OR ${input.rule} IS NULL)` : inList,
      );
      bindings.push(...rules);
    }
    const where =
      conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const grouped = [
      input.rule,
      ...input.columns.map(c => `${input.alias}.${c}`),
    ].join(', ');
    const sums = AMOUNT_COLUMNS.map(c => `SUM(${input.alias}.${c})`);
    const into = `INSERT INTO costscope_rollup_daily
       (entity_ref, rule_id, ${[...input.into, ...AMOUNT_COLUMNS].join(', ')})`;
    await tx.raw(
      `${into}
       SELECT a.ancestor_ref, ${grouped}, ${sums.join(', ')}
       FROM ${input.from}
       JOIN costscope_alloc_rules r ON r.id = ${input.rule}
       JOIN costscope_entity_ancestors a ON a.entity_ref = r.entity_ref
       ${where}
       GROUP BY a.ancestor_ref, ${grouped}`,
      bindings,
    );
    await tx.raw(
      `${into}
       SELECT ?, ${grouped}, ${sums.join(', ')}
       FROM ${input.from}
       ${where}
       GROUP BY ${grouped}`,
      [ORG_REF, ...bindings],
    );
  }
}

/**
 * What every rebuild ends with, whole, by day or by rule: answers kept for the old rollups
 * (summaries, organisation reports) dropped,
 * the allocation's fingerprint and a new rollup version, even of the same catalog (the facts
 * may have changed).
 */
async function newRollupVersion(
  tx: Knex.Transaction,
  fingerprint: string,
): Promise<void> {
  await deleteKeptSummaries(tx);
  await deleteKeptReports(tx);
  await tx('costscope_state')
    .insert({ key: ALLOCATION_FINGERPRINT_KEY, value: fingerprint })
    .onConflict('key')
    .merge();
  await tx('costscope_state')
    .insert({ key: ROLLUP_VERSION_KEY, value: randomUUID() })
    .onConflict('key')
    .merge();
}
