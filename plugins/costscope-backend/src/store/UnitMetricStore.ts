import { Knex } from 'knex';
import { DateRange } from '@costscope/backstage-plugin-common';
import { MAX_BIGINT } from './factColumns';
import { UnitMetricOrigin, UnitMetricRow } from './types';

/** Rows per INSERT: 6 bound values each, well within every SQLite build's variable limit. */
const INSERT_CHUNK = 100;

/** Daily metric values in nano-units keyed by UTC day. */
export type DailyValues = Map<string, bigint>;

/** Business metric values per entity, metric and day: the denominators of unit cost. */
export class UnitMetricStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Stores the values in one transaction, each replacing the entity's value of that metric
   * and day (so that sending a day again is idempotent); all or nothing. Returns the count.
   */
  async upsert(
    rows: UnitMetricRow[],
    source: UnitMetricOrigin,
    now: Date = new Date(),
  ): Promise<number> {
    // SQLite would keep an out-of-range value as a float: refuse it before writing anything.
    const bad = rows.find(
      row => row.valueNanos < 0n || row.valueNanos > MAX_BIGINT,
    );
    if (bad) {
      throw new Error(
        `the ${bad.metric} value of ${bad.entityRef} on ${bad.day} is beyond the storable range`,
      );
    }
    const updatedAt = now.toISOString();
    await this.knex.transaction(async tx => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx('costscope_unit_metrics')
          .insert(
            rows.slice(i, i + INSERT_CHUNK).map(row => ({
              entity_ref: row.entityRef,
              metric: row.metric,
              day: row.day,
              // A string, not a BigInt: both drivers store it exactly in a BIGINT column.
              value_nanos: row.valueNanos.toString(),
              updated_at: updatedAt,
              source,
            })),
          )
          .onConflict(['entity_ref', 'metric', 'day'])
          .merge(['value_nanos', 'updated_at', 'source']);
      }
    });
    return rows.length;
  }

  /** The entity's values of the metric in the range, by day (days without a value absent). */
  async dailyValues(
    entityRef: string,
    metric: string,
    range: DateRange,
  ): Promise<DailyValues> {
    const rows: Array<{ day: string; value: string }> = await this.knex(
      'costscope_unit_metrics',
    )
      .where({ entity_ref: entityRef, metric })
      .whereBetween('day', [range.from, range.to])
      .select('day', this.knex.raw('CAST(value_nanos AS TEXT) as value'));
    return new Map(rows.map(row => [row.day, BigInt(row.value)]));
  }

  /**
   * The values of the metric summed by day over these (lower-case) refs, exactly: the units
   * of a team's unit cost.
   */
  async dailyValuesOf(
    entityRefs: string[],
    metric: string,
    range: DateRange,
  ): Promise<DailyValues> {
    const sums: DailyValues = new Map();
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows: Array<{ day: string; value: string }> = await this.knex(
        'costscope_unit_metrics',
      )
        .whereIn('entity_ref', entityRefs.slice(i, i + 500))
        .where({ metric })
        .whereBetween('day', [range.from, range.to])
        .select('day', this.knex.raw('CAST(SUM(value_nanos) AS TEXT) as value'))
        .groupBy('day');
      for (const row of rows) {
        sums.set(row.day, (sums.get(row.day) ?? 0n) + BigInt(row.value));
      }
    }
    return sums;
  }

  /**
   * Per metric, the entities that report it among the entity and those whose cost rolls up
   * into it (the allocation's `costscope_entity_ancestors`), leaving out any whose cost rolls
   * up into another of them: a component's orders are already in its system's cost and, when
   * the system reports orders too, in its orders. Refs sorted.
   */
  async reportersBelow(entityRef: string): Promise<Map<string, string[]>> {
    const ref = entityRef.toLocaleLowerCase('en-US');
    // The entity itself, and what rolls up into it.
    const within = (column: string) => (q: Knex.QueryBuilder) =>
      q
        .where(column, ref)
        .orWhereIn(column, below =>
          below
            .select('entity_ref')
            .from('costscope_entity_ancestors')
            .where('ancestor_ref', ref),
        );
    const rows: Array<{ entity_ref: string; metric: string }> = await this.knex
      .select('m.entity_ref', 'm.metric')
      .from(
        this.knex('costscope_unit_metrics')
          .distinct('entity_ref', 'metric')
          .as('m'),
      )
      .where(within('m.entity_ref'))
      .whereNotExists(above =>
        above
          .select(this.knex.raw('1'))
          .from('costscope_entity_ancestors as a')
          .whereRaw('a.entity_ref = m.entity_ref')
          .whereRaw('a.ancestor_ref <> m.entity_ref')
          .where(within('a.ancestor_ref'))
          .whereExists(reports =>
            reports
              .select(this.knex.raw('1'))
              .from('costscope_unit_metrics as m2')
              .whereRaw('m2.entity_ref = a.ancestor_ref')
              .whereRaw('m2.metric = m.metric'),
          ),
      )
      .orderBy(['m.metric', 'm.entity_ref']);
    const byMetric = new Map<string, string[]>();
    for (const row of rows) {
      byMetric.set(row.metric, [
        ...(byMetric.get(row.metric) ?? []),
        row.entity_ref,
      ]);
    }
    return byMetric;
  }

  /** The metrics the entity has any value of, in any range. */
  async metricsOf(entityRef: string): Promise<Set<string>> {
    const rows: Array<{ metric: string }> = await this.knex(
      'costscope_unit_metrics',
    )
      .where({ entity_ref: entityRef })
      .distinct('metric');
    return new Set(rows.map(row => row.metric));
  }

  /** Of these (lower-case) refs, those with values of any metric, and which metrics. */
  async metricsOfEntities(
    entityRefs: string[],
  ): Promise<Array<{ entityRef: string; metric: string }>> {
    const found: Array<{ entityRef: string; metric: string }> = [];
    // SQLite allows 999 parameters per statement.
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows: Array<{ entity_ref: string; metric: string }> =
        await this.knex('costscope_unit_metrics')
          .whereIn('entity_ref', entityRefs.slice(i, i + 500))
          .distinct('entity_ref', 'metric')
          .orderBy(['entity_ref', 'metric']);
      found.push(
        ...rows.map(row => ({ entityRef: row.entity_ref, metric: row.metric })),
      );
    }
    return found;
  }
}
