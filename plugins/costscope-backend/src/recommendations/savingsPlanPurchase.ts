import {
  moneyToNanos,
  Recommendation,
  RecommendationKind,
  SavingsPlanPurchase,
} from '@costscope/backstage-plugin-common';
import {
  complement,
  Exact,
  exact,
  HOURS_PER_MONTH,
  monthly,
  multiply,
  percentShare,
  roundNanos,
  subtract,
  times,
} from './exact';
import { EligibleUsageDay } from '../store/RecommendationStore';
import { RecommendationsConfig } from './recommendationsConfig';
import { formatAmount, toMoney } from './rules/common';

const DAY_MS = 86_400_000;

/**
 * The provider whose usage a Compute Savings Plan covers, compared without case (FOCUS
 * `ProviderName` `AWS`).
 */
export const SAVINGS_PLAN_PROVIDER = 'aws';

/** Tips whose saving comes off the usage a plan would cover: they are acted on first. */
export const RIGHTSIZING_KINDS: readonly RecommendationKind[] = [
  'idle-instance',
  'overprovisioned-instance',
  'office-hours-schedule',
];

export type { EligibleUsageDay };

/**
 * The complete days a plan is sized on: the `lookbackDays` days up to the last day with facts,
 * but not today (UTC of `now`), whose facts are still coming in; never before `firstDay`, the
 * first day with any facts. Undefined when no complete day is left.
 */
