import { Knex } from 'knex';
import { DateRange } from '@costscope/backstage-plugin-common';

/** One month's commitment sums, nano-units. */
export interface CommitmentMonthSums {
  /** `YYYY-MM`. */
  month: string;
  eligibleListNanos: bigint;
  coveredListNanos: bigint;
  eligibleEffectiveNanos: bigint;
  usedNanos: bigint;
  unusedNanos: bigint;
}

/**
 * Usage a commitment can cover: what one did cover, and other compute usage (FOCUS service
 * category Compute, where Savings Plans and reservations apply). Unused commitment is no usage.
 */
const ELIGIBLE = `(f.commitment_status = 'Used'
  OR (f.commitment_status IS NULL AND f.service_category = 'Compute'))`;

const sumWhere = (condition: string, column: string, name: string) =>
  `CAST(SUM(CASE WHEN ${condition} THEN f.${column} ELSE 0 END) AS TEXT) AS ${name}`;

/**
 * Commitment figures from the organisation's facts. They read facts, not rollups: who the
 * usage belongs to does not matter here, whether a commitment covered it does, and only
 * facts know that.
 */
export class CommitmentQueries {
  constructor(private readonly knex: Knex) {}

  /**
   * Sums per calendar month of the range, for the months with usage. With `entityRef`, only
   * of the facts allocated to it and to every entity whose cost rolls up into it (through
   * their allocation keys' rules, as the resource totals read them): a team's own usage.
   */
  async monthly(
    range: DateRange,
    entityRef?: string,
  ): Promise<CommitmentMonthSums[]> {
    const month = 'substr(f.usage_date, 1, 7)';
    const facts = this.knex('costscope_cost_facts as f');
    if (entityRef !== undefined) {
      facts
        .join('costscope_alloc_keys as k', 'k.alloc_key', 'f.alloc_key')
        .join('costscope_alloc_rules as ru', 'ru.id', 'k.rule_id')
        .join(
          'costscope_entity_ancestors as a',
          'a.entity_ref',
          'ru.entity_ref',
        )
        .where('a.ancestor_ref', entityRef.toLocaleLowerCase('en-US'));
    }
    const rows = await facts
      .where('f.charge_category', 'Usage')
      .whereBetween('f.usage_date', [range.from, range.to])
      .select(
        this.knex.raw(`${month} AS month`),
        this.knex.raw(sumWhere(ELIGIBLE, 'list_nanos', 'eligible_list')),
        this.knex.raw(
          sumWhere("f.commitment_status = 'Used'", 'list_nanos', 'covered'),
        ),
        this.knex.raw(
          sumWhere(ELIGIBLE, 'effective_nanos', 'eligible_effective'),
        ),
        this.knex.raw(
          sumWhere("f.commitment_status = 'Used'", 'effective_nanos', 'used'),
        ),
        this.knex.raw(
          sumWhere(
            "f.commitment_status = 'Unused'",
            'effective_nanos',
            'unused',
          ),
        ),
      )
      .groupByRaw(month)
      .orderByRaw(month);
    return rows.map(row => ({
      month: row.month,
      eligibleListNanos: BigInt(row.eligible_list ?? 0),
      coveredListNanos: BigInt(row.covered ?? 0),
      eligibleEffectiveNanos: BigInt(row.eligible_effective ?? 0),
      usedNanos: BigInt(row.used ?? 0),
      unusedNanos: BigInt(row.unused ?? 0),
    }));
  }
}
