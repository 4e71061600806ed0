import {
  CostOverview,
  DateRange,
  ResourceCostList,
  SeriesGroupBy,
} from '@costscope/backstage-plugin-common';
import { CostQueries } from '../store/CostQueries';
import { RollupReadCache } from '../store/RollupReadCache';
import { EVERYTHING_VISIBLE, unknownEntityError, Visibility } from './access';
import { hideBreakdownEntities } from './hideEntities';
import { CostReadService, JsonText } from './services';

export interface DefaultCostReadServiceOptions {
  queries: CostQueries;
  /** Keeps summaries and series per rollup version; without it every request reads. */
  readCache?: RollupReadCache;
  /** Billing currency from config, used before any data exists. */
  currency: string;
}

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

/** Reads of the allocated rollups, summaries and series through the read cache. */
export class DefaultCostReadService implements CostReadService {
  constructor(private readonly options: DefaultCostReadServiceOptions) {}

  currency(): Promise<string> {
    return this.options.queries.currency(this.options.currency);
  }

  summary(
    entityRef: string,
    range: DateRange,
    visibility: Visibility = EVERYTHING_VISIBLE,
  ): Promise<JsonText> {
    // Kept by the visibility's key: a kept answer needs no hidden set computed.
    return this.cached(
      ['summary', entityRef, range.from, range.to, visibility.key],
      async () => {
        const [ref, currency] = await this.knownWithCurrency(entityRef);
        const hidden = await visibility.hidden();
        return this.options.queries.summary(ref, range, currency, hidden);
      },
    );
  }

  series(
    entityRef: string,
    range: DateRange,
    groupBy: SeriesGroupBy,
    visibility: Visibility = EVERYTHING_VISIBLE,
  ): Promise<JsonText> {
    return this.cached(
      ['series', entityRef, range.from, range.to, groupBy, visibility.key],
      async () => {
        const [ref, currency] = await this.knownWithCurrency(entityRef);
        const hidden = await visibility.hidden();
        return this.options.queries.series(
          ref,
          range,
          groupBy,
          currency,
          hidden,
        );
      },
    );
  }

  async resources(
    entityRef: string,
    range: DateRange,
    limit: number,
    hidden: ReadonlySet<string> = NOTHING_HIDDEN,
  ): Promise<ResourceCostList> {
    const [ref, currency] = await this.knownWithCurrency(entityRef);
    return this.options.queries.resources(ref, range, limit, currency, hidden);
  }

  async overview(
    range: DateRange,
    hidden: ReadonlySet<string> = NOTHING_HIDDEN,
  ): Promise<CostOverview> {
    const overview = await this.options.queries.overview(
      range,
      await this.currency(),
    );
    return {
      ...overview,
      byGroup: hideBreakdownEntities(overview.byGroup, hidden, overview.total),
    };
  }

  /** The entity (NotFoundError when unknown) and the currency, read at the same time. */
  private async knownWithCurrency(
    entityRef: string,
  ): Promise<[string, string]> {
    const [known, currency] = await Promise.all([
      this.options.queries.entityExists(entityRef),
      this.currency(),
    ]);
    if (!known) throw unknownEntityError(entityRef);
    return [entityRef, currency];
  }

  /** The answer from the read cache when there is one (a 404 is never kept). */
  private async cached(
    parts: string[],
    compute: () => Promise<unknown>,
  ): Promise<JsonText> {
    const { readCache } = this.options;
    if (!readCache) return JSON.stringify(await compute());
    return readCache.json([...parts, this.options.currency], compute);
  }
}