export function purchaseWindow(options: {
  now: Date;
  lookbackDays: number;
  firstDay?: string;
  lastDay?: string;
}): { from: string; to: string } | undefined {
  const { now, lookbackDays, firstDay, lastDay } = options;
  if (!lastDay) return undefined;
  const yesterday = dayOf(Date.parse(now.toISOString().slice(0, 10)) - DAY_MS);
  const to = lastDay < yesterday ? lastDay : yesterday;
  let from = dayOf(Date.parse(to) - (lookbackDays - 1) * DAY_MS);
  if (firstDay && firstDay > from) from = firstDay;
  return from <= to ? { from, to } : undefined;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function daysOf(window: { from: string; to: string }): string[] {
  const days: string[] = [];
  for (
    let t = Date.parse(window.from);
    t <= Date.parse(window.to);
    t += DAY_MS
  ) {
    days.push(dayOf(t));
  }
  return days;
}

/** The id of a purchase recommendation. */
export function purchaseId(
  provider: string,
  payer: string,
  account?: string,
): string {
  return `savings-plan-purchase:${provider.toLowerCase()}:${payer}${
    account === undefined ? '' : `:${account}`
  }`;
}

export interface SavingsPlanPurchaseOptions {
  /**
   * The eligible on-demand cost per linked account and day (facts outside the window, of
   * other providers or of other days are ignored).
   */
  usage: readonly EligibleUsageDay[];
  /** The complete days to size on (see {@link purchaseWindow}). */
  window: { from: string; to: string };
  /** The other recommendations: the rightsizing tips among them are counted first. */
  recommendations: readonly Recommendation[];
  config: RecommendationsConfig;
  currency: string;
}

interface Scope {
  provider: string;
  payer: string;
  account?: string;
  accounts: Set<string>;
  daily: Map<string, bigint>;
  total: bigint;
}

/**
 * The month in which a commitment has paid for itself: the smallest m >= 1 with
 * m x OD >= upfront + m x monthly fee, where OD is the on-demand cost a month, upfront =
 * (1 - d) x u x T x OD and the monthly fee = (1 - d) x (1 - u) x OD (d discount, u upfront
 * share, T term in months). OD cancels: m >= (1 - d) u T / (1 - (1 - d)(1 - u)).
 * No upfront: month 1. All upfront, 28 % off, 12 months: 0.72 x 12 = 8.64, month 9.
 */
export function breakEvenMonth(
  discountPercent: number,
  upfrontPercent: number,
  termMonths: number,
): number {
  const a = complement(percentShare(discountPercent)); // 1 - d
  const u = percentShare(upfrontPercent);
  const notUpfront = complement(u);
  // numerator: a * u * T ; denominator: 1 - a * (1 - u)
  const num = times(multiply(a, u), BigInt(termMonths));
  const den = complement(multiply(a, notUpfront));
  if (den.n <= 0n) return termMonths;
  // ceil(num / den) with both as fractions: (num.n * den.d) / (num.d * den.n)
  const top = num.n * den.d;
  const bottom = num.d * den.n;
  const months = top <= 0n ? 0n : (top + bottom - 1n) / bottom;
  return Math.max(1, Number(months));
}

function paymentText(upfrontPercent: number): string {
  if (upfrontPercent === 0) return 'no upfront';
  if (upfrontPercent === 100) return 'all upfront';
  return `${upfrontPercent} % upfront`;
}

/**
 * The Compute Savings Plan to buy per payer (`commitment.scope: payer`, the default) or per
 * linked account (`account`), as AWS recommends one: from the eligible on-demand usage of the
 * window, the floor the fleet never fell under is committed, so the plan is used 100 % every
 * hour. Facts are daily, so the floor is the lowest day's eligible on-demand cost / 24 (a day
 * without eligible usage is a day at 0): an hour below a day's average is not seen, see
 * README.md. Rightsizing first: the hourly saving (monthly saving / 730) of the resize, stop and
 * schedule tips of the scope's instances comes off the floor, so no dollar is counted twice.
 * With F the floor after rightsizing and d the discount: commitment per hour = F x (1 - d),
 * saving a month = F x d x 730, upfront = commitment x 730 x term x upfront share. Exact,
 * each amount rounded once. Pure: no database, no clock.
 */
export function savingsPlanPurchases(
  options: SavingsPlanPurchaseOptions,
): Recommendation[] {
  const { config, currency, window } = options;
  const c = config.commitment;
  if (!c.enabled) return [];
  const days = daysOf(window);
  const inWindow = new Set(days);

  const scopes = new Map<string, Scope>();
  for (const row of options.usage) {
    if (row.provider.toLowerCase() !== SAVINGS_PLAN_PROVIDER) continue;
    if (!inWindow.has(row.usageDate)) continue;
    const account = c.scope === 'account' ? row.subAccountId : undefined;
    const key = purchaseId(row.provider, row.billingAccountId, account);
    let scope = scopes.get(key);
    if (!scope) {
      scope = {
        provider: row.provider,
        payer: row.billingAccountId,
        ...(account === undefined ? {} : { account }),
        accounts: new Set(),
        daily: new Map(),
        total: 0n,
      };
      scopes.set(key, scope);
    }
    scope.accounts.add(row.subAccountId);
    scope.daily.set(
      row.usageDate,
      (scope.daily.get(row.usageDate) ?? 0n) + row.listNanos,
    );
    scope.total += row.listNanos;
  }

  const discount = percentShare(c.discountPercent);
  const upfrontShare = percentShare(c.upfrontPercent);
  const breakEven = breakEvenMonth(
    c.discountPercent,
    c.upfrontPercent,
    c.termMonths,
  );
  const purchases: Recommendation[] = [];
  for (const [id, scope] of [...scopes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const lowestDay = days
      .map(day => scope.daily.get(day) ?? 0n)
      .reduce((low, cost) => (cost < low ? cost : low));
    if (lowestDay <= 0n) continue;
    const floor: Exact = { n: lowestDay, d: 24n };

    const tips = options.recommendations
      .filter(
        r =>
          RIGHTSIZING_KINDS.includes(r.kind) &&
          r.provider.toLowerCase() === SAVINGS_PLAN_PROVIDER &&
          scope.accounts.has(r.accountId),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const tipsHourly: Exact = {
      n: tips.reduce((sum, r) => sum + moneyToNanos(r.monthlySaving), 0n),
      d: HOURS_PER_MONTH,
    };
    const covered = subtract(floor, tipsHourly);
    if (covered.n <= 0n) continue;

    const hourlyCommitment = multiply(covered, complement(discount));
    const saving = monthly(multiply(covered, discount));
    if (roundNanos(saving) <= 0n) continue;
    const upfront = multiply(
      times(monthly(hourlyCommitment), BigInt(c.termMonths)),
      upfrontShare,
    );
    // covered hours / eligible usage of the window, in percent to 2 decimals
    const coverage = multiply(
      { n: covered.n * BigInt(days.length * 24) * 10000n, d: covered.d },
      { n: 1n, d: scope.total },
    );
    const plan: SavingsPlanPurchase = {
      scope: scope.account === undefined ? 'payer' : 'account',
      payerAccountId: scope.payer,
      ...(scope.account === undefined ? {} : { accountId: scope.account }),
      lookbackDays: c.lookbackDays,
      window,
      eligibleOnDemandCost: toMoney(exact(scope.total)),
      hourlyOnDemandFloor: toMoney(floor),
      hourlyRightsizingSaving: toMoney(tipsHourly),
      sizedAfter: tips.map(r => r.id),
      hourlyOnDemandCovered: toMoney(covered),
      monthlyOnDemandCovered: toMoney(monthly(covered)),
      hourlyCommitment: toMoney(hourlyCommitment),
      discountPercent: c.discountPercent,
      termMonths: c.termMonths,
      upfrontPercent: c.upfrontPercent,
      upfrontPayment: toMoney(upfront),
      expectedUtilizationPercent: 100,
      expectedCoveragePercent: Number(roundNanos(coverage)) / 100,
      breakEvenMonth: breakEven,
    };
    const where =
      scope.account === undefined
        ? `payer ${scope.payer}`
        : `account ${scope.account}`;
    const short = days.length < c.lookbackDays;
    const sized =
      tips.length === 0
        ? 'No rightsizing tip applies to its instances.'
        : `Sized after ${tips.length} rightsizing tip${
            tips.length === 1 ? '' : 's'
          } (resize, stop, schedule), which take ${formatAmount(
            tipsHourly,
            4,
          )} ${currency} an hour off it first.`;
    purchases.push({
      id,
      kind: 'savings-plan-purchase',
      provider: scope.provider,
      resourceId: scope.account ?? scope.payer,
      resourceName: `Compute Savings Plan, ${where}`,
      resourceKind: scope.account === undefined ? 'payer' : 'account',
      accountId: scope.account ?? scope.payer,
      region: 'global',
      currency,
      action: `Buy a ${c.termMonths}-month Compute Savings Plan (${paymentText(
        c.upfrontPercent,
      )}) on ${where}: commit ${formatAmount(
        hourlyCommitment,
        4,
      )} ${currency} an hour`,
      reason:
        `Eligible on-demand usage (EC2 instances, Fargate, Lambda) never fell under ` +
        `${formatAmount(floor, 4)} ${currency} an hour in the ${
          days.length
        } complete days ${window.from} to ${
          window.to
        } (the lowest day / 24). ${sized} ` +
        `At ${c.discountPercent} % off on-demand the plan is used 100 % every hour, saves ` +
        `${formatAmount(
          saving,
        )} ${currency} a month and pays for itself in month ${breakEven}.`,
      evidence: { lookbackDays: days.length },
      currentMonthlyCost: toMoney(monthly(covered)),
      monthlySaving: toMoney(saving),
      // daily facts stand in for hourly usage; fewer days than asked for: less sure
      confidence: short ? 'low' : 'medium',
      priceSource: 'billing',
      savingsPlan: plan,
      state: 'open',
    });
  }
  return purchases;
}
