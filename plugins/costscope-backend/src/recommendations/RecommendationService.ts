import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  divideHalfEven,
  moneyToNanos,
  nanosToMoney,
  Recommendation,
  RecommendationList,
  RecommendationPriceStatus,
  RecommendationStateInput,
} from '@costscope/backstage-plugin-common';
import { InventoryResource } from '@costscope/backstage-plugin-node';
import { SerialQueue } from '../lib/SerialQueue';
import { InventoryStore } from '../store/InventoryStore';
import {
  AllocatedSkip,
  RecommendationStore,
  ResourceBillingRow,
  StoredRecommendations,
} from '../store/RecommendationStore';
import { computeRecommendations } from './computeRecommendations';
import { PriceTable } from './priceTable';
import {
  buildRecommendationList,
  evidenceChangedMaterially,
  stateOn,
} from './recommendationList';
import { RecommendationsConfig } from './recommendationsConfig';
import { purchaseWindow } from './savingsPlanPurchase';
import type { WorkloadLine } from '../kubernetes/workloadCosts';

/** Days of billing facts a resource's run rate is taken over. */
export const RUN_RATE_DAYS = 7;
/** Days of billing facts that decide which entity a resource's recommendations go to. */
export const ALLOCATION_DAYS = 30;

/** The entity ref of the organisation-wide list. */
export const ORGANISATION = 'organization';

export interface RecommendationServiceOptions {
  store: RecommendationStore;
  inventory: InventoryStore;
  /** Rule thresholds, from readRecommendationsConfig (which throws naming a bad key). */
  config: RecommendationsConfig;
  /** The billing currency: the stored one, or the configured one before any data exists. */
  currency: () => Promise<string>;
  /**
   * The entity the allocation rules give a resource's tags, for resources whose billing cost
   * is not allocated (or not billed yet); undefined when no rule matches.
   */
  entityForTags?: (
    provider: string,
    accountId: string,
    tags: Record<string, string>,
  ) => string | undefined;
  logger: LoggerService;
  /** The cached on-demand prices in the billing currency (`PriceCache.table`). */
  prices: (currency: string) => Promise<PriceTable>;
  /** How the price sources' last refreshes went (`readPriceStatus`), for the lists' `prices`. */
  priceStatus?: () => Promise<RecommendationPriceStatus[]>;
  /** The Kubernetes split's workloads over a range (KubernetesCostReader.allWorkloads). */
  kubernetesWorkloads?: (range: {
    from: string;
    to: string;
  }) => Promise<WorkloadLine[]>;
  now?: () => Date;
}

/** What one computation stored. */
export interface RecommendationRefresh {
  computedAt: string;
  recommendations: number;
  skipped: number;
  /** Ids of set-aside recommendations that came back because their evidence changed materially. */
  reopened: string[];
}

/**
 * A resource's billed cost per hour (its run rate), in nano-units rounded half up: its cost
 * over the latest `days` days that have facts for any of the resources, divided by the hours
 * of those days. A day without facts counts as a day that cost nothing (an instance stopped at
 * weekends costs less than its hourly price x 730), except before the resource's first day
 * with facts (among `rows`): a resource that appeared inside the window is priced on the days
 * since. Resources without facts inside the window, or with a negative total (credits), get
 * none and are priced from the table.
 */
export function runRates(
  rows: ResourceBillingRow[],
  days = RUN_RATE_DAYS,
): Map<string, bigint> {
  const window = [...new Set(rows.map(row => row.usageDate))]
    .sort()
    .slice(-days);
  if (window.length === 0) return new Map();
  const totals = new Map<string, bigint>();
  const firstDay = new Map<string, string>();
  for (const row of rows) {
    const first = firstDay.get(row.resourceId);
    if (first === undefined || row.usageDate < first) {
      firstDay.set(row.resourceId, row.usageDate);
    }
    if (row.usageDate < window[0]) continue;
    totals.set(
      row.resourceId,
      (totals.get(row.resourceId) ?? 0n) + row.billedNanos,
    );
  }
  const rates = new Map<string, bigint>();
  for (const [resourceId, total] of totals) {
    if (total < 0n) continue;
    const since = firstDay.get(resourceId)!;
    const hours = BigInt(window.filter(day => day >= since).length * 24);
    rates.set(resourceId, (total * 2n + hours) / (hours * 2n));
  }
  return rates;
}

