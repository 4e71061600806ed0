import { Knex } from 'knex';
import { InventoryResource } from '@costscope/backstage-plugin-node';
import { markInventoryChanged } from './KeptReportStore';
import { takeWriteLock } from './writeLock';

const INSERT_CHUNK = 200;

/** Stores the resources each inventory source sees now, with their utilisation. */
export class InventoryStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Replaces a source's snapshot in one transaction: readers see the previous snapshot or
   * the new one, and a failed read never leaves half of one. Reports kept from the previous
   * snapshot go in the same transaction.
   */
  async replaceSnapshot(
    sourceId: string,
    resources: InventoryResource[],
    observedAt: string,
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      // Under the lock a kept report checks the inventory version with: see KeptReportStore.
      await takeWriteLock(tx);
      await markInventoryChanged(tx);
      await tx('costscope_utilisation').where({ source_id: sourceId }).delete();
      await tx('costscope_inventory').where({ source_id: sourceId }).delete();
      for (let i = 0; i < resources.length; i += INSERT_CHUNK) {
        const chunk = resources.slice(i, i + INSERT_CHUNK);
        await tx('costscope_inventory').insert(
          chunk.map(resource => ({
            source_id: sourceId,
            resource_id: resource.resourceId,
            provider: resource.provider,
            account_id: resource.accountId,
            region: resource.region,
            kind: resource.kind,
            name: resource.name ?? null,
            state: resource.state ?? null,
            type: resource.type ?? null,
            size_gib: resource.sizeGiB ?? null,
            attached_to: resource.attachedTo ?? null,
            created_at: resource.createdAt ?? null,
            tags: JSON.stringify(resource.tags),
            observed_at: observedAt,
          })),
        );
        const series = chunk.flatMap(resource =>
          (resource.utilisation ?? []).map(s => ({
            source_id: sourceId,
            resource_id: resource.resourceId,
            metric: s.metric,
            period_seconds: s.periodSeconds,
            points: JSON.stringify(s.points),
          })),
        );
        if (series.length > 0) {
          await tx('costscope_utilisation').insert(series);
        }
      }
    });
  }

  /**
   * The regions of every source's resources, per provider (lower-case), each once: read as
   * distinct pairs, without the resources and their utilisation.
   */
  async regionsByProvider(): Promise<Map<string, string[]>> {
    const rows: Array<{ provider: string; region: string }> = await this.knex(
      'costscope_inventory',
    )
      .distinct('provider', 'region')
      .orderBy(['provider', 'region']);
    const regions = new Map<string, string[]>();
    for (const row of rows) {
      const provider = row.provider.toLowerCase();
      const list = regions.get(provider) ?? [];
      if (!list.includes(row.region)) list.push(row.region);
      regions.set(provider, list);
    }
    return regions;
  }

  /** The stored resources, with utilisation, of one source or of all. */
  async listResources(sourceId?: string): Promise<InventoryResource[]> {
    const query = this.knex('costscope_inventory').orderBy([
      'source_id',
      'resource_id',
    ]);
    if (sourceId) query.where({ source_id: sourceId });
    const rows = await query;
    const seriesQuery = this.knex('costscope_utilisation');
    if (sourceId) seriesQuery.where({ source_id: sourceId });
    const seriesByResource = new Map<
      string,
      InventoryResource['utilisation']
    >();
    for (const row of await seriesQuery.orderBy('metric')) {
      const key = `${row.source_id}\n${row.resource_id}`;
      const list = seriesByResource.get(key) ?? [];
      list.push({
        metric: row.metric,
        periodSeconds: Number(row.period_seconds),
        points: JSON.parse(row.points),
      });
      seriesByResource.set(key, list);
    }
    return rows.map(row => ({
      provider: row.provider,
      accountId: row.account_id,
      region: row.region,
      resourceId: row.resource_id,
      kind: row.kind,
      name: row.name ?? undefined,
      state: row.state ?? undefined,
      type: row.type ?? undefined,
      sizeGiB: row.size_gib === null ? undefined : Number(row.size_gib),
      attachedTo: row.attached_to ?? undefined,
      createdAt: row.created_at ?? undefined,
      tags: JSON.parse(row.tags),
      utilisation: seriesByResource.get(`${row.source_id}\n${row.resource_id}`),
    }));
  }
}
