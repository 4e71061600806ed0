import {
  CommitmentSummary,
  CostBasis,
  CostOverview,
  CostQuery,
  ResourceCostList,
  DateRange,
  EntityKubernetesCost,
  SeriesGroupBy,
} from '@costscope/backstage-plugin-common';
import { KubernetesCostReader } from '../kubernetes/KubernetesCostReader';
import { commitmentMonths } from '../commitments/commitmentMonths';
import { reportedCommitments } from '../commitments/reportedCommitments';
import { CommitmentQueries } from '../store/CommitmentQueries';
import { CommitmentReportStore } from '../store/CommitmentReportStore';
import { Amounts, CostQueries } from '../store/CostQueries';
import { KeptSummaryStore } from '../store/KeptSummaryStore';
import { RollupReadCache } from '../store/RollupReadCache';
import {
  EVERYTHING_VISIBLE,
  KubernetesCallerVisibility,
  seesEverything,
  unknownEntityError,
  Visibility,
} from './access';
import { hideBreakdownEntities } from './hideEntities';
import { JsonAnswer } from '../lib/gzippedJson';
import { CostReadService, JsonText } from './services';

export interface DefaultCostReadServiceOptions {
  queries: CostQueries;
  commitments: CommitmentQueries;
  /** Providers' own commitment reports; none when absent. */
  reportedCommitments?: Pick<CommitmentReportStore, 'list'>;
  /**
   * Keeps summaries, series and Kubernetes answers per rollup version; without it every
   * request reads.
   */
  readCache?: RollupReadCache;
  /**
   * Summaries computed at rebuild time for the range pages open on: a first visit by a caller
   * who sees every entity below is one read of them. Without it every summary is aggregated.
   */
  keptSummaries?: Pick<KeptSummaryStore, 'read'>;
  /** Billing currency from config, used before any data exists. */
  currency: string;
  /** The basis of requests that name none (`costscope.costBasis`). */
  costBasis: CostBasis;
  /** Reads the Kubernetes split; without it entities have no Kubernetes cost. */
  kubernetes?: KubernetesCostReader;
}

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();
const NOTHING_HIDDEN_IN_KUBERNETES: KubernetesCallerVisibility = {
  below: EVERYTHING_VISIBLE,
  organisation: async () => EVERYTHING_VISIBLE,
};

/** Reads of the allocated rollups, summaries and series through the read cache. */
export class DefaultCostReadService implements CostReadService {
  constructor(private readonly options: DefaultCostReadServiceOptions) {}

  currency(): Promise<string> {
    return this.options.queries.currency(this.options.currency);
  }

  async summary(
    entityRef: string,
    query: CostQuery,
    visibility: Visibility = EVERYTHING_VISIBLE,
  ): Promise<JsonAnswer> {
    const range = this.resolve(query);
    // Kept for callers who see everything, and sent as it was kept; never through the read
    // cache, which keeps text.
    if (seesEverything(visibility)) {
      const kept = await this.options.keptSummaries?.read(
        entityRef,
        range.costBasis,
        range,
      );
      if (kept) return kept;
    }
    return this.cached(
      [
        'summary',
        entityRef,
        range.from,
        range.to,
        range.costBasis,
        visibility.key,
      ],
      async () => {
        const [[ref, amounts], hidden] = await this.knownWithHidden(
          entityRef,
          range,
          visibility,
        );
        return this.options.queries.summary(ref, range, amounts, hidden);
      },
    );
  }

  series(
    entityRef: string,
    query: CostQuery,
    groupBy: SeriesGroupBy,
    visibility: Visibility = EVERYTHING_VISIBLE,
  ): Promise<JsonText> {
    const range = this.resolve(query);
    return this.cached(
      [
        'series',
        entityRef,
        range.from,
        range.to,
        range.costBasis,
        groupBy,
        visibility.key,
      ],
      async () => {
        const [[ref, amounts], hidden] = await this.knownWithHidden(
          entityRef,
          range,
          visibility,
        );
        return this.options.queries.series(
          ref,
          range,
          groupBy,
          amounts,
          hidden,
        );
      },
    );
  }