/**
 * The entity each resource's billing cost went to: the one with most cost over the rows
 * (ties to the smallest ref). Unallocated cost does not count, so a resource only part of
 * whose cost is allocated goes to that entity.
 */
export function allocationOf(rows: ResourceBillingRow[]): Map<string, string> {
  const sums = new Map<string, Map<string, bigint>>();
  for (const row of rows) {
    if (!row.entityRef) continue;
    const byEntity = sums.get(row.resourceId) ?? new Map<string, bigint>();
    byEntity.set(
      row.entityRef,
      (byEntity.get(row.entityRef) ?? 0n) + row.billedNanos,
    );
    sums.set(row.resourceId, byEntity);
  }
  const result = new Map<string, string>();
  for (const [resourceId, byEntity] of sums) {
    const [best] = [...byEntity].sort(([a, x], [b, y]) => {
      if (x !== y) return x > y ? -1 : 1;
      return a < b ? -1 : 1;
    });
    result.set(resourceId, best[0]);
  }
  return result;
}

/**
 * A recommendation as a reader sees it on `today`: a snooze that ended is open, without dismissal.
 */
function asOf(recommendation: Recommendation, today: string): Recommendation {
  const state = stateOn(recommendation, today);
  if (state !== 'open') return { ...recommendation, state };
  const { dismissal, ...open } = recommendation;
  return { ...open, state };
}

/**
 * Rightsizing recommendations: computes them from the inventory and billing data, allocates each to
 * the entity its resource's cost goes to, stores them, and serves them per entity (rolled up) and
 * for the organisation with the state users gave them.
 */
export class RecommendationService {
  private readonly now: () => Date;
  private readonly queue = new SerialQueue();

