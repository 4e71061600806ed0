import { Knex } from 'knex';
import { MAX_BIGINT } from './factColumns';
import { PriceRow, PriceSourceRow } from './types';

/** Rows per INSERT: 9 bound values each, well within every SQLite build's variable limit. */
const INSERT_CHUNK = 100;

/** The cached prices of every price source, and each source's last refresh. */
export class PriceStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Replaces the source's prices whole, in one transaction: readers see the old prices or the
   * new ones, never a mix.
   */
  async replace(
    source: { sourceId: string; provider: string; currency: string },
    rows: PriceRow[],
    now: Date = new Date(),
  ): Promise<void> {
    const bad = rows.find(
      row => row.priceNanos <= 0n || row.priceNanos > MAX_BIGINT,
    );
    if (bad) {
      throw new Error(
        `the price of ${bad.kind} '${bad.key}' in ${bad.region} is not a storable positive amount`,
      );
    }
    const at = now.toISOString();
    await this.knex.transaction(async tx => {
      await tx('costscope_prices').where('source_id', source.sourceId).delete();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx('costscope_prices').insert(
          rows.slice(i, i + INSERT_CHUNK).map(row => ({
            source_id: source.sourceId,
            region: row.region,
            kind: row.kind,
            price_key: row.key,
            // A string, not a BigInt: both drivers store it exactly in a BIGINT column.
            price_nanos: row.priceNanos.toString(),
            vcpu: row.vcpu ?? null,
            memory_mib: row.memoryMiB ?? null,
            architecture: row.architecture ?? null,
            gpus: row.gpus ?? null,
          })),
        );
      }
      await tx('costscope_price_sources')
        .insert({
          source_id: source.sourceId,
          provider: source.provider,
          currency: source.currency,
          refreshed_at: at,
          price_count: rows.length,
          last_attempt_at: at,
          last_error: null,
        })
        .onConflict('source_id')
        .merge();
    });
  }

  /** Records a failed refresh; the source's prices stay as they were. */
  async recordFailure(
    source: { sourceId: string; provider: string; currency?: string },
    error: string,
    now: Date = new Date(),
  ): Promise<void> {
    const at = now.toISOString();
    await this.knex('costscope_price_sources')
      .insert({
        source_id: source.sourceId,
        provider: source.provider,
        currency: source.currency ?? '',
        refreshed_at: null,
        price_count: 0,
        last_attempt_at: at,
        last_error: error.slice(0, 4000),
      })
      .onConflict('source_id')
      .merge(['last_attempt_at', 'last_error']);
  }

  /** Every source that has been refreshed or tried, by id. */
  async sources(): Promise<PriceSourceRow[]> {
    const rows = await this.knex('costscope_price_sources')
      .select()
      .orderBy('source_id');
    return rows.map(row => ({
      sourceId: row.source_id,
      provider: row.provider,
      currency: row.currency,
      ...(row.refreshed_at ? { refreshedAt: row.refreshed_at } : {}),
      priceCount: Number(row.price_count),
      lastAttemptAt: row.last_attempt_at,
      ...(row.last_error ? { lastError: row.last_error } : {}),
    }));
  }

  /** The cached prices of one source. */
  async prices(sourceId: string): Promise<PriceRow[]> {
    const rows = await this.knex('costscope_prices')
      .where('source_id', sourceId)
      .select(
        'region',
        'kind',
        'price_key',
        this.knex.raw('CAST(price_nanos AS TEXT) AS price'),
        'vcpu',
        'memory_mib',
        'architecture',
        'gpus',
      )
      .orderBy(['region', 'kind', 'price_key']);
    return rows.map(row => ({
      region: row.region,
      kind: row.kind,
      key: row.price_key,
      priceNanos: BigInt(row.price),
      ...(row.vcpu !== null ? { vcpu: Number(row.vcpu) } : {}),
      ...(row.memory_mib !== null ? { memoryMiB: Number(row.memory_mib) } : {}),
      ...(row.architecture ? { architecture: row.architecture } : {}),
      ...(row.gpus !== null ? { gpus: Number(row.gpus) } : {}),
    }));
  }
}
