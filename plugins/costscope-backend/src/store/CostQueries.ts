import { Knex } from 'knex';
import {
  AllocationOverlap,
  CostBreakdownItem,
  CostOverview,
  CostSeries,
  DateRange,
  EntityCostSummary,
  MappingRuleUsage,
  nanosToMoney,
  ResourceCost,
  ResourceCostList,
  SeriesGroupBy,
} from '@costscope/backstage-plugin-common';
import { eachDay, previousRange } from '../lib/dates';
import { ORG_REF } from './AllocationStore';

/** Exact sum as text: both SQLite and PostgreSQL sum BIGINT exactly; text keeps it exact in JS. */
const sumOf = (column: string) => `CAST(SUM(${column}) AS TEXT)`;

const SERIES_COLUMNS: Record<SeriesGroupBy, string> = {
  service: 'service_name',
  account: 'sub_account_id',
  region: 'region',
  provider: 'provider',
};

function nanos(value: unknown): bigint {
  return value === null || value === undefined ? 0n : BigInt(String(value));
}

function share(part: bigint, total: bigint): number | null {
  return total === 0n ? null : Number((part * 1_000_000n) / total) / 1_000_000;
}

function breakdown(
  rows: Array<{ key: string; cost: unknown }>,
  total: bigint,
): CostBreakdownItem[] {
  return rows.map(row => {
    const cost = nanos(row.cost);
    return {
      key: row.key,
      cost: nanosToMoney(cost),
      share: share(cost, total),
    };
  });
}

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

  /** The configured currency of stored facts; the first found when several exist. */
  async currency(fallback: string): Promise<string> {
    const row = await this.knex('costscope_rollup_daily')
      .where({ entity_ref: ORG_REF })
      .first('currency');
    return row?.currency ?? fallback;
  }

  private rollup(entityRef: string, range: DateRange) {
    return this.knex('costscope_rollup_daily as r')
      .where('r.entity_ref', entityRef)
      .whereBetween('r.usage_date', [range.from, range.to]);
  }

  private async total(entityRef: string, range: DateRange): Promise<bigint> {
    const row = await this.rollup(entityRef, range).first(
      this.knex.raw(`${sumOf('r.billed_nanos')} as cost`),
    );
    return nanos(row?.cost);
  }

  private async breakdownBy(
    entityRef: string,
    range: DateRange,
    column: string,
    total: bigint,
  ) {
    const rows = await this.rollup(entityRef, range)
      .select({ key: `r.${column}` })
      .select(this.knex.raw(`${sumOf('r.billed_nanos')} as cost`))
      .groupBy(`r.${column}`)
      .orderByRaw('SUM(r.billed_nanos) DESC');
    return breakdown(rows, total);
  }

  async summary(
    entityRef: string,
    range: DateRange,
    currency: string,
  ): Promise<EntityCostSummary> {
    const previous = previousRange(range.from, range.to);
    const [total, previousTotal] = await Promise.all([
      this.total(entityRef, range),
      this.total(entityRef, previous),
    ]);
    const [byService, byAccount, byRegion, byProvider] = await Promise.all(
      ['service_name', 'sub_account_id', 'region', 'provider'].map(column =>
        this.breakdownBy(entityRef, range, column, total),
      ),
    );
    const byEntityRows = await this.rollup(entityRef, range)
      .join('costscope_alloc_rules as ru', 'ru.id', 'r.rule_id')
      .select({ key: 'ru.entity_ref' })
      .select(this.knex.raw(`${sumOf('r.billed_nanos')} as cost`))
      .groupBy('ru.entity_ref')
      .orderByRaw('SUM(r.billed_nanos) DESC');

    return {
      entityRef,
      currency,
      from: range.from,
      to: range.to,
      total: nanosToMoney(total),
      previous: { ...previous, total: nanosToMoney(previousTotal) },
      change: nanosToMoney(total - previousTotal),
      changeRatio:
        previousTotal === 0n
          ? null
          : Number(
              ((total - previousTotal) * 1_000_000n) /
                (previousTotal < 0n ? -previousTotal : previousTotal),
            ) / 1_000_000,
      byService,
      byAccount,
      byRegion,
      byProvider,
      byEntity: breakdown(byEntityRows, total),
      mappingRules: await this.mappingRules(entityRef, range),
      overlaps: await this.overlaps(entityRef, range),
    };
  }

  /** Rules that brought cost in the range, and the entity's own rules even when they matched nothing. */
  private async mappingRules(
    entityRef: string,
    range: DateRange,
  ): Promise<MappingRuleUsage[]> {
    const used = await this.rollup(entityRef, range)
      .join('costscope_alloc_rules as ru', 'ru.id', 'r.rule_id')
      .select('ru.id', 'ru.entity_ref', 'ru.origin', 'ru.rule')
      .select(this.knex.raw(`${sumOf('r.billed_nanos')} as cost`))
      .groupBy('ru.id', 'ru.entity_ref', 'ru.origin', 'ru.rule')
      .orderByRaw('SUM(r.billed_nanos) DESC');
    const own = await this.knex('costscope_alloc_rules')
      .where({ entity_ref: entityRef })
      .orderBy('id');
    const seen = new Set(used.map(row => row.id));
    return [
      ...used,
      ...own
        .filter(row => !seen.has(row.id))
        .map(row => ({ ...row, cost: '0' })),
    ].map(row => ({
      entityRef: row.entity_ref,
      origin: row.origin,
      rule: row.rule,
      cost: nanosToMoney(nanos(row.cost)),
    }));
  }

  private async overlaps(
    entityRef: string,
    range: DateRange,
  ): Promise<AllocationOverlap[]> {
    const rows = await this.knex('costscope_cost_facts as f')
      .join('costscope_alloc_keys as k', 'k.alloc_key', 'f.alloc_key')
      .join('costscope_alloc_rules as ru', 'ru.id', 'k.rule_id')
      .join('costscope_entity_ancestors as a', 'a.entity_ref', 'ru.entity_ref')
      .where('a.ancestor_ref', entityRef)
      .whereNotNull('k.overlaps')
      .whereBetween('f.usage_date', [range.from, range.to])
      .select('ru.entity_ref', 'k.tags', 'k.overlaps')
      .select(this.knex.raw(`${sumOf('f.billed_nanos')} as cost`))
      .groupBy('ru.entity_ref', 'k.tags', 'k.overlaps')
      .orderByRaw('SUM(f.billed_nanos) DESC');
    return rows.map(row => ({
      winner: row.entity_ref,
      others: JSON.parse(row.overlaps),
      tags: Object.entries(JSON.parse(row.tags) as Record<string, string>)
        .map(([key, value]) => `${key}=${value}`)
        .join(', '),
      cost: nanosToMoney(nanos(row.cost)),
    }));
  }

  async series(
    entityRef: string,
    range: DateRange,
    groupBy: SeriesGroupBy,
    currency: string,
  ): Promise<CostSeries> {
    const column = SERIES_COLUMNS[groupBy];
    const rows = await this.rollup(entityRef, range)
      .select({ date: 'r.usage_date', key: `r.${column}` })
      .select(this.knex.raw(`${sumOf('r.billed_nanos')} as cost`))
      .groupBy('r.usage_date', `r.${column}`);
    const byDay = new Map<string, Map<string, bigint>>();
    const keyTotals = new Map<string, bigint>();
    for (const row of rows) {
      const cost = nanos(row.cost);
      const key = row.key || '(none)';
      if (!byDay.has(row.date)) byDay.set(row.date, new Map());
      byDay.get(row.date)!.set(key, cost);
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
      currency,
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
    currency: string,
  ): Promise<ResourceCostList> {
    const unallocated = entityRef === ORG_REF;
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
      .select(this.knex.raw(`${sumOf('f.billed_nanos')} as cost`))
      .groupBy(
        'f.resource_id',
        'f.provider',
        'f.sub_account_id',
        'f.service_name',
        ...(unallocated ? [] : ['ru.entity_ref']),
      )
      .orderByRaw('SUM(f.billed_nanos) DESC')
      .limit(limit);

    const total = unallocated
      ? nanos(
          (
            await this.rollup(ORG_REF, range)
              .whereNull('r.rule_id')
              .first(this.knex.raw(`${sumOf('r.billed_nanos')} as cost`))
          )?.cost,
        )
      : await this.total(entityRef, range);
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
        share: share(cost, total),
      };
    });
    return {
      entityRef,
      currency,
      from: range.from,
      to: range.to,
      total: nanosToMoney(total),
      resources,
    };
  }

  async overview(range: DateRange, currency: string): Promise<CostOverview> {
    const [
      total,
      allocatedRow,
      unallocatedByService,
      unallocatedResources,
      groups,
      through,
    ] = await Promise.all([
      this.total(ORG_REF, range),
      this.rollup(ORG_REF, range)
        .whereNotNull('r.rule_id')
        .first(this.knex.raw(`${sumOf('r.billed_nanos')} as cost`)),
      this.rollup(ORG_REF, range)
        .whereNull('r.rule_id')
        .select({ key: 'r.service_name' })
        .select(this.knex.raw(`${sumOf('r.billed_nanos')} as cost`))
        .groupBy('r.service_name')
        .orderByRaw('SUM(r.billed_nanos) DESC'),
      this.resources(ORG_REF, range, 20, currency),
      this.knex('costscope_rollup_daily as r')
        .join('costscope_entities as e', 'e.entity_ref', 'r.entity_ref')
        .where('e.kind', 'group')
        .whereNull('e.parent_ref')
        .whereBetween('r.usage_date', [range.from, range.to])
        .select({ key: 'r.entity_ref' })
        .select(this.knex.raw(`${sumOf('r.billed_nanos')} as cost`))
        .groupBy('r.entity_ref')
        .orderByRaw('SUM(r.billed_nanos) DESC'),
      this.knex('costscope_rollup_daily')
        .where({ entity_ref: ORG_REF })
        .max({ day: 'usage_date' })
        .first(),
    ]);
    const allocated = nanos(allocatedRow?.cost);
    return {
      from: range.from,
      to: range.to,
      currency,
      total: nanosToMoney(total),
      allocated: nanosToMoney(allocated),
      unallocated: nanosToMoney(total - allocated),
      allocatedShare: share(allocated, total),
      unallocatedByService: breakdown(unallocatedByService, total - allocated),
      topUnallocatedResources: unallocatedResources.resources,
      byGroup: breakdown(groups, total),
      dataThrough: through?.day ?? undefined,
    };
  }
}
