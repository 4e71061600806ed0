import {
  divideHalfEven,
  nanosToMoney,
  Recommendation,
  RecommendationConfidence,
  RecommendationKind,
  RecommendationPriceSource,
  RecommendationSkip,
  UtilisationEvidence,
} from '@costscope/backstage-plugin-common';
import { InventoryResource } from '@costscope/backstage-plugin-node';
import {
  decimalFraction,
  exact,
  Exact,
  monthly,
  multiply,
  roundNanos,
} from '../exact';
import { InstanceTypeInfo, PriceTable } from '../priceTable';
import { RecommendationsConfig } from '../recommendationsConfig';
import {
  MetricStats,
  roundPercent,
  UtilisationStats,
} from '../utilisationStats';

/** What every rule may read. */
export interface RuleContext {
  config: RecommendationsConfig;
  prices: PriceTable;
  /** The billing currency; the price table is used only when it is the same. */
  currency: string;
  /** Epoch milliseconds of "now": the end of the lookback window. */
  now: number;
  /** Real cost per hour (nano-units) by resource id, from billing data. */
  billingHourlyCost?: ReadonlyMap<string, bigint>;
}

/** What a resource costs an hour, and where that number comes from. */
export interface HourlyCost {
  /** Nano-units per hour. */
  hourly: Exact;
  source: RecommendationPriceSource;
  /** The instance type this cost is for (after an earlier recommendation changed it). */
  type?: string;
}

/** An instance ready for the instance rules: enough data, a known cost. */
export interface InstanceAssessment {
  resource: InventoryResource;
  stats: UtilisationStats;
  cpu: MetricStats;
  /** Present only with at least `minimumHours` of memory data. */
  memory?: MetricStats;
  /** Share of the window with CPU data, in percent: how much of the window it ran. */
  runningPercent: number;
  typeInfo?: InstanceTypeInfo;
  cost: HourlyCost;
}

/** A rule's answer: a recommendation, a reason it could not judge, or nothing to say. */
export type RuleOutcome =
  | { recommendation: Recommendation; skip?: undefined }
  | { skip: RecommendationSkip; recommendation?: undefined }
  | undefined;

const LEVELS: RecommendationConfidence[] = ['low', 'medium', 'high'];

/** Lowers a confidence by `steps` levels, never below `low`. */
export function lowerConfidence(
  confidence: RecommendationConfidence,
  steps: number,
): RecommendationConfidence {
  return LEVELS[Math.max(0, LEVELS.indexOf(confidence) - steps)];
}

/** Data covering at least this share of the window counts as complete. */
export const COMPLETE_COVERAGE_PERCENT = 90;

export function resourceName(resource: InventoryResource): string | undefined {
  const name = resource.name ?? resource.tags?.Name;
  return name ? name : undefined;
}

/** The fields every recommendation about `resource` shares. */
export function recommendationBase(
  resource: InventoryResource,
  kind: RecommendationKind,
  currency: string,
): Pick<
  Recommendation,
  | 'id'
  | 'kind'
  | 'provider'
  | 'resourceId'
  | 'resourceName'
  | 'resourceKind'
  | 'accountId'
  | 'region'
  | 'currency'
  | 'state'
> {
  const name = resourceName(resource);
  return {
    id: `${kind}:${resource.resourceId}`,
    kind,
    provider: resource.provider,
    resourceId: resource.resourceId,
    ...(name ? { resourceName: name } : {}),
    resourceKind: resource.kind,
    accountId: resource.accountId,
    region: resource.region,
    currency,
    state: 'open',
  };
}

/** A skip entry for `resource`. */
export function skipOf(
  resource: InventoryResource,
  code: string,
  message: string,
  kind?: RecommendationKind,
): RecommendationSkip {
  const name = resourceName(resource);
  return {
    provider: resource.provider,
    resourceId: resource.resourceId,
    ...(name ? { resourceName: name } : {}),
    resourceKind: resource.kind,
    accountId: resource.accountId,
    region: resource.region,
    ...(kind ? { kind } : {}),
    code,
    message,
  };
}

/** An exact amount as a money string, rounded once to nano-units. */
export function toMoney(value: Exact): string {
  return nanosToMoney(roundNanos(value));
}

