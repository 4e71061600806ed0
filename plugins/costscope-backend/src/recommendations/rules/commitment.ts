import { CommitmentSuggestion } from '@costscope/backstage-plugin-common';
import {
  complement,
  decimalFraction,
  exact,
  Exact,
  monthly,
  multiply,
  percentShare,
  times,
} from '../exact';
import {
  formatAmount,
  HourlyCost,
  InstanceAssessment,
  instanceEvidence,
  pct,
  RuleContext,
  RuleOutcome,
  skipOf,
  tableApplies,
  tableGap,
  recommendationBase,
  toMoney,
} from './common';

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

/**
 * Commitment: an instance that ran at least `minimumRunningPercent` (95) of the window on demand
 * is steady usage a Savings Plan would cover. With OD its on-demand cost per hour and c the
 * share a commitment already covers (from billing data; 0 when unknown):
 * commitment per hour = OD x (1 - c) x (1 - d), saving a month = OD x (1 - c) x d x 730, with
 * d = `discountPercent` (28). The plan is `termMonths` long with `upfrontPercent` paid upfront;
 * see {@link breakEvenMonth}. OD is the billing cost per hour when nothing covers the
 * resource (then it is on-demand), else the price table's on-demand price. The cost is the one
 * after an over-provisioned recommendation's resize, so the savings add up.
 * Confidence: medium when coverage comes from billing data, low when it is unknown.
 */
export function commitment(
  a: InstanceAssessment,
  cost: HourlyCost,
  ctx: RuleContext,
): RuleOutcome {
  const c = ctx.config.commitment;
  if (!c.enabled) return undefined;
  if (a.runningPercent < c.minimumRunningPercent) return undefined;
  const { resource } = a;
  const known = ctx.commitmentCoverage?.get(resource.resourceId);
  const coverage =
    known === undefined || !Number.isFinite(known)
      ? 0
      : Math.min(1, Math.max(0, known));
  if (coverage >= 1) return undefined;

  const type = cost.type ?? resource.type;
  let onDemand: Exact | undefined;
  let priceSource = cost.source;
  if (cost.source === 'price-table' || coverage === 0) {
    onDemand = cost.hourly;
  } else if (type && tableApplies(ctx, resource.provider)) {
    // the billing cost is partly discounted already: take the list price
    const list = ctx.prices.findInstanceHourly(resource.region, type);
    if (list !== undefined) {
      onDemand = exact(list);
      priceSource = 'price-table';
    }
  }
  if (!onDemand) {
    return {
      skip: skipOf(
        resource,
        'no-price',
        `The billing cost is partly covered by a commitment already, and ${tableGap(
          ctx,
          resource.provider,
          type ?? 'its type',
          resource.region,
        )}`,
        'commitment',
      ),
    };
  }

  const uncovered = multiply(onDemand, complement(decimalFraction(coverage)));
  const discount = percentShare(c.discountPercent);
  const hourlyCommitment = multiply(uncovered, complement(discount));
  const saving = monthly(multiply(uncovered, discount));
  const upfront = multiply(
    times(monthly(hourlyCommitment), BigInt(c.termMonths)),
    percentShare(c.upfrontPercent),
  );
  let payment = `${c.upfrontPercent} % upfront`;
  if (c.upfrontPercent === 0) payment = 'no upfront';
  if (c.upfrontPercent === 100) payment = 'all upfront';
  const suggestion: CommitmentSuggestion = {
    hourlyCommitment: toMoney(hourlyCommitment),
    coveragePercent: Math.round(coverage * 10000) / 100,
    coverageKnown: known !== undefined,
    discountPercent: c.discountPercent,
    termMonths: c.termMonths,
    upfrontPercent: c.upfrontPercent,
    upfrontPayment: toMoney(upfront),
    breakEvenMonth: breakEvenMonth(
      c.discountPercent,
      c.upfrontPercent,
      c.termMonths,
    ),
  };
  return {
    recommendation: {
      ...recommendationBase(resource, 'commitment', ctx.currency),
      action: `Cover it with a ${
        c.termMonths
      }-month Savings Plan (${payment}): commit about ${formatAmount(
        hourlyCommitment,
        4,
      )} ${ctx.currency} an hour`,
      reason: `Ran ${pct(a.runningPercent)} of the last ${
        ctx.config.lookbackDays
      } days; ${
        known === undefined
          ? 'no billing data says whether a commitment covers it, assumed not covered.'
          : `a commitment covers ${pct(coverage * 100)} of it today.`
      } At ${pct(
        c.discountPercent,
      )} off on-demand the plan pays for itself in month ${
        suggestion.breakEvenMonth
      }.`,
      evidence: instanceEvidence(a, ctx.config),
      ...(type ? { currentType: type } : {}),
      currentMonthlyCost: toMoney(monthly(onDemand)),
      monthlySaving: toMoney(saving),
      confidence: known === undefined ? 'low' : 'medium',
      priceSource,
      commitment: suggestion,
    },
  };
}
