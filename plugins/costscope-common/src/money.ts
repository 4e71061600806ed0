/** Fractional digits of stored amounts: nano-units. @public */
export const MONEY_SCALE = 9;

const NANOS_PER_UNIT = 10n ** BigInt(MONEY_SCALE);

/** Plain or scientific notation with an optional sign, as billing exports write numbers. */
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Money as the API writes it: an optional minus, digits, at most 9 fractional digits. */
const MONEY_TEXT = /^-?\d+(?:\.\d{1,9})?$/;

/** Exponents further out than this are not numbers an amount can be (and would cost memory). */
const MAX_EXPONENT = 400;

/** Powers of ten a parse usually needs, computed once. */
const POWERS_OF_TEN = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));
const powerOfTen = (n: number) => POWERS_OF_TEN[n] ?? 10n ** BigInt(n);

/**
 * Parses decimal text exactly into whole units of 10^-`scale` (9: nano-units; the backend sums
 * source amounts at 18), rounding half to even beyond `scale` fractional digits. Reads what
 * billing exports write: plain or scientific notation, a sign, a bare leading or trailing point,
 * spaces around. Returns undefined when the text is not a number.
 *
 * This is Costscope's one decimal parser; stricter formats (see {@link isMoneyText}) are checks
 * made before it.
 * @public
 */
export function parseDecimal(text: string, scale: number): bigint | undefined {
  const match = DECIMAL_TEXT.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT) {
    return undefined;
  }
  const digits = BigInt(`${whole}${fraction}` || '0');
  // value = digits * 10^(exponent - fraction.length); scale it to 10^-scale.
  const shift = exponent - fraction.length + scale;
  const scaled =
    shift >= 0
      ? digits * powerOfTen(shift)
      : divideHalfEven(digits, powerOfTen(-shift));
  return sign === '-' ? -scaled : scaled;
}

/**
 * Whether `text` is money as the API writes it: an optional minus, digits, and at most 9
 * fractional digits; no plus sign, exponent, bare point or spaces.
 * @public
 */
export function isMoneyText(text: string): boolean {
  return MONEY_TEXT.test(text);
}

/**
 * Parses money as the API writes it ({@link isMoneyText}, spaces around allowed) into nano-units;
 * throws a TypeError for anything else, exponents and a tenth digit included.
 * @public
 */
export function moneyToNanos(amount: string): bigint {
  const text = amount.trim();
  if (!isMoneyText(text)) {
    throw new TypeError(`Invalid money amount '${amount}'`);
  }
  return parseDecimal(text, MONEY_SCALE)!;
}

/** Formats nano-units as a decimal string with 9 fractional digits. @public */
export function nanosToMoney(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const whole = abs / NANOS_PER_UNIT;
  const fraction = (abs % NANOS_PER_UNIT).toString().padStart(MONEY_SCALE, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/**
 * Adds decimal money strings exactly (no floats). Used by clients that total API answers,
 * such as the CSV export or a test comparing a sum against a stored total.
 * @public
 */
export function addMoney(...amounts: string[]): string {
  let sum = 0n;
  for (const amount of amounts) sum += moneyToNanos(amount);
  return nanosToMoney(sum);
}

/** Integer division rounding half to even (banker's rounding), for any signs. @public */
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