/** An exact amount of nano-units for a sentence: currency units rounded (half to even) to `decimals` places. */
export function formatAmount(value: Exact, decimals = 2): string {
  const scaled = divideHalfEven(
    value.n * 10n ** BigInt(decimals),
    value.d * 1_000_000_000n,
  );
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const unit = 10n ** BigInt(decimals);
  const whole = (abs / unit).toString();
  const fraction = decimals
    ? `.${(abs % unit).toString().padStart(decimals, '0')}`
    : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** A percentage for a sentence: one decimal. */
export function pct(value: number): string {
  return `${(Math.round(value * 10) / 10).toFixed(1)} %`;
}

export function evidenceOf(stats: MetricStats): UtilisationEvidence {
  return {
    average: roundPercent(stats.average),
    p95: roundPercent(stats.p95),
    maximum: roundPercent(stats.maximum),
  };
}

/** The utilisation evidence of an instance recommendation. */
export function instanceEvidence(
  a: InstanceAssessment,
  config: RecommendationsConfig,
) {
  return {
    cpu: evidenceOf(a.cpu),
    ...(a.memory ? { memory: evidenceOf(a.memory) } : {}),
    hours: roundPercent(a.cpu.hours),
    lookbackDays: config.lookbackDays,
    runningPercent: roundPercent(a.runningPercent),
  };
}

/** "over 336 hours of the last 14 days" */
export function windowText(a: InstanceAssessment, ctx: RuleContext): string {
  const hours = Math.round(a.cpu.hours * 10) / 10;
  return `over ${hours} hours of data in the last ${ctx.config.lookbackDays} days`;
}

/** Whether the price table may price `provider`'s resources in the billing currency. */
export function tableApplies(ctx: RuleContext, provider: string): boolean {
  return (
    ctx.prices.provider.toLowerCase() === provider.toLowerCase() &&
    ctx.prices.currency === ctx.currency
  );
}

/**
 * Why the cached prices cannot price something, as a clause: "the cached prices cover AWS
 * only", "... are in USD, not EUR", "no on-demand price is known for instance type m5.large in
 * ap-southeast-2 (...): configure ...", so that a missing recommendation says what to do.
 */
export function tableGap(
  ctx: RuleContext,
  provider: string,
  what: string,
  region: string,
): string {
  if (ctx.prices.provider.toLowerCase() !== provider.toLowerCase()) {
    return `the cached prices cover ${ctx.prices.provider} only`;
  }
  if (ctx.prices.currency !== ctx.currency) {
    return `the cached prices are in ${ctx.prices.currency}, not ${ctx.currency}`;
  }
  const from = ctx.prices.source
    ? `${ctx.prices.source}${
        ctx.prices.date ? `, read ${ctx.prices.date}` : ''
      }`
    : 'no price source has been read yet';
  return `no on-demand price is known for ${what} in ${region} (${from}): ${ctx.prices.remedy}`;
}

/** A storage resource's monthly cost and where it came from, or why it has none. */
export type StorageCost =
  | { cost: { monthly: Exact; source: 'billing' | 'price-table' } }
  | { skip: RecommendationSkip };

/**
 * What a volume or snapshot costs a month: 730 hours of its billing cost per hour where
 * billing has it, else its size (GiB) x the price table's price per GiB-month.
 */
export function storageMonthlyCost(
  resource: InventoryResource,
  ctx: RuleContext,
  options: {
    /** "volume" or "snapshot", for the reasons a recommendation is skipped. */
    noun: string;
    kind: RecommendationKind;
    /** The table's price per GiB-month, or undefined when it has none. */
    perGiBMonth: bigint | undefined;
    /** What the table lacked, e.g. "volume type gp2" or "snapshots". */
    priceOf: string;
  },
): StorageCost {
  const billed = ctx.billingHourlyCost?.get(resource.resourceId);
  if (billed !== undefined) {
    return { cost: { monthly: monthly(exact(billed)), source: 'billing' } };
  }
  if (options.perGiBMonth === undefined) {
    return {
      skip: skipOf(
        resource,
        'no-price',
        `No billing cost for this ${options.noun}, and ${tableGap(
          ctx,
          resource.provider,
          options.priceOf,
          resource.region,
        )}`,
        options.kind,
      ),
    };
  }
  const size = resource.sizeGiB;
  if (size === undefined || !(size > 0)) {
    return {
      skip: skipOf(
        resource,
        'unknown-size',
        `No billing cost for this ${options.noun}, and the inventory gives no size`,
        options.kind,
      ),
    };
  }
  return {
    cost: {
      monthly: multiply(exact(options.perGiBMonth), decimalFraction(size)),
      source: 'price-table',
    },
  };
}
