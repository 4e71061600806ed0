import {
  moneyToNanos,
  Recommendation,
  RecommendationSkip,
} from '@costscope/backstage-plugin-common';
import { InventoryResource } from '@costscope/backstage-plugin-node';
import { exact } from './exact';
import { PriceTable } from './priceTable';
import {
  DEFAULT_RECOMMENDATIONS_CONFIG,
  RecommendationsConfig,
} from './recommendationsConfig';
import {
  HourlyCost,
  InstanceAssessment,
  RuleContext,
  RuleOutcome,
  skipOf,
  tableApplies,
  tableGap,
} from './rules/common';
import { idleInstance } from './rules/idleInstance';
import { officeHoursSchedule } from './rules/officeHoursSchedule';
import { oldSnapshot } from './rules/oldSnapshot';
import { overprovisionedInstance } from './rules/overprovisionedInstance';
import { unassociatedAddress } from './rules/unassociatedAddress';
import { unattachedVolume } from './rules/unattachedVolume';
import { kubernetesRequests } from './rules/kubernetesRequests';
import type { WorkloadLine } from '../kubernetes/workloadCosts';
import { summariseUtilisation } from './utilisationStats';
import { EligibleUsageDay, savingsPlanPurchases } from './savingsPlanPurchase';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** What {@link computeRecommendations} needs besides the resources. */
export interface ComputeRecommendationsOptions {
  /** Rule thresholds; the defaults when absent. */
  config?: RecommendationsConfig;
  /** On-demand prices: the price cache's table (`PriceCache.table`). */
  prices: PriceTable;
  /** The billing currency; the price table's currency when absent. */
  currency?: string;
  /** The end of the lookback window; the current time when absent. */
  now?: Date;
  /**
   * A resource's real cost per hour from billing data, in nano-units of `currency`: its cost
   * over the recent days divided by the hours of those days (its run rate). Used instead of
   * the price table, and the recommendation says so (`priceSource: 'billing'`).
   */
  billingHourlyCost?: ReadonlyMap<string, bigint>;
  /**
   * The eligible on-demand usage per linked account and day and the complete days to size a
   * Savings Plan purchase on (savingsPlanPurchase.ts); no purchase is recommended without it.
   */
  savingsPlanUsage?: {
    usage: readonly EligibleUsageDay[];
    window: { from: string; to: string };
  };
  /** The Kubernetes split's workload lines over the lookback, for `kubernetes-requests` tips. */
  kubernetesWorkloads?: readonly WorkloadLine[];
}

/** Recommendations, largest saving first, and the resources no rule could judge. */
export interface ComputedRecommendations {
  recommendations: Recommendation[];
  skipped: RecommendationSkip[];
}

/** Today's cost of an instance: billing when known, else the price table. */
function instanceCost(
  resource: InventoryResource,
  ctx: RuleContext,
): HourlyCost | undefined {
  const billed = ctx.billingHourlyCost?.get(resource.resourceId);
  if (billed !== undefined) {
    return { hourly: exact(billed), source: 'billing', type: resource.type };
  }
  const table =
    resource.type && tableApplies(ctx, resource.provider)
      ? ctx.prices.findInstanceHourly(resource.region, resource.type)
      : undefined;
  return table === undefined
    ? undefined
    : { hourly: exact(table), source: 'price-table', type: resource.type };
}

/** Runs the instance rules in order: idle (alone), then resize, then schedule. */
function instanceRules(
  resource: InventoryResource,
  ctx: RuleContext,
  recommendations: Recommendation[],
  skipped: RecommendationSkip[],
): void {
  if (resource.state !== undefined && resource.state !== 'running') return;
  const c = ctx.config;
  const anyRule =
    c.idle.enabled || c.overprovisioned.enabled || c.officeHours.enabled;
  if (!anyRule) return;

  const window = { from: ctx.now - c.lookbackDays * DAY_MS, to: ctx.now };
  const stats = summariseUtilisation(resource.utilisation, window);
  if (!stats.cpu) {
    skipped.push(
      skipOf(
        resource,
        'no-utilisation',
        resource.utilisation === undefined
          ? 'No utilisation data: the inventory source does not read CPU for this instance'
          : `No CPU data in the last ${c.lookbackDays} days`,
      ),
    );
    return;
  }
  if (stats.cpu.hours < c.minimumHours) {
    skipped.push(
      skipOf(
        resource,
        'insufficient-data',
        `Only ${
          Math.round(stats.cpu.hours * 10) / 10
        } hours of CPU data in the last ${c.lookbackDays} days; at least ${
          c.minimumHours
        } are needed`,
      ),
    );
    return;
  }
  const cost = instanceCost(resource, ctx);
  if (!cost) {
    skipped.push(
      skipOf(
        resource,
        resource.type ? 'no-price' : 'unknown-type',
        resource.type
          ? `No billing cost for this instance, and ${tableGap(
              ctx,
              resource.provider,
              `instance type ${resource.type}`,
              resource.region,
            )}`
          : 'No billing cost for this instance, and the inventory gives no instance type',
      ),
    );
    return;
  }
  const assessment: InstanceAssessment = {
    resource,
    stats,
    cpu: stats.cpu,
    ...(stats.memory && stats.memory.hours >= c.minimumHours
      ? { memory: stats.memory }
      : {}),
    runningPercent: Math.min(100, (stats.cpu.hours / stats.windowHours) * 100),
    ...(resource.type
      ? { typeInfo: ctx.prices.findInstanceType(resource.type) }
      : {}),
    cost,
  };

  const idle = idleInstance(assessment, ctx);
  if (idle?.recommendation) {
    recommendations.push(idle.recommendation);
    return;
  }

  let after = cost;
  const resize = overprovisionedInstance(assessment, ctx);
  if (resize?.recommendation) recommendations.push(resize.recommendation);
  if (resize?.skip) skipped.push(resize.skip);
  if (resize?.resized) after = resize.resized;
  // A schedule is priced on the resized instance: say so, so that the UI can too.
  const resizeId =
    resize?.resized && resize.recommendation
      ? resize.recommendation.id
      : undefined;
  const countedAfterResize = (outcome: RuleOutcome): RuleOutcome =>
    resizeId && outcome?.recommendation
      ? {
          ...outcome,
          recommendation: { ...outcome.recommendation, countedAfter: resizeId },
        }
      : outcome;

  collect(
    countedAfterResize(officeHoursSchedule(assessment, after, ctx)),
    recommendations,
    skipped,
  );
}

