import type { DateRange } from '@costscope/backstage-plugin-common';

/**
 * The ranges every Costscope view offers.
 * @public
 */
export type RangePreset = 'mtd' | 'last30' | 'last90' | 'last12m';

/** The presets in display order, with their labels. @public */
export const RANGE_PRESETS: ReadonlyArray<{
  value: RangePreset;
  label: string;
}> = [
  { value: 'mtd', label: 'Month to date' },
  { value: 'last30', label: 'Last 30 days' },
  { value: 'last90', label: 'Last 90 days' },
  { value: 'last12m', label: 'Last 12 months' },
];

/** @public */
export const DEFAULT_RANGE_PRESET: RangePreset = 'last30';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of a UTC date. */
export function toIsoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function utcDay(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month, day));
}

/**
 * The inclusive range of UTC days for a preset. Billing data ends yesterday (UTC), so every
 * range ends yesterday; month to date on the 1st of a month is the 1st alone.
 * Last 12 months is the 12 months ending yesterday: from the day after the same date a year
 * earlier (365 or 366 days).
 * @public
 */
export function rangeForPreset(
  preset: RangePreset,
  now: Date = new Date(),
): DateRange {
  const today = utcDay(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  const yesterday = new Date(today.getTime() - DAY_MS);
  const to = toIsoDay(yesterday);
  const daysBack = (days: number) =>
    toIsoDay(new Date(yesterday.getTime() - (days - 1) * DAY_MS));

  switch (preset) {
    case 'mtd': {
      const first = utcDay(today.getUTCFullYear(), today.getUTCMonth(), 1);
      const from = toIsoDay(first);
      return { from, to: yesterday < first ? from : to };
    }
    case 'last90':
      return { from: daysBack(90), to };
    case 'last12m': {
      // The same date a year earlier (29 February -> 28 February), then the day after.
      const year = yesterday.getUTCFullYear() - 1;
      const month = yesterday.getUTCMonth();
      const lastOfMonth = utcDay(year, month + 1, 0).getUTCDate();
      const sameDay = utcDay(
        year,
        month,
        Math.min(yesterday.getUTCDate(), lastOfMonth),
      );
      return { from: toIsoDay(new Date(sameDay.getTime() + DAY_MS)), to };
    }
    case 'last30':
    default:
      return { from: daysBack(30), to };
  }
}

/**
 * The last 12 calendar months up to yesterday (UTC), whole months but the last: from the 1st
 * of the month eleven months before yesterday's.
 */
export function lastTwelveMonths(now: Date = new Date()): DateRange {
  const { to } = rangeForPreset('last30', now);
  const year = Number(to.slice(0, 4));
  const month = Number(to.slice(5, 7)) - 1;
  return { from: toIsoDay(utcDay(year, month - 11, 1)), to };
}

/** Number of days in an inclusive range. */
export function rangeLengthInDays(range: DateRange): number {
  return (
    Math.round(
      (Date.parse(`${range.to}T00:00:00Z`) -
        Date.parse(`${range.from}T00:00:00Z`)) /
        DAY_MS,
    ) + 1
  );
}
