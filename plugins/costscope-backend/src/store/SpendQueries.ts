import { Knex } from 'knex';
import { dayBounds } from './dayBounds';
import { CostBasis, DateRange } from '@costscope/backstage-plugin-common';
import { ORG_REF } from './AllocationStore';
import { costColumn } from './costSums';

const sumOf = (column: string) => `CAST(SUM(${column}) AS TEXT)`;

/** Daily amounts in nano-units keyed by UTC day. */
export type DailyTotals = Map<string, bigint>;

/**
 * Reads for budgets and alerts: daily totals for forecasts and anomaly baselines, and
 * breakdowns for cost drivers. All from the rolled-up table except per-resource amounts.
 */
export class SpendQueries {
  constructor(private readonly knex: Knex) {}

  /** The last day with any cost data, or undefined before the first ingest. */
  async lastCostDay(): Promise<string | undefined> {
    return (await this.costDays()).last;
  }

  /** The first and last days with any cost data, both undefined before the first ingest. */
  async costDays(): Promise<{ first?: string; last?: string }> {
    return dayBounds(() =>
      this.knex('costscope_rollup_daily').where({ entity_ref: ORG_REF }),
    );
  }

  /** An entity's daily totals (rolled up) in the range, on a basis (default billed). */
  async dailyTotals(
    entityRef: string,
    range: DateRange,
    basis: CostBasis = 'billed',
  ): Promise<DailyTotals> {
    const rows = await this.knex('costscope_rollup_daily as r')
      .where({ 'r.entity_ref': entityRef })
      .whereBetween('r.usage_date', [range.from, range.to])
      .select({ day: 'r.usage_date' })
      .select(this.knex.raw(`${sumOf(costColumn('r', basis))} as cost`))
      .groupBy('r.usage_date');
    return new Map(rows.map(row => [row.day, BigInt(row.cost)]));
  }

  /**
   * The daily totals (rolled up) of these entities added together, exactly, in one read per
   * 500 refs: the cost a team's unit cost divides. The refs must not roll up into each other.
   */
  async dailyTotalsOf(
    entityRefs: string[],
    range: DateRange,
    basis: CostBasis = 'billed',
  ): Promise<DailyTotals> {
    if (entityRefs.length === 1) {
      return this.dailyTotals(entityRefs[0], range, basis);
    }
    const sums: DailyTotals = new Map();
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.knex('costscope_rollup_daily as r')
        .whereIn('r.entity_ref', entityRefs.slice(i, i + 500))
        .whereBetween('r.usage_date', [range.from, range.to])
        .select({ day: 'r.usage_date' })
        .select(this.knex.raw(`${sumOf(costColumn('r', basis))} as cost`))
        .groupBy('r.usage_date');
      for (const row of rows) {
        sums.set(row.day, (sums.get(row.day) ?? 0n) + BigInt(row.cost));
      }
    }
    return sums;
  }

  /** Daily totals of every entity of a kind, in one read, on a basis (default billed). */
  async dailyTotalsOfKind(
    kind: string,
    range: DateRange,
    basis: CostBasis = 'billed',
  ): Promise<Map<string, DailyTotals>> {
    const rows = await this.knex('costscope_rollup_daily as r')
      .join('costscope_entities as e', 'e.entity_ref', 'r.entity_ref')
      .where('e.kind', kind)
      .whereBetween('r.usage_date', [range.from, range.to])
      .select({ ref: 'r.entity_ref', day: 'r.usage_date' })
      .select(this.knex.raw(`${sumOf(costColumn('r', basis))} as cost`))
      .groupBy('r.entity_ref', 'r.usage_date');
    const byEntity = new Map<string, DailyTotals>();
    for (const row of rows) {
      if (!byEntity.has(row.ref)) byEntity.set(row.ref, new Map());
      byEntity.get(row.ref)!.set(row.day, BigInt(row.cost));
    }
    return byEntity;
  }

  /** An entity's cost per service in the range, on a basis (default billed). */
  async serviceTotals(
    entityRef: string,
    range: DateRange,
    basis: CostBasis = 'billed',
  ): Promise<Map<string, bigint>> {
    const rows = await this.knex('costscope_rollup_daily as r')
      .where({ 'r.entity_ref': entityRef })
      .whereBetween('r.usage_date', [range.from, range.to])
      .select({ key: 'r.service_name' })
      .select(this.knex.raw(`${sumOf(costColumn('r', basis))} as cost`))
      .groupBy('r.service_name');
    return new Map(rows.map(row => [row.key, BigInt(row.cost)]));
  }

  /**
   * An entity's cost per resource (with its service) in the range, from the facts, on a
   * basis (default billed).
   */
  async resourceTotals(
    entityRef: string,
    range: DateRange,
    basis: CostBasis = 'billed',
  ): Promise<Map<string, { service: string; cost: bigint }>> {
    const rows = await this.knex('costscope_cost_facts as f')
      .join('costscope_alloc_keys as k', 'k.alloc_key', 'f.alloc_key')
      .join('costscope_alloc_rules as ru', 'ru.id', 'k.rule_id')
      .join('costscope_entity_ancestors as a', 'a.entity_ref', 'ru.entity_ref')
      .where('a.ancestor_ref', entityRef)
      .whereBetween('f.usage_date', [range.from, range.to])
      .whereNot('f.resource_id', '')
      .select({ id: 'f.resource_id', service: 'f.service_name' })
      .select(this.knex.raw(`${sumOf(costColumn('f', basis))} as cost`))
      .groupBy('f.resource_id', 'f.service_name');
    return new Map(
      rows.map(row => [
        row.id,
        { service: row.service, cost: BigInt(row.cost) },
      ]),
    );
  }
}
