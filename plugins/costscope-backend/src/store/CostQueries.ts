import { Knex } from 'knex';
import {
  CostBasis,
  CostOverview,
  CostSeries,
  DateRange,
  EntityCostSummary,
  nanosToMoney,
  NOT_VISIBLE_KEY,
  ResourceCost,
  ResourceCostList,
  SeriesGroupBy,
} from '@costscope/backstage-plugin-common';
import { eachDay, previousRange } from '../lib/dates';
import { shareOf } from '../lib/decimal';
import { ORG_REF } from './AllocationStore';
import { costColumn, sumOf } from './costSums';
import {
  breakdown,
  nanos,
  OverlapKey,
  RuleRow,
  SUMMARY_ROW_COLUMNS,
  SummaryRow,
  summaryAnswer,
} from './summaryAnswer';

/** What an answer's amounts are: their currency and the basis they are counted on. */
export interface Amounts {
  currency: string;
  costBasis: CostBasis;
}

/** What each groupBy groups the rollup by, and the key of rows without a value. */
const SERIES_COLUMNS: Record<SeriesGroupBy, [string, string]> = {
  service: ['r.service_name', '(none)'],
  account: ['r.sub_account_id', '(none)'],
  region: ['r.region', '(none)'],
  provider: ['r.provider', '(none)'],
  cluster: ['r.k8s_cluster', '(not Kubernetes)'],
  // Idle, system and unsplit parts have no namespace: they are keyed by what they are.
  namespace: ['COALESCE(r.k8s_namespace, r.k8s_workload)', '(not Kubernetes)'],
  workload: ['r.k8s_workload', '(not Kubernetes)'],
};

/** Largest list bound into one IN (...), within every SQLite build's variable limit. */
const IN_CHUNK = 500;

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

/** Read paths of the API: indexed reads of the rollup table, plus fact scans for resources. */
export class CostQueries {
  constructor(private readonly knex: Knex) {}

  async entityExists(entityRef: string): Promise<boolean> {
    return Boolean(
      await this.knex('costscope_entities')
        .where({ entity_ref: entityRef })
        .first(),
    );
  }

  /** The currency of stored facts, that of the latest day when several exist. */
  async currency(fallback: string): Promise<string> {
    // The latest row: by the (entity_ref, usage_date) index, where a bare LIMIT 1 lets
    // PostgreSQL choose a sequential scan that meets the organisation's rows last.
    const row = await this.knex('costscope_rollup_daily')
      .where({ entity_ref: ORG_REF })
      .orderBy('usage_date', 'desc')
      .first('currency');
    return row?.currency ?? fallback;
  }

  private rollup(entityRef: string, range: DateRange) {
    return this.knex('costscope_rollup_daily as r')
      .where('r.entity_ref', entityRef)
      .whereBetween('r.usage_date', [range.from, range.to]);
  }

  private async total(
    entityRef: string,
    range: DateRange,
    basis: CostBasis,
  ): Promise<bigint> {
    const row = await this.rollup(entityRef, range).first(
      this.knex.raw(`${sumOf(costColumn('r', basis))} as cost`),
    );
    return nanos(row?.cost);
  }

  /**
   * The cost summary of an entity in three reads, whatever its size:
   * 1. its rollup rows in the range grouped by rule and dimensions, with the previous range's
   *    total in the same statement (every breakdown, the rules and the entities come from it);
   * 2. at the same time, the mapping rules of the entities below it, with their keys that
   *    overlap other rules;
   * 3. only when there are such keys: their facts in the range, by key (after 2, still
   *    while 1 runs).
   */
  async summary(
    entityRef: string,
    range: DateRange,
    amounts: Amounts,
    /** Entities hidden from the caller: their cost is one {@link NOT_VISIBLE_KEY} line. */
    hidden: ReadonlySet<string> = NOTHING_HIDDEN,
  ): Promise<EntityCostSummary> {
    const costSum = sumOf(costColumn('r', amounts.costBasis));
    const previous = previousRange(range.from, range.to);
    // Two statements, not one UNION ALL: PostgreSQL plans a UNION ALL of two aggregates as a
    // Parallel Append, whose workers took 60 ms to start for a component's 0.1 ms of reads.
    const previousRead = this.rollup(entityRef, previous)
      .select(this.knex.raw(`${costSum} as cost`))
      .first();
    const rowsRead = this.rollup(entityRef, range)
      .select(...SUMMARY_ROW_COLUMNS)
      .select(this.knex.raw(`${costSum} as cost`))
      .groupBy(...SUMMARY_ROW_COLUMNS);
    // The rules, then the overlaps' facts, are read while the rollup rows are.
    const rulesRead = this.rulesBelow(entityRef).then(async below => ({
      ...below,
      overlaps: await this.overlapCosts(
        below.overlapKeys,
        range,
        amounts.costBasis,
      ),
    }));
    const [previousRow, rows, below]: [
      { cost: unknown } | undefined,
      SummaryRow[],
      Awaited<typeof rulesRead>,
    ] = await Promise.all([previousRead, rowsRead, rulesRead]);
    const rules = await this.withRulesById(below.rules, [
      ...new Set(
        rows.flatMap(row =>
          row.rule_id === null ? [] : [Number(row.rule_id)],
        ),
      ),
    ]);
    return summaryAnswer(
      entityRef,
      range,
      amounts,
      {
        previousTotal: nanos(previousRow?.cost),
        rows,
        ruleOf: id => rules.get(id),
        ownRules: [...rules.values()].filter(
          rule => rule.entity_ref === entityRef,
        ),
        overlaps: below.overlaps,
      },
      hidden,
    );
  }