function collect(
  outcome: RuleOutcome,
  recommendations: Recommendation[],
  skipped: RecommendationSkip[],
) {
  if (outcome?.recommendation) recommendations.push(outcome.recommendation);
  if (outcome?.skip) skipped.push(outcome.skip);
}

/**
 * The recommendations for a set of inventory resources: pure, no database, no clock unless `now` is
 * absent. Instances: idle, or else over-provisioned, then an office-hours schedule (non-prod),
 * the schedule counted on the cost after the resize so that the savings of one instance add up.
 * Volumes, addresses, snapshots: their own rules. Then, from `savingsPlanUsage`, one Savings Plan
 * purchase per payer (or linked account), sized after the listed rightsizing tips of its
 * instances. Every instance that cannot be judged (no data, too few hours, no price) is listed in
 * `skipped` with the reason. Savings are exact, rounded once per recommendation to nano-units.
 */
export function computeRecommendations(
  resources: Iterable<InventoryResource>,
  options: ComputeRecommendationsOptions,
): ComputedRecommendations {
  const { prices } = options;
  const ctx: RuleContext = {
    config: options.config ?? DEFAULT_RECOMMENDATIONS_CONFIG,
    prices,
    currency: options.currency ?? prices.currency,
    now: (options.now ?? new Date()).getTime(),
    ...(options.billingHourlyCost
      ? { billingHourlyCost: options.billingHourlyCost }
      : {}),
  };
  // align "now" to the hour so that the window holds whole hourly points
  ctx.now = Math.floor(ctx.now / HOUR_MS) * HOUR_MS;

  const recommendations: Recommendation[] = [];
  const skipped: RecommendationSkip[] = [];
  for (const resource of resources) {
    switch (resource.kind) {
      case 'instance':
        instanceRules(resource, ctx, recommendations, skipped);
        break;
      case 'volume':
        collect(unattachedVolume(resource, ctx), recommendations, skipped);
        break;
      case 'address':
        collect(unassociatedAddress(resource, ctx), recommendations, skipped);
        break;
      case 'snapshot':
        collect(oldSnapshot(resource, ctx), recommendations, skipped);
        break;
      default:
        break;
    }
  }

  const minimum = moneyToNanos(ctx.config.minimumMonthlySaving);
  const worthIt = (recommendation: Recommendation) => {
    const saving = moneyToNanos(recommendation.monthlySaving);
    return saving > 0n && saving >= minimum;
  };
  // Sized after the tips that are listed: a tip under the minimum saves nothing counted.
  if (options.savingsPlanUsage) {
    recommendations.push(
      ...savingsPlanPurchases({
        ...options.savingsPlanUsage,
        recommendations: recommendations.filter(worthIt),
        config: ctx.config,
        currency: ctx.currency,
      }),
    );
  }
  // After the purchase: a workload's requests are no instance a plan is sized after.
  recommendations.push(
    ...kubernetesRequests([...(options.kubernetesWorkloads ?? [])], {
      config: ctx.config,
      currency: ctx.currency,
    }),
  );
  const kept = recommendations
    .map(recommendation => ({
      recommendation,
      saving: moneyToNanos(recommendation.monthlySaving),
    }))
    .filter(({ recommendation }) => worthIt(recommendation))
    .sort((x, y) => {
      if (x.saving !== y.saving) return x.saving > y.saving ? -1 : 1;
      return x.recommendation.id.localeCompare(y.recommendation.id);
    })
    .map(({ recommendation }) => recommendation);
  // A resize under the minimum saving is not listed; what was priced after it still is, on the
  // resized instance (a smaller saving, never one counted twice), without the dangling link.
  const keptIds = new Set(kept.map(recommendation => recommendation.id));
  return {
    recommendations: kept.map(recommendation => {
      if (
        !recommendation.countedAfter ||
        keptIds.has(recommendation.countedAfter)
      )
        return recommendation;
      const { countedAfter: _dropped, ...rest } = recommendation;
      return rest;
    }),
    skipped,
  };
}