  constructor(private readonly options: RecommendationServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Recomputes every recommendation from the stored inventory and facts and replaces the stored
   * ones. Calls within this process run one at a time; across instances the store's write lock
   * orders the writes.
   */
  refresh(): Promise<RecommendationRefresh> {
    return this.queue.run(() => this.refreshNow());
  }

  /**
   * An entity's recommendations, rolled up, with its share of each Savings Plan purchase whose
   * eligible usage it has a part of (counted in its total by that share).
   */
  async listForEntity(
    entityRef: string,
    today: string,
  ): Promise<RecommendationList> {
    const stored = await this.options.store.listForEntity(entityRef);
    const shares = await this.purchaseShares(entityRef);
    return this.list(
      entityRef.toLocaleLowerCase('en-US'),
      { ...stored, recommendations: [...stored.recommendations, ...shares] },
      today,
    );
  }

  /**
   * The Savings Plan purchases with the entity's share: its eligible on-demand cost in the
   * plan's window / the payer's (or account's), both read now from the same facts, so that the
   * entities' shares and the unallocated rest add up to the whole. Purchases it has no part of
   * are left out.
   */
  private async purchaseShares(entityRef: string): Promise<Recommendation[]> {
    const { store } = this.options;
    const purchases = (await store.listOfKind('savings-plan-purchase')).filter(
      p => p.savingsPlan,
    );
    if (purchases.length === 0) return [];
    const ref = entityRef.toLocaleLowerCase('en-US');
    const byWindow = new Map<string, Recommendation[]>();
    for (const p of purchases) {
      const key = `${p.currency}|${p.savingsPlan!.window.from}|${
        p.savingsPlan!.window.to
      }`;
      byWindow.set(key, [...(byWindow.get(key) ?? []), p]);
    }
    const shared: Recommendation[] = [];
    for (const group of byWindow.values()) {
      const { window } = group[0].savingsPlan!;
      const currency = group[0].currency;
      const all = await store.eligibleOnDemandTotals(window, currency);
      const own = await store.eligibleOnDemandTotals(window, currency, ref);
      for (const p of group) {
        const plan = p.savingsPlan!;
        const sum = (rows: typeof all) =>
          rows
            .filter(
              row =>
                row.provider.toLowerCase() === p.provider.toLowerCase() &&
                row.billingAccountId === plan.payerAccountId &&
                (plan.accountId === undefined ||
                  row.subAccountId === plan.accountId),
            )
            .reduce((total, row) => total + row.listNanos, 0n);
        const part = sum(own);
        const whole = sum(all);
        if (part <= 0n || whole <= 0n) continue;
        shared.push({
          ...p,
          share: {
            entityRef: ref,
            eligibleOnDemandCost: nanosToMoney(part),
            totalEligibleOnDemandCost: nanosToMoney(whole),
            percent: Number(divideHalfEven(part * 10000n, whole)) / 100,
            monthlySaving: nanosToMoney(
              divideHalfEven(moneyToNanos(p.monthlySaving) * part, whole),
            ),
          },
        });
      }
    }
    return shared;
  }

  /**
   * Every recommendation, unallocated ones included: the `limit` largest open and set-aside ones.
   */
  async listForOrganisation(
    limit: number,
    today: string,
  ): Promise<RecommendationList> {
    const stored = await this.options.store.listForOrganisation(limit, today);
    return this.list(ORGANISATION, stored, today);
  }

  /** One recommendation as it stands on `today`, or undefined. */
  async get(id: string, today: string): Promise<Recommendation | undefined> {
    const recommendation = await this.options.store.get(id);
    return recommendation && asOf(recommendation, today);
  }

  /**
   * Dismisses, snoozes or reopens a recommendation (input already validated) and returns it as it
   * stands on `today`. Throws NotFoundError for a recommendation the last computation did not make.
   */
  async setState(
    id: string,
    input: RecommendationStateInput,
    by: string,
    today: string,
  ): Promise<Recommendation> {
    const { store, logger } = this.options;
    if (input.state === 'open') {
      if (!(await store.get(id))) throw this.notFound(id);
      await store.clearDismissal(id);
    } else {
      const stored = await store.setDismissal(id, {
        state: input.state,
        reason: input.reason ?? '',
        by,
        at: this.now().toISOString(),
        ...(input.state === 'snoozed' && input.until
          ? { until: input.until }
          : {}),
      });
      if (!stored) throw this.notFound(id);
    }
    logger.info(
      `Costscope recommendation ${id} set to ${input.state} by ${by}${
        input.until ? ` until ${input.until}` : ''
      }`,
    );
    const recommendation = await store.get(id);
    if (!recommendation) throw this.notFound(id); // replaced by a computation meanwhile
    return asOf(recommendation, today);
  }

  private notFound(id: string) {
    return new NotFoundError(
      `no recommendation '${id}' in the last computation`,
    );
  }

  private async list(
    entityRef: string,
    stored: StoredRecommendations,
    today: string,
  ): Promise<RecommendationList> {
    const prices = await this.options.priceStatus?.();
    return {
      ...buildRecommendationList({
        entityRef,
        currency: await this.options.currency(),
        recommendations: stored.recommendations,
        skipped: stored.skipped,
        today,
        ...(stored.computedAt ? { computedAt: stored.computedAt } : {}),
      }),
      ...(prices ? { prices } : {}),
    };
  }

  private async refreshNow(): Promise<RecommendationRefresh> {
    const { store, logger } = this.options;
    const started = Date.now();
    const now = this.now();
    const currency = await this.options.currency();
    const resources = await this.resources();

    const billing = await store.resourceBilling(
      resources.map(r => r.resourceId),
      currency,
      ALLOCATION_DAYS,
    );
    const { recommendations, skipped } = computeRecommendations(resources, {
      config: this.options.config,
      currency,
      now,
      billingHourlyCost: runRates(billing),
      prices: await this.options.prices(currency),
      ...(await this.savingsPlanUsage(now, currency)),
      ...(await this.kubernetesWorkloads(now)),
    });

    const entityOf = this.allocator(resources, allocationOf(billing));
    const allocated = recommendations.map(recommendation => {
      const entityRef = entityOf(recommendation.resourceId);
      return entityRef ? { ...recommendation, entityRef } : recommendation;
    });
    const skips: AllocatedSkip[] = skipped.map(skip => {
      const entityRef = entityOf(skip.resourceId);
      return entityRef ? { ...skip, entityRef } : skip;
    });

    const computedAt = now.toISOString();
    const { reopened } = await store.replaceAll(allocated, skips, computedAt, {
      reopen: (atDismissal, current) =>
        evidenceChangedMaterially(atDismissal, current),
    });
    const unallocated = allocated.filter(r => !r.entityRef).length;
    logger.info(
      `Costscope recommendations computed: ${allocated.length} tips (${unallocated} unallocated), ` +
        `${skips.length} skipped, ${reopened.length} reopened, ${
          Date.now() - started
        } ms`,
    );
    return {
      computedAt,
      recommendations: allocated.length,
      skipped: skips.length,
      reopened,
    };
  }

  /** The workloads of the lookback's complete days, for the requests tips. */
  private async kubernetesWorkloads(now: Date) {
    const { config, kubernetesWorkloads } = this.options;
    if (!kubernetesWorkloads || !config.kubernetesRequests.enabled) return {};
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const today = Date.parse(`${day(now.getTime())}T00:00:00Z`);
    return {
      kubernetesWorkloads: await kubernetesWorkloads({
        from: day(today - config.lookbackDays * 86_400_000),
        to: day(today - 86_400_000),
      }),
    };
  }

  /** The eligible usage a Savings Plan purchase is sized on, when it is enabled and facts exist. */
  private async savingsPlanUsage(now: Date, currency: string) {
    const { config, store } = this.options;
    if (!config.commitment.enabled) return {};
    const { first, last } = await store.factDays();
    const window = purchaseWindow({
      now,
      lookbackDays: config.commitment.lookbackDays,
      ...(first ? { firstDay: first } : {}),
      ...(last ? { lastDay: last } : {}),
    });
    if (!window) return {};
    const usage = await store.eligibleOnDemandDaily(window, currency);
    return { savingsPlanUsage: { usage, window } };
  }

  /**
   * The stored inventory, one entry per resource id: two sources reporting the same resource
   * would give two recommendations with one id.
   */
  private async resources(): Promise<InventoryResource[]> {
    const seen = new Set<string>();
    const resources: InventoryResource[] = [];
    for (const resource of await this.options.inventory.listResources()) {
      if (seen.has(resource.resourceId)) continue;
      seen.add(resource.resourceId);
      resources.push(resource);
    }
    return resources;
  }

  /** Billing allocation first; the tag rules for resources whose cost went nowhere yet. */
  private allocator(
    resources: InventoryResource[],
    billed: Map<string, string>,
  ): (resourceId: string) => string | undefined {
    const byId = new Map(resources.map(r => [r.resourceId, r]));
    const cache = new Map<string, string | undefined>();
    return resourceId => {
      if (billed.has(resourceId)) return billed.get(resourceId);
      if (cache.has(resourceId)) return cache.get(resourceId);
      const resource = byId.get(resourceId);
      const entityRef =
        resource &&
        this.options.entityForTags?.(
          resource.provider,
          resource.accountId,
          resource.tags,
        );
      cache.set(resourceId, entityRef);
      return entityRef;
    };
  }
}
