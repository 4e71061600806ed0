import { Knex } from 'knex';
import { ClusterNodeSelector } from './types';

const CHUNK = 500;

/** OpenCost's allocations of one cluster-day as stored (the reader's shape, kept as JSON). */
export interface StoredOpenCostDay {
  day: string;
  allocations: unknown[];
  fetchedAt: string;
}

/** One part of the last split, as stored (amounts in nano-units). */
export interface StoredKubernetesPart {
  cluster: string;
  usageDate: string;
  ruleId: number | null;
  kind: string;
  namespace: string | null;
  workload: string;
  billedNanos: bigint;
  effectiveNanos: bigint;
}

/** OpenCost's answers as last read, and what the last split wrote. */
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

  async readDays(cluster: string): Promise<StoredOpenCostDay[]> {
    const rows = await this.knex('costscope_opencost_days')
      .where({ cluster })
      .orderBy('usage_date')
      .select('usage_date', 'allocations', 'fetched_at');
    return rows.map(row => ({
      day: row.usage_date,
      allocations: JSON.parse(row.allocations),
      fetchedAt: row.fetched_at,
    }));
  }

  /** Replaces the stored answers of these days in one transaction. */
  async writeDays(
    cluster: string,
    days: Array<{ day: string; allocations: unknown[] }>,
    fetchedAt: string,
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      for (let i = 0; i < days.length; i += CHUNK) {
        const chunk = days.slice(i, i + CHUNK);
        await tx('costscope_opencost_days')
          .where({ cluster })
          .whereIn(
            'usage_date',
            chunk.map(d => d.day),
          )
          .delete();
        await tx('costscope_opencost_days').insert(
          chunk.map(d => ({
            cluster,
            usage_date: d.day,
            allocations: JSON.stringify(d.allocations),
            fetched_at: fetchedAt,
          })),
        );
      }
    });
  }

  /** The parts the last allocation wrote, for checks and explanations. */
  async parts(cluster?: string): Promise<StoredKubernetesPart[]> {
    let query = this.knex('costscope_k8s_parts').select(
      'cluster',
      'usage_date',
      'rule_id',
      'part_kind',
      'namespace',
      'workload',
      this.knex.raw('CAST(billed_nanos AS TEXT) as billed'),
      this.knex.raw('CAST(effective_nanos AS TEXT) as effective'),
    );
    if (cluster) query = query.where({ cluster });
    const rows = await query.orderBy(['usage_date', 'workload', 'id']);
    return rows.map(row => ({
      cluster: row.cluster,
      usageDate: row.usage_date,
      ruleId: row.rule_id === null ? null : Number(row.rule_id),
      kind: row.part_kind,
      namespace: row.namespace,
      workload: row.workload,
      billedNanos: BigInt(row.billed),
      effectiveNanos: BigInt(row.effective),
    }));
  }
}