  /** The ids of the mapping rules of these entities. */
  private async ruleIdsOf(
    entityRefs: ReadonlySet<string>,
  ): Promise<Set<number>> {
    const refs = [...entityRefs];
    const ids = new Set<number>();
    for (let i = 0; i < refs.length; i += IN_CHUNK) {
      for (const row of await this.knex('costscope_alloc_rules')
        .whereIn('entity_ref', refs.slice(i, i + IN_CHUNK))
        .select('id')) {
        ids.add(Number(row.id));
      }
    }
    return ids;
  }

  /**
   * The mapping rules of the entity and of every entity below it (those whose cost rolls up
   * into it), each with its allocation keys that other rules also matched.
   */
  private async rulesBelow(
    entityRef: string,
  ): Promise<{ rules: Map<number, RuleRow>; overlapKeys: OverlapKey[] }> {
    const rows: Array<
      RuleRow & {
        alloc_key: string | null;
        tags: string | null;
        overlaps: string | null;
      }
    > = await this.knex('costscope_entity_ancestors as a')
      .join('costscope_alloc_rules as ru', 'ru.entity_ref', 'a.entity_ref')
      .leftJoin('costscope_alloc_keys as k', join =>
        join.on('k.rule_id', 'ru.id').andOnNotNull('k.overlaps'),
      )
      .where('a.ancestor_ref', entityRef)
      .select('ru.id', 'ru.entity_ref', 'ru.origin', 'ru.rule')
      .select('k.alloc_key', 'k.tags', 'k.overlaps');
    const rules = new Map<number, RuleRow>();
    const overlapKeys: OverlapKey[] = [];
    for (const row of rows) {
      const id = Number(row.id);
      rules.set(id, {
        id,
        entity_ref: row.entity_ref,
        origin: row.origin,
        rule: row.rule,
      });
      if (row.alloc_key !== null && row.overlaps !== null) {
        overlapKeys.push({
          allocKey: row.alloc_key,
          winner: row.entity_ref,
          tags: row.tags ?? '{}',
          overlaps: row.overlaps,
        });
      }
    }
    return { rules, overlapKeys };
  }

  /**
   * The rules plus those of these ids it lacks: rules that brought cost but are not below the
   * entity in the ancestors table (the organisation's own rollup), read by id.
   */
  private async withRulesById(
    rules: Map<number, RuleRow>,
    ids: number[],
  ): Promise<Map<number, RuleRow>> {
    const missing = ids.filter(id => !rules.has(id));
    for (let i = 0; i < missing.length; i += IN_CHUNK) {
      for (const row of await this.knex('costscope_alloc_rules')
        .whereIn('id', missing.slice(i, i + IN_CHUNK))
        .select('id', 'entity_ref', 'origin', 'rule')) {
        rules.set(Number(row.id), { ...row, id: Number(row.id) });
      }
    }
    return rules;
  }

  /**
   * The overlapping keys that had facts in the range, with their cost, read from the facts of
   * those keys only (by key and day, an indexed read).
   */
  async overlapCosts(
    keys: OverlapKey[],
    range: DateRange,
    basis: CostBasis,
  ): Promise<Array<OverlapKey & { cost: bigint }>> {
    if (keys.length === 0) return [];
    const costs = new Map<string, bigint>();
    for (let i = 0; i < keys.length; i += IN_CHUNK) {
      const rows = await this.knex('costscope_cost_facts as f')
        .whereIn(
          'f.alloc_key',
          keys.slice(i, i + IN_CHUNK).map(key => key.allocKey),
        )
        .whereBetween('f.usage_date', [range.from, range.to])
        .select('f.alloc_key')
        .select(this.knex.raw(`${sumOf(costColumn('f', basis))} as cost`))
        .groupBy('f.alloc_key');
      for (const row of rows) costs.set(row.alloc_key, nanos(row.cost));
    }
    return keys.flatMap(key => {
      const cost = costs.get(key.allocKey);
      return cost === undefined ? [] : [{ ...key, cost }];
    });
  }

