import { Knex } from 'knex';
import { CostBasis, DateRange } from '@costscope/backstage-plugin-common';
import {
  ClusterNodeSelector,
  KubernetesPartDay,
  KubernetesSplitBy,
  KubernetesSplitResource,
} from './types';

const CHUNK = 500;

/** OpenCost's answers as last read (the allocation reads them in its transaction). */
export class KubernetesStore {
  constructor(private readonly knex: Knex) {}

  /**
   * The days on which the cluster's nodes have cost in the bill that the bill did not split
   * itself (those OpenCost is asked about), sorted.
   */
  async nodeDays(selector: ClusterNodeSelector): Promise<string[]> {
    const days = new Set<string>();
    for (const read of this.nodeReads(selector)) {
      const rows = await read(
        this.knex('costscope_cost_facts').whereNull('allocated_method_id'),
      ).distinct('usage_date');
      for (const row of rows) days.add(row.usage_date);
    }
    return [...days].sort();
  }

  /**
   * The methods by which the bill split the cluster's node cost itself, sorted, each with the
   * usage units of its AllocatedMethodDetails elements (sorted; none when it gave no details).
   */
  async billSplitMethods(
    selector: ClusterNodeSelector,
  ): Promise<Array<{ method: string; units: string[] }>> {
    const methods = new Map<string, Set<string>>();
    const pg = this.knex.client.config.client === 'pg';
    for (const read of this.nodeReads(selector)) {
      const rows = await read(
        this.knex('costscope_cost_facts').whereNotNull('allocated_method_id'),
      ).distinct('allocated_method_id');
      for (const row of rows)
        if (!methods.has(row.allocated_method_id))
          methods.set(row.allocated_method_id, new Set());
      // The elements of the stored details, one row per element.
      const units = await read(
        this.knex
          .from(
            this.knex.raw(
              pg
                ? `costscope_cost_facts, json_array_elements((allocated_method_details::json) -> 'Elements') AS e(value)`
                : `costscope_cost_facts, json_each(allocated_method_details, '$.Elements') AS e`,
            ),
          )
          .whereNotNull('allocated_method_id')
          .whereNotNull('allocated_method_details'),
      ).distinct(
        'allocated_method_id',
        this.knex.raw(
          pg
            ? `e.value ->> 'UsageUnit' AS unit`
            : `json_extract(e.value, '$.UsageUnit') AS unit`,
        ),
      );
      for (const row of units)
        if (row.unit !== null)
          methods.get(row.allocated_method_id)?.add(row.unit);
    }
    return [...methods]
      .sort(([a], [b]) => (a < b ? -1 : Number(a > b)))
      .map(([method, units]) => ({ method, units: [...units].sort() }));
  }

  /** Filters that together find the selector's facts (a fact may pass more than one). */
  private nodeReads(
    selector: ClusterNodeSelector,
  ): Array<(q: Knex.QueryBuilder) => Knex.QueryBuilder> {
    const reads: Array<(q: Knex.QueryBuilder) => Knex.QueryBuilder> = [];
    for (let i = 0; i < selector.allocKeys.length; i += CHUNK) {
      const chunk = selector.allocKeys.slice(i, i + CHUNK);
      reads.push(q => q.whereIn('alloc_key', chunk));
    }
    for (const prefix of selector.resourceIdPrefixes) {
      reads.push(q =>
        q.whereRaw('substr(resource_id, 1, ?) = ?', [prefix.length, prefix]),
      );
    }
    return reads;
  }

  /** When each stored day was read, without the answers. */
  async fetchedAt(cluster: string): Promise<Map<string, string>> {
    const rows = await this.knex('costscope_opencost_days')
      .where({ cluster })
      .select('usage_date', 'fetched_at');
    return new Map(rows.map(row => [row.usage_date, row.fetched_at]));
  }

  /** Replaces the stored answers of these days in one transaction. */
  async writeDays(
    cluster: string,
    days: Array<{ day: string; allocations: unknown[] }>,
    fetchedAt: string,
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      // Small chunks: a day of a large cluster is megabytes of JSON.
      for (let i = 0; i < days.length; i += 50) {
        // An upsert: two instances reading the same days must not collide on the key.
        await tx('costscope_opencost_days')
          .insert(
            days.slice(i, i + 50).map(d => ({
              cluster,
              usage_date: d.day,
              allocations: JSON.stringify(d.allocations),
              fetched_at: fetchedAt,
            })),
          )
          .onConflict(['cluster', 'usage_date'])
          .merge();
      }
    });
  }

  /** The parts of the last allocation whose cost reached the entity (or one below it), per day. */
  async entityParts(
    entityRef: string,
    range: DateRange,
    basis: CostBasis,
  ): Promise<KubernetesPartDay[]> {
    return this.parts(range, basis, q =>
      q
        .join('costscope_entity_ancestors as a', 'a.entity_ref', 'r.entity_ref')
        .where('a.ancestor_ref', entityRef),
    );
  }

  /** Every part of the cluster's split, per day. */
  async clusterParts(
    cluster: string,
    range: DateRange,
    basis: CostBasis,
  ): Promise<KubernetesPartDay[]> {
    return this.parts(range, basis, q => q.where('p.cluster', cluster));
  }

  /** OpenCost's stored answers of the cluster's days in the range. */
  async openCostDays(
    cluster: string,
    range: DateRange,
  ): Promise<Map<string, unknown[]>> {
    const rows = await this.knex('costscope_opencost_days')
      .where({ cluster })
      .whereBetween('usage_date', [range.from, range.to])
      .select('usage_date', 'allocations');
    return new Map(
      rows.map(row => [row.usage_date, JSON.parse(row.allocations)]),
    );
  }

  private async parts(
    range: DateRange,
    basis: CostBasis,
    filter: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
  ): Promise<KubernetesPartDay[]> {
    const columns = [
      'p.cluster',
      'p.usage_date',
      'p.part_kind',
      'p.namespace',
      'p.workload',
      'p.split_by',
      'p.split_resource',
      'r.entity_ref',
    ];
    const rows = await filter(
      this.knex('costscope_k8s_parts as p')
        .leftJoin('costscope_alloc_rules as r', 'r.id', 'p.rule_id')
        .whereBetween('p.usage_date', [range.from, range.to]),
    )
      .select(columns)
      .select(this.knex.raw(`CAST(SUM(p.${basis}_nanos) AS TEXT) as nanos`))
      .groupBy(columns);
    return rows.map(
      (row: Record<string, string | null>): KubernetesPartDay => ({
        cluster: row.cluster!,
        day: row.usage_date!,
        kind: row.part_kind!,
        namespace: row.namespace,
        workload: row.workload!,
        splitBy: row.split_by as KubernetesSplitBy,
        resource: row.split_resource as KubernetesSplitResource,
        entityRef: row.entity_ref,
        nanos: BigInt(row.nanos ?? '0'),
      }),
    );
  }
}
