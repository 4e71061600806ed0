import fs from 'node:fs/promises';
import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { RecommendationPriceStatus } from '@costscope/backstage-plugin-common';
import {
  PriceReadContext,
  PriceSnapshot,
  PriceSource,
} from '@costscope/backstage-plugin-node';
import { PriceStore } from '../store/PriceStore';
import {
  createPriceTable,
  PRICE_REMEDY,
  PriceTable,
  pricesFromSnapshot,
} from './priceTable';

/**
 * Prices change a few times a year; a daily read catches a change within a day. The first read
 * comes before the first inventory read (5 s), so a fresh start's tips are priced at once.
 */
export const PRICE_REFRESH_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 24 },
  timeout: { minutes: 30 },
  initialDelay: { seconds: 2 },
};

/** The provider whose prices the rules read (the only one the rules price today). */
const PRICED_PROVIDER = 'AWS';

/**
 * The built-in price source `prices-file`: a JSON file in the shape of a `PriceSnapshot`
 * (`costscope.recommendations.prices.file`), such as the demo's examples/prices/aws-prices.json.
 */
export class PriceFileSource implements PriceSource {
  readonly id = 'prices-file';
  readonly description: string;
  constructor(
    private readonly path: string,
    readonly provider = PRICED_PROVIDER,
  ) {
    this.description = `prices file ${path}`;
  }

  async read(): Promise<PriceSnapshot> {
    let text: string;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (error) {
      throw new Error(
        `costscope.recommendations.prices.file: cannot read ${this.path}: ${
          (error as Error).message
        }`,
      );
    }
    try {
      return JSON.parse(text) as PriceSnapshot;
    } catch (error) {
      throw new Error(
        `costscope.recommendations.prices.file: ${this.path} is not JSON: ${
          (error as Error).message
        }`,
      );
    }
  }
}

export interface PriceCacheOptions {
  store: PriceStore;
  /** The price sources, in priority order: a later source's price wins over an earlier one's. */
  sources: PriceSource[];
  /** The regions of the stored inventory, per provider (as the inventory spells it). */
  inventoryRegions(): Promise<Map<string, string[]>>;
  /** How often a source without its own schedule is read; daily when absent. */
  schedule?: SchedulerServiceTaskScheduleDefinition;
  /** Called after a refresh that stored new prices (recommendations are computed again). */
  afterChange?(): Promise<void>;
  logger: LoggerService;
}

/** What one refresh of one source did. */
export interface PriceRefreshOutcome {
  sourceId: string;
  status: 'succeeded' | 'failed';
  prices: number;
  error?: string;
}

/**
 * The price cache: reads each price source daily (or on its own schedule) into the database,
 * and serves the rules a {@link PriceTable} over what is stored. A failed read keeps the
 * source's previous prices, records the error beside them and logs it; page views and
 * recommendation runs never call a cloud API.
 */
export class PriceCache {
  constructor(private readonly options: PriceCacheOptions) {
    const ids = new Set<string>();
    for (const source of options.sources) {
      if (ids.has(source.id)) {
        throw new Error(
          `Costscope price source id '${source.id}' is used twice`,
        );
      }
      ids.add(source.id);
    }
  }

  async start(scheduler: SchedulerService): Promise<void> {
    for (const source of this.options.sources) {
      await scheduler.scheduleTask({
        id: `costscope-prices-${source.id}`,
        ...(source.schedule ?? this.options.schedule ?? PRICE_REFRESH_SCHEDULE),
        fn: async () => {
          const outcome = await this.refresh(source.id);
          if (outcome.status === 'succeeded') {
            await this.options.afterChange?.();
          }
        },
      });
    }
  }

