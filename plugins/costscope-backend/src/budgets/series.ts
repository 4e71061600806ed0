/**
 * Small helpers shared by the budget statistics: UTC day numbers, dense daily series and
 * robust summaries. Statistics run on floats (nano-units as numbers); money stays BigInt
 * outside them.
 */

/** Daily amounts in nano-units (1e-9 of the currency) keyed by UTC day `YYYY-MM-DD`. */
export type DailySeries = ReadonlyMap<string, bigint>;

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Days since 1970-01-01 of a UTC day `YYYY-MM-DD`; throws on anything else. */
export function toEpochDay(day: string): number {
  const ms = DAY_PATTERN.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new TypeError(`'${day}' is not a UTC day YYYY-MM-DD`);
  }
  return ms / DAY_MS;
}

/** The UTC day `YYYY-MM-DD` of a day number. */
export function fromEpochDay(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

/** Weekday of a day number, 0 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(epochDay: number): number {
  return (((epochDay + 4) % 7) + 7) % 7;
}

/** True for the 1st of a month, the day monthly charges (fees, tax, credits) are dated. */
export function isMonthStart(epochDay: number): boolean {
  return new Date(epochDay * DAY_MS).getUTCDate() === 1;
}

/**
 * The known part of a series as a dense array: index 0 is its first day with an amount,
 * the last index is the day before `until`. Days without an amount inside that span are 0
 * (no charges); days before the first amount are unknown and not part of the array.
 */
export function denseSeries(
  daily: DailySeries,
  until: number,
): { first: number; values: number[] } {
  let first = Infinity;
  for (const day of daily.keys()) {
    const epochDay = toEpochDay(day);
    if (epochDay < until && epochDay < first) first = epochDay;
  }
  if (first === Infinity) return { first: until, values: [] };
  const values = new Array<number>(until - first).fill(0);
  for (const [day, nanos] of daily) {
    const epochDay = toEpochDay(day);
    if (epochDay < until) values[epochDay - first] += Number(nanos);
  }
  return { first, values };
}

/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median absolute deviation from `center`. */
export function medianAbsoluteDeviation(
  values: readonly number[],
  center: number,
): number {
  return median(values.map(value => Math.abs(value - center)));
}

/** Scales a MAD to a standard deviation for normally distributed noise. */
export const MAD_TO_SIGMA = 1.4826;

/** Linear-interpolated quantile `q` (0..1) of a non-empty list. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** Rounds a float amount of nano-units to nano BigInt. */
export function roundNanos(value: number): bigint {
  return Number.isFinite(value) ? BigInt(Math.round(value)) : 0n;
}