  async series(
    entityRef: string,
    range: DateRange,
    groupBy: SeriesGroupBy,
    amounts: Amounts,
    /** Entities hidden from the caller: their cost is the {@link NOT_VISIBLE_KEY} key. */
    hidden: ReadonlySet<string> = NOTHING_HIDDEN,
  ): Promise<CostSeries> {
    const [column, noKey] = SERIES_COLUMNS[groupBy];
    const hiddenIds = await this.ruleIdsOf(hidden);
    let query = this.rollup(entityRef, range)
      .select({ date: 'r.usage_date' })
      .select(this.knex.raw(`${column} as key`))
      .select(
        this.knex.raw(`${sumOf(costColumn('r', amounts.costBasis))} as cost`),
      )
      .groupByRaw(`r.usage_date, ${column}`);
    if (hiddenIds.size > 0) {
      // By rule too, so that hidden entities' rows can be told apart and merged.
      query = query.select('r.rule_id').groupBy('r.rule_id');
    }
    const rows: Array<{
      date: string;
      key: string | null;
      cost: unknown;
      rule_id?: unknown;
    }> = await query;
    const byDay = new Map<string, Map<string, bigint>>();
    const keyTotals = new Map<string, bigint>();
    for (const row of rows) {
      const cost = nanos(row.cost);
      const key =
        row.rule_id !== undefined &&
        row.rule_id !== null &&
        hiddenIds.has(Number(row.rule_id))
          ? NOT_VISIBLE_KEY
          : row.key || noKey;
      if (!byDay.has(row.date)) byDay.set(row.date, new Map());
      const day = byDay.get(row.date)!;
      day.set(key, (day.get(key) ?? 0n) + cost);
      keyTotals.set(key, (keyTotals.get(key) ?? 0n) + cost);
    }
    const keys = [...keyTotals.entries()]
      .sort((a, b) => {
        // Largest first; BigInt has no subtraction-to-number, so compare explicitly.
        if (a[1] !== b[1]) return b[1] > a[1] ? 1 : -1;
        return a[0].localeCompare(b[0]);
      })
      .map(([key]) => key);
    return {
      entityRef,
      ...amounts,
      from: range.from,
      to: range.to,
      groupBy,
      keys,
      points: eachDay(range.from, range.to).map(date => {
        const values = byDay.get(date) ?? new Map<string, bigint>();
        let total = 0n;
        const money: Record<string, string> = {};
        for (const [key, cost] of values) {
          total += cost;
          money[key] = nanosToMoney(cost);
        }
        return { date, total: nanosToMoney(total), values: money };
      }),
    };
  }

  /** Resources whose cost reached the entity (or, for the org ref, the unallocated ones). */
  async resources(
    entityRef: string,
    range: DateRange,
    limit: number,
    amounts: Amounts,
    /** Entities hidden from the caller: their resources are left out, their sum is `notVisible`. */
    hidden: ReadonlySet<string> = NOTHING_HIDDEN,
  ): Promise<ResourceCostList> {
    const basis = amounts.costBasis;
    const unallocated = entityRef === ORG_REF;
    const hiddenRefs = unallocated ? [] : [...hidden];
    let query = this.knex('costscope_cost_facts as f')
      .join('costscope_alloc_keys as k', 'k.alloc_key', 'f.alloc_key')
      .whereBetween('f.usage_date', [range.from, range.to]);
    if (unallocated) {
      query = query
        .whereNull('k.rule_id')
        .select(this.knex.raw('NULL as entity_ref'));
    } else {
      query = query
        .join('costscope_alloc_rules as ru', 'ru.id', 'k.rule_id')
        .join(
          'costscope_entity_ancestors as a',
          'a.entity_ref',
          'ru.entity_ref',
        )
        .where('a.ancestor_ref', entityRef)
        .select('ru.entity_ref');
      for (let i = 0; i < hiddenRefs.length; i += IN_CHUNK) {
        query = query.whereNotIn(
          'ru.entity_ref',
          hiddenRefs.slice(i, i + IN_CHUNK),
        );
      }
    }
    const rows = await query
      .select(
        'f.resource_id',
        'f.provider',
        'f.sub_account_id',
        'f.service_name',
      )
      .select(
        this.knex.raw(
          'MAX(f.region) as region, MAX(f.resource_name) as resource_name, MAX(f.resource_type) as resource_type',
        ),
      )
      .select(this.knex.raw(`${sumOf(costColumn('f', basis))} as cost`))
      // What a converted resource cost in the currency it was billed in: shown when all its
      // facts of the range were converted from the same currency.
      .select(
        this.knex.raw(
          `${sumOf(`f.original_${basis}_nanos`)} as original_cost,
           MIN(f.original_currency) as original_currency,
           MAX(f.original_currency) as original_currency_max,
           COUNT(f.original_currency) as converted_facts, COUNT(*) as facts`,
        ),
      )
      .groupBy(
        'f.resource_id',
        'f.provider',
        'f.sub_account_id',
        'f.service_name',
        ...(unallocated ? [] : ['ru.entity_ref']),
      )
      .orderByRaw(`SUM(${costColumn('f', basis)}) DESC`)
      .limit(limit);

    const total = unallocated
      ? nanos(
          (
            await this.rollup(ORG_REF, range)
              .whereNull('r.rule_id')
              .first(this.knex.raw(`${sumOf(costColumn('r', basis))} as cost`))
          )?.cost,
        )
      : await this.total(entityRef, range, basis);
    const resources: ResourceCost[] = rows.map(row => {
      const cost = nanos(row.cost);
      return {
        resourceId: row.resource_id,
        resourceName: row.resource_name ?? undefined,
        resourceType: row.resource_type ?? undefined,
        provider: row.provider,
        account: row.sub_account_id,
        region: row.region || undefined,
        service: row.service_name,
        entityRef: row.entity_ref ?? undefined,
        cost: nanosToMoney(cost),
        share: shareOf(cost, total),
        ...(row.original_currency &&
        row.original_currency === row.original_currency_max &&
        Number(row.converted_facts) === Number(row.facts)
          ? {
              originalCost: {
                currency: row.original_currency,
                cost: nanosToMoney(nanos(row.original_cost)),
              },
            }
          : {}),
      };
    });
    return {
      entityRef,
      ...amounts,
      from: range.from,
      to: range.to,
      total: nanosToMoney(total),
      resources,
      ...(hiddenRefs.length > 0
        ? {
            notVisible: nanosToMoney(
              await this.costOfRules(
                entityRef,
                range,
                await this.ruleIdsOf(hidden),
                basis,
              ),
            ),
          }
        : {}),
    };
  }

