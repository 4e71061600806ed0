import {
  divideHalfEven,
  parseDecimal,
} from '@costscope/backstage-plugin-common';
import { WORK_SCALE } from '../lib/decimal';

/**
 * Exact arithmetic for savings: an amount is a fraction of nano-units (`n / d`, both BigInt,
 * `d > 0`). Prices, hours and shares multiply without loss; a result is rounded once, half to
 * even, when it becomes a money string.
 */
export interface Exact {
  n: bigint;
  d: bigint;
}

/** Hours in a month, as AWS prices a month: 8760 / 12. */
export const HOURS_PER_MONTH = 730n;

/** Hours in a week. */
export const HOURS_PER_WEEK = 168n;

const WORK_UNIT = 10n ** BigInt(WORK_SCALE);

/** A whole number of nano-units. */
export function exact(nanos: bigint): Exact {
  return { n: nanos, d: 1n };
}

/**
 * A plain decimal number from config or a data file (a share, a percentage, a size) as an
 * exact fraction, read by -common's `parseDecimal` at the working precision (1e-18). Uses the
 * number's shortest decimal text (`String(0.28)` is `0.28`), so the value a user wrote is the
 * value used; throws a TypeError for what is not a number.
 */
export function decimalFraction(value: number | string): Exact {
  const parsed = parseDecimal(String(value), WORK_SCALE);
  if (parsed === undefined) {
    throw new TypeError(`'${value}' is not a decimal number`);
  }
  return { n: parsed, d: WORK_UNIT };
}

export function multiply(a: Exact, b: Exact): Exact {
  return { n: a.n * b.n, d: a.d * b.d };
}

export function times(a: Exact, factor: bigint): Exact {
  return { n: a.n * factor, d: a.d };
}

export function divide(a: Exact, b: Exact): Exact {
  if (b.n === 0n) throw new RangeError('division by zero');
  const sign = b.n < 0n ? -1n : 1n;
  return { n: a.n * b.d * sign, d: a.d * b.n * sign };
}

export function subtract(a: Exact, b: Exact): Exact {
  return { n: a.n * b.d - b.n * a.d, d: a.d * b.d };
}

/** `1 - share`. */
export function complement(share: Exact): Exact {
  return { n: share.d - share.n, d: share.d };
}

/** `percent / 100` as a share. */
export function percentShare(percent: number): Exact {
  const p = decimalFraction(percent);
  return { n: p.n, d: p.d * 100n };
}

export function compare(a: Exact, b: Exact): number {
  const left = a.n * b.d;
  const right = b.n * a.d;
  if (left < right) return -1;
  return left > right ? 1 : 0;
}

/** Rounds to whole nano-units, half to even: the one rounding of a result. */
export function roundNanos(value: Exact): bigint {
  return divideHalfEven(value.n, value.d);
}

/** The monthly amount (730 hours) of an hourly amount. */
export function monthly(hourly: Exact): Exact {
  return times(hourly, HOURS_PER_MONTH);
}
