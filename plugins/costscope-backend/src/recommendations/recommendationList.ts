import {
  moneyToNanos,
  nanosToMoney,
  Recommendation,
  RecommendationList,
  RecommendationSkip,
} from '@costscope/backstage-plugin-common';

/**
 * The state a recommendation has on `today` (YYYY-MM-DD, UTC): a snooze whose day has come is open
 * again.
 */
export function stateOn(
  recommendation: Recommendation,
  today: string,
): Recommendation['state'] {
  if (
    recommendation.state === 'snoozed' &&
    recommendation.dismissal?.until !== undefined
  ) {
    return recommendation.dismissal.until <= today ? 'open' : 'snoozed';
  }
  return recommendation.state;
}

/**
 * Whether a dismissed recommendation should come back because its evidence changed a lot: another
 * suggested type, or a monthly saving that moved by more than `thresholdPercent` (default 50)
 * of the saving it had when it was dismissed.
 */
export function evidenceChangedMaterially(
  dismissed: Recommendation,
  current: Recommendation,
  thresholdPercent = 50,
): boolean {
  if (dismissed.kind !== current.kind) return true;
  if ((dismissed.suggestedType ?? '') !== (current.suggestedType ?? ''))
    return true;
  const before = moneyToNanos(dismissed.monthlySaving);
  const now = moneyToNanos(current.monthlySaving);
  const change = now > before ? now - before : before - now;
  // change / before > threshold / 100, in integers (threshold to 1/100 of a percent)
  const threshold = BigInt(Math.round(thresholdPercent * 100));
  return change * 10000n > before * threshold;
}

/** What a recommendation saves in a list: an entity's share of a purchase, else the whole. */
export function savingOf(recommendation: Recommendation): string {
  return recommendation.share?.monthlySaving ?? recommendation.monthlySaving;
}

/**
 * The answer for one entity (or `organization`): open recommendations (state on `today`) largest
 * saving first and their exact total (an entity's share of a Savings Plan purchase counts by
 * its share); dismissed and snoozed recommendations apart, outside the
 * total.
 */
export function buildRecommendationList(options: {
  entityRef: string;
  currency: string;
  recommendations: Recommendation[];
  skipped?: RecommendationSkip[];
  today: string;
  computedAt?: string;
}): RecommendationList {
  const items: Recommendation[] = [];
  const dismissed: Recommendation[] = [];
  let total = 0n;
  for (const recommendation of options.recommendations) {
    const state = stateOn(recommendation, options.today);
    if (state === 'open') {
      const open: Recommendation = { ...recommendation, state: 'open' };
      delete open.dismissal;
      items.push(open);
      total += moneyToNanos(savingOf(recommendation));
    } else {
      dismissed.push({ ...recommendation, state });
    }
  }
  const bySaving = (a: Recommendation, b: Recommendation) => {
    const x = moneyToNanos(savingOf(a));
    const y = moneyToNanos(savingOf(b));
    if (x !== y) return x > y ? -1 : 1;
    return a.id.localeCompare(b.id);
  };
  items.sort(bySaving);
  dismissed.sort(bySaving);
  return {
    entityRef: options.entityRef,
    currency: options.currency,
    totalMonthlySaving: nanosToMoney(total),
    items,
    dismissed,
    ...(options.skipped ? { skipped: options.skipped } : {}),
    ...(options.computedAt ? { computedAt: options.computedAt } : {}),
  };
}