  async resources(
    entityRef: string,
    query: CostQuery,
    limit: number,
    hidden: ReadonlySet<string> = NOTHING_HIDDEN,
  ): Promise<ResourceCostList> {
    const range = this.resolve(query);
    const [ref, amounts] = await this.knownWithAmounts(entityRef, range);
    return this.options.queries.resources(ref, range, limit, amounts, hidden);
  }

  async kubernetes(
    entityRef: string,
    query: CostQuery,
    visibility: KubernetesCallerVisibility = NOTHING_HIDDEN_IN_KUBERNETES,
  ): Promise<JsonText> {
    const range = this.resolve(query);
    const reader = this.options.kubernetes;
    // Only an owner's answer shows what the organisation hides: only then does it key it.
    const organisation = reader?.ownsCluster(entityRef)
      ? await visibility.organisation()
      : undefined;
    // The split's parts are written by the allocation that gives the rollups a new version,
    // and OpenCost's stored answers just before it: the version keys both.
    return this.cached(
      [
        'kubernetes',
        entityRef,
        range.from,
        range.to,
        range.costBasis,
        visibility.below.key,
        organisation?.key ?? '',
      ],
      async (): Promise<EntityKubernetesCost> => {
        const [ref, amounts] = await this.knownWithAmounts(entityRef, range);
        if (!reader) {
          return {
            entityRef: ref,
            ...amounts,
            from: range.from,
            to: range.to,
            total: '0.000000000',
            workloads: [],
            clusters: [],
          };
        }
        return reader.entity(ref, range, amounts, {
          below: () => visibility.below.hidden(),
          organisation: async () =>
            organisation ? organisation.hidden() : NOTHING_HIDDEN,
        });
      },
    );
  }

  async overview(
    query: CostQuery,
    hidden: ReadonlySet<string> = NOTHING_HIDDEN,
  ): Promise<CostOverview> {
    const range = this.resolve(query);
    const overview = await this.options.queries.overview(range, {
      currency: await this.currency(),
      costBasis: range.costBasis,
    });
    return {
      ...overview,
      byGroup: hideBreakdownEntities(overview.byGroup, hidden, overview.total),
    };
  }

  async commitments(range: DateRange): Promise<CommitmentSummary> {
    const [currency, sums, reported] = await Promise.all([
      this.currency(),
      this.options.commitments.monthly(range),
      this.options.reportedCommitments?.list(
        range.from.slice(0, 7),
        range.to.slice(0, 7),
      ) ?? [],
    ]);
    return {
      currency,
      from: range.from,
      to: range.to,
      months: commitmentMonths(range, sums),
      reported: reportedCommitments(reported),
    };
  }

  /** The query with its basis: the configured one when it names none. */
  private resolve(query: CostQuery): Required<CostQuery> {
    return { ...query, costBasis: query.costBasis ?? this.options.costBasis };
  }

  /**
   * The entity (NotFoundError when unknown) and what the answer's amounts are (the currency
   * is read at the same time).
   */
  private async knownWithAmounts(
    entityRef: string,
    query: Required<CostQuery>,
  ): Promise<[string, Amounts]> {
    const [known, currency] = await Promise.all([
      this.options.queries.entityExists(entityRef),
      this.currency(),
    ]);
    if (!known) throw unknownEntityError(entityRef);
    return [entityRef, { currency, costBasis: query.costBasis }];
  }

  /**
   * {@link knownWithAmounts} and the hidden set, read at the same time rather than one
   * after the other (the hidden set below an entity the snapshot lacks is read empty).
   */
  private knownWithHidden(
    entityRef: string,
    query: Required<CostQuery>,
    visibility: Visibility,
  ): Promise<[[string, Amounts], ReadonlySet<string>]> {
    return Promise.all([
      this.knownWithAmounts(entityRef, query),
      visibility.hidden(),
    ]);
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
