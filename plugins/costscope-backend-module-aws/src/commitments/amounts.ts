import {
  divideHalfEven,
  nanosToMoney,
  parseDecimal,
} from '@costscope/backstage-plugin-common';

/** Scale of sums and differences before their one rounding to nano-units. */
const EXACT = 18;
const TO_NANOS = 10n ** BigInt(EXACT - 9);

function exact(text: string | undefined, what: string): bigint {
  const value = parseDecimal(text ?? '', EXACT);
  if (value === undefined) {
    throw new Error(
      `Cost Explorer sent '${text ?? ''}' for ${what}, not a number`,
    );
  }
  return value;
}

/** Half to even, once, from the exact scale to nano-units. */
function toMoney(value: bigint): string {
  return nanosToMoney(divideHalfEven(value, TO_NANOS));
}

/** A Cost Explorer amount as money (nine decimals), rounded once. */
export function money(text: string | undefined, what: string): string {
  return toMoney(exact(text, what));
}

/** a + b, exactly, rounded once to money. */
export function moneySum(
  a: string | undefined,
  b: string | undefined,
  what: string,
): string {
  return toMoney(exact(a, what) + exact(b, what));
}

/** a - b, exactly, rounded once to money. */
export function moneyDifference(
  a: string | undefined,
  b: string | undefined,
  what: string,
): string {
  return toMoney(exact(a, what) - exact(b, what));
}
