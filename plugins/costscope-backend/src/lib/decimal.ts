/**
 * Exact decimal arithmetic for money. Source amounts are parsed into "atto" units (1e-18) as
 * BigInt, summed exactly, and rounded once to the stored nano-units (1e-9).
 */

/** Fractional digits of the working precision. */
export const WORK_SCALE = 18;
const WORK_TO_NANO = 10n ** BigInt(WORK_SCALE - 9);

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal string (plain or scientific notation, as real billing exports write it)
 * into units of 1e-18, rounding half to even beyond 18 fractional digits.
 * Returns undefined when the text is not a number.
 */
export function parseDecimal(text: string): bigint | undefined {
  const match = DECIMAL_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) {
    return undefined;
  }
  const digits = BigInt(`${whole}${fraction}` || '0');
  // value = digits * 10^(exponent - fraction.length); scale it to 10^-WORK_SCALE.
  const shift = exponent - fraction.length + WORK_SCALE;
  const scaled =
    shift >= 0
      ? digits * 10n ** BigInt(shift)
      : divideHalfEven(digits, 10n ** BigInt(-shift));
  return sign === '-' ? -scaled : scaled;
}

/** Rounds a working-precision amount to nano-units, half to even. */
export function toNanos(work: bigint): bigint {
  return divideHalfEven(work, WORK_TO_NANO);
}

/** Integer division rounding half to even (banker's rounding), for any signs. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator < 0n) return divideHalfEven(-numerator, -denominator);
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let quotient = abs / denominator;
  const twiceRemainder = (abs % denominator) * 2n;
  if (
    twiceRemainder > denominator ||
    (twiceRemainder === denominator && quotient % 2n === 1n)
  ) {
    quotient += 1n;
  }
  return negative ? -quotient : quotient;
}

/** Orders two BigInts ascending, for sort comparators (BigInt has no number difference). */
export function compareBigInt(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
