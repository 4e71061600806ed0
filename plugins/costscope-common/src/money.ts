/** Fractional digits of stored amounts: nano-units. @public */
export const MONEY_SCALE = 9;

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

/** Parses a decimal string with at most 9 fractional digits into nano-units. @public */
export function moneyToNanos(amount: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,9}))?$/.exec(amount.trim());
  if (!match) {
    throw new TypeError(`Invalid money amount '${amount}'`);
  }
  const [, sign, whole, fraction = ''] = match;
  const nanos =
    BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(MONEY_SCALE, '0'));
  return sign ? -nanos : nanos;
}

/** Formats nano-units as a decimal string with 9 fractional digits. @public */
export function nanosToMoney(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const whole = abs / 1_000_000_000n;
  const fraction = (abs % 1_000_000_000n).toString().padStart(MONEY_SCALE, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
