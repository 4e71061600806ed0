import {
  divideHalfEven,
  MONEY_SCALE,
} from '@costscope/backstage-plugin-common';

/**
 * Fractional digits of the backend's working precision: source amounts are parsed into "atto"
 * units (1e-18) as BigInt (`parseDecimal(text, WORK_SCALE)` of -common), summed exactly, and
 * rounded once to the stored nano-units.
 */
export const WORK_SCALE = 18;
const WORK_TO_NANO = 10n ** BigInt(WORK_SCALE - MONEY_SCALE);

/** Rounds a working-precision amount to nano-units, half to even. */
export function toNanos(work: bigint): bigint {
  return divideHalfEven(work, WORK_TO_NANO);
}

/** Orders two BigInts ascending, for sort comparators (BigInt has no number difference). */
export function compareBigInt(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** `part / total` to 6 decimal places as a number (a breakdown's share), null for a zero total. */
export function shareOf(part: bigint, total: bigint): number | null {
  return total === 0n ? null : Number((part * 1_000_000n) / total) / 1_000_000;
}

/**
 * `(current - previous) / |previous|` to 6 decimal places as a number (a summary's change),
 * null for a zero previous amount.
 */
export function changeRatioOf(
  current: bigint,
  previous: bigint,
): number | null {
  if (previous === 0n) return null;
  const base = previous < 0n ? -previous : previous;
  return Number(((current - previous) * 1_000_000n) / base) / 1_000_000;
}