  /** The entity's rolled-up cost that came through these rules. */
  private async costOfRules(
    entityRef: string,
    range: DateRange,
    ruleIds: Set<number>,
    basis: CostBasis,
  ): Promise<bigint> {
    const ids = [...ruleIds];
    let sum = 0n;
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const row = await this.rollup(entityRef, range)
        .whereIn('r.rule_id', ids.slice(i, i + IN_CHUNK))
        .first(this.knex.raw(`${sumOf(costColumn('r', basis))} as cost`));
      sum += nanos(row?.cost);
    }
    return sum;
  }

  async overview(range: DateRange, amounts: Amounts): Promise<CostOverview> {
    const column = costColumn('r', amounts.costBasis);
    const costSum = () => this.knex.raw(`${sumOf(column)} as cost`);
    const [
      total,
      allocatedRow,
      unallocatedByService,
      unallocatedResources,
      groups,
      through,
      chargeCategories,
    ] = await Promise.all([
      this.total(ORG_REF, range, amounts.costBasis),
      this.rollup(ORG_REF, range).whereNotNull('r.rule_id').first(costSum()),
      this.rollup(ORG_REF, range)
        .whereNull('r.rule_id')
        .select({ key: 'r.service_name' })
        .select(costSum())
        .groupBy('r.service_name')
        .orderByRaw(`SUM(${column}) DESC`),
      this.resources(ORG_REF, range, 20, amounts),
      this.knex('costscope_rollup_daily as r')
        .join('costscope_entities as e', 'e.entity_ref', 'r.entity_ref')
        .where('e.kind', 'group')
        .whereNull('e.parent_ref')
        .whereBetween('r.usage_date', [range.from, range.to])
        .select({ key: 'r.entity_ref' })
        .select(costSum())
        .groupBy('r.entity_ref')
        .orderByRaw(`SUM(${column}) DESC`),
      this.knex('costscope_rollup_daily')
        .where({ entity_ref: ORG_REF })
        .max({ day: 'usage_date' })
        .first(),
      this.rollup(ORG_REF, range)
        .select({ key: 'r.charge_category' })
        .select(costSum())
        .groupBy('r.charge_category')
        .orderByRaw(`SUM(${column}) DESC`),
    ]);
    const allocated = nanos(allocatedRow?.cost);
    return {
      from: range.from,
      to: range.to,
      ...amounts,
      total: nanosToMoney(total),
      allocated: nanosToMoney(allocated),
      unallocated: nanosToMoney(total - allocated),
      allocatedShare: shareOf(allocated, total),
      unallocatedByService: breakdown(unallocatedByService, total - allocated),
      topUnallocatedResources: unallocatedResources.resources,
      byGroup: breakdown(groups, total),
      byChargeCategory: breakdown(chargeCategories, total),
      dataThrough: through?.day ?? undefined,
    };
  }
}
