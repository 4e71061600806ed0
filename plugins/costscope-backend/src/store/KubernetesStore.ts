import { Knex } from 'knex';
import { ClusterNodeSelector } from './types';

const CHUNK = 500;

/** OpenCost's answers as last read (the allocation reads them in its transaction). */
export class KubernetesStore {
  constructor(private readonly knex: Knex) {}

  /** The days on which the cluster's nodes have cost in the bill, sorted. */
  async nodeDays(selector: ClusterNodeSelector): Promise<string[]> {
    const days = new Set<string>();
    for (let i = 0; i < selector.allocKeys.length; i += CHUNK) {
      const rows = await this.knex('costscope_cost_facts')
        .whereIn('alloc_key', selector.allocKeys.slice(i, i + CHUNK))
        .distinct('usage_date');
      for (const row of rows) days.add(row.usage_date);
    }
    for (const prefix of selector.resourceIdPrefixes) {
      const rows = await this.knex('costscope_cost_facts')
        .whereRaw('substr(resource_id, 1, ?) = ?', [prefix.length, prefix])
        .distinct('usage_date');
      for (const row of rows) days.add(row.usage_date);
    }
    return [...days].sort();
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
}
