import { JsonObject } from '@backstage/types';

const DAY_MS = 86_400_000;

/** What a Cost Explorer source remembers between runs. */
export interface CostWindowState extends JsonObject {
  /** The earliest day backfilled so far. */
  backfilledFrom: string;
  /** The last day whose cost can no longer change (not Estimated, older than the settle days). */
  finalThrough: string;
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS)
    .toISOString()
    .slice(0, 10);
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function isState(value: JsonObject | undefined): value is CostWindowState {
  return (
    typeof value?.backfilledFrom === 'string' &&
    typeof value?.finalThrough === 'string'
  );
}

/**
 * The days `[from, to)` a run must read: everything back to the backfill horizon on the first
 * run (or when the horizon moved back), else only the days that can still change: after the
 * last final day, and at least the last `settleDays` days. `to` is today: today's cost is
 * not known yet.
 */
export function planCostWindow(options: {
  today: string;
  state: JsonObject | undefined;
  backfillDays: number;
  settleDays: number;
}): { from: string; to: string; backfill: boolean } {
  const { today, state, backfillDays, settleDays } = options;
  const horizon = addDays(today, -backfillDays);
  if (!isState(state) || state.backfilledFrom > horizon) {
    return { from: horizon, to: today, backfill: true };
  }
  const unsettled = addDays(today, -settleDays);
  const afterFinal = addDays(state.finalThrough, 1);
  const from = afterFinal < unsettled ? afterFinal : unsettled;
  return { from: from < horizon ? horizon : from, to: today, backfill: false };
}

/** The state after a successful read of `window`. */
export function nextCostWindowState(options: {
  window: { from: string; to: string };
  previous: JsonObject | undefined;
  firstEstimatedDay: string | undefined;
  settleDays: number;
}): CostWindowState {
  const { window, previous, firstEstimatedDay, settleDays } = options;
  let finalThrough = addDays(window.to, -settleDays - 1);
  if (firstEstimatedDay && addDays(firstEstimatedDay, -1) < finalThrough) {
    finalThrough = addDays(firstEstimatedDay, -1);
  }
  const earlier = addDays(window.from, -1);
  if (finalThrough < earlier) finalThrough = earlier;
  const backfilledFrom =
    isState(previous) && previous.backfilledFrom < window.from
      ? previous.backfilledFrom
      : window.from;
  return { backfilledFrom, finalThrough };
}