  /** Reads one source now and replaces its cached prices; never throws. */
  async refresh(
    sourceId: string,
    now: Date = new Date(),
  ): Promise<PriceRefreshOutcome> {
    const { store, logger } = this.options;
    const source = this.options.sources.find(s => s.id === sourceId);
    if (!source) throw new Error(`Costscope has no price source '${sourceId}'`);
    const started = Date.now();
    let calls = 0;
    try {
      const regions = (await this.options.inventoryRegions()).get(
        source.provider.toLowerCase(),
      );
      const context: PriceReadContext = {
        logger: logger.child({ priceSource: source.id }),
        regions: [...(regions ?? [])].sort(),
        apiCall: () => {
          calls++;
        },
      };
      const snapshot = await source.read(context);
      const where = `price source ${source.id}`;
      if (snapshot?.provider?.toUpperCase() !== source.provider.toUpperCase()) {
        throw new Error(
          `${where}: read prices of provider '${snapshot?.provider}', expected '${source.provider}'`,
        );
      }
      const rows = pricesFromSnapshot(snapshot, where);
      await store.replace(
        {
          sourceId: source.id,
          provider: source.provider.toUpperCase(),
          currency: snapshot.currency,
        },
        rows,
        now,
      );
      logger.info(
        `Costscope price source ${source.id} stored ${rows.length} prices in ${
          new Set(rows.map(r => r.region)).size
        } region(s), ${calls} API call(s), ${Date.now() - started} ms`,
      );
      return { sourceId: source.id, status: 'succeeded', prices: rows.length };
    } catch (error) {
      const message = `${(error as Error)?.name ?? 'Error'}: ${
        (error as Error)?.message ?? String(error)
      }`;
      logger.error(
        `Costscope price source ${source.id} failed, its previous prices stay: ${message}`,
      );
      try {
        await store.recordFailure(
          { sourceId: source.id, provider: source.provider.toUpperCase() },
          message,
          now,
        );
      } catch (recordError) {
        logger.error(
          `Costscope could not record the failure of price source ${source.id}: ${recordError}`,
        );
      }
      return {
        sourceId: source.id,
        status: 'failed',
        prices: 0,
        error: message,
      };
    }
  }

  /** Reads every source now, one after the other. */
  async refreshAll(now: Date = new Date()): Promise<PriceRefreshOutcome[]> {
    const outcomes: PriceRefreshOutcome[] = [];
    for (const source of this.options.sources) {
      outcomes.push(await this.refresh(source.id, now));
    }
    return outcomes;
  }

  /** The cached prices in `currency` as a table (see {@link readPriceTable}). */
  table(currency: string): Promise<PriceTable> {
    return readPriceTable(
      this.options.store,
      this.options.sources.map(source => source.id),
      currency,
    );
  }
}

/**
 * The cached prices in `currency` (the billing currency) as a table, the sources' prices in
 * the order of `sourceIds` (a later source wins where two price one key); a source in another
 * currency is left out. Without any, an empty table whose gaps say what to configure (or,
 * when prices exist only in another currency, name that currency).
 */
export async function readPriceTable(
  store: PriceStore,
  sourceIds: string[],
  currency: string,
): Promise<PriceTable> {
  const known = new Map(
    (await store.sources()).map(row => [row.sourceId, row]),
  );
  const usable = sourceIds
    .map(id => known.get(id))
    .filter(
      row =>
        row?.refreshedAt !== undefined &&
        row.provider === PRICED_PROVIDER &&
        row.currency === currency,
    ) as Array<{ sourceId: string; refreshedAt: string }>;
  const prices = [];
  for (const row of usable) {
    prices.push(...(await store.prices(row.sourceId)));
  }
  const newest = usable
    .map(row => row.refreshedAt)
    .sort()
    .pop();
  const otherCurrency = [...known.values()].find(
    row => row.refreshedAt && row.currency !== currency,
  );
  return createPriceTable({
    provider: PRICED_PROVIDER,
    currency: usable.length ? currency : otherCurrency?.currency ?? currency,
    date: newest ? newest.slice(0, 10) : '',
    source: usable.length
      ? `prices from ${usable.map(row => row.sourceId).join(', ')}`
      : '',
    remedy: PRICE_REMEDY,
    prices,
  });
}

/**
 * How the last refresh of each configured source went, in `sourceIds` order: its last
 * successful refresh and, when its last attempt failed, why (its previous prices are then the
 * ones used). A source never tried yet is left out.
 */
export async function readPriceStatus(
  store: PriceStore,
  sourceIds: string[],
): Promise<RecommendationPriceStatus[]> {
  const known = new Map(
    (await store.sources()).map(row => [row.sourceId, row]),
  );
  return sourceIds.flatMap(id => {
    const row = known.get(id);
    if (!row) return [];
    return [
      {
        source: id,
        ...(row.refreshedAt ? { refreshedAt: row.refreshedAt } : {}),
        attemptedAt: row.lastAttemptAt,
        ...(row.lastError ? { error: row.lastError } : {}),
      },
    ];
  });
}
