import { divideHalfEven } from '@costscope/backstage-plugin-common';
import { WORK_SCALE } from '../lib/decimal';

/** Fractional digits a rate may have: more than any central bank publishes. */
export const MAX_RATE_DIGITS = 12;
const RATE_TEXT = new RegExp(`^(\\d+)(?:\\.(\\d{1,${MAX_RATE_DIGITS}}))?$`);

/**
 * One month's rate of one currency: reporting-currency units per unit of that currency,
 * kept as the decimal it was written as (`text`) and as an exact fraction.
 */
export interface ExchangeRate {
  text: string;
  /** The rate's digits without the decimal point. */
  digits: bigint;
  /** 10 to the number of its fractional digits. */
  divisor: bigint;
}

/** The rate text as an exact rate, or undefined when it is not a positive plain decimal. */
export function parseRate(text: string): ExchangeRate | undefined {
  const match = RATE_TEXT.exec(text.trim());
  if (!match) return undefined;
  const [, whole, fraction = ''] = match;
  const digits = BigInt(`${whole}${fraction}`);
  if (digits === 0n) return undefined;
  return {
    text: text.trim(),
    digits,
    divisor: 10n ** BigInt(fraction.length),
  };
}

const WORK_PER_NANO = 10n ** BigInt(WORK_SCALE - 9);
const IMPLIED_RATE_DIVISOR = 10n ** BigInt(MAX_RATE_DIGITS);

/**
 * The rate an export's own amounts imply: what the lines cost in the reporting currency
 * (their FOCUS 1.2 `PricingCurrencyEffectiveCost`) over what they cost as billed, both exact,
 * rounded half to even to MAX_RATE_DIGITS digits; undefined unless it is positive.
 */
export function impliedRate(
  pricingWork: bigint,
  billingWork: bigint,
): ExchangeRate | undefined {
  if (billingWork === 0n) return undefined;
  const digits = divideHalfEven(
    pricingWork * IMPLIED_RATE_DIVISOR,
    billingWork,
  );
  if (digits <= 0n) return undefined;
  const whole = digits / IMPLIED_RATE_DIVISOR;
  const fraction = (digits % IMPLIED_RATE_DIVISOR)
    .toString()
    .padStart(MAX_RATE_DIGITS, '0')
    .replace(/0+$/, '');
  return {
    text: fraction ? `${whole}.${fraction}` : `${whole}`,
    digits,
    divisor: IMPLIED_RATE_DIVISOR,
  };
}

/**
 * Exchange rates into the reporting currency, per currency and month (`YYYY-MM`). Amounts in
 * the reporting currency need none.
 */
export class ExchangeRates {
  constructor(
    readonly reportingCurrency: string,
    private readonly rates: ReadonlyMap<
      string,
      ReadonlyMap<string, ExchangeRate>
    > = new Map(),
  ) {}

  /** The rate of `currency` in `month` (`YYYY-MM`); undefined when none is configured. */
  rateOf(currency: string, month: string): ExchangeRate | undefined {
    return this.rates.get(currency)?.get(month);
  }

  /** Currencies with at least one rate. */
  currencies(): string[] {
    return [...this.rates.keys()].sort();
  }

  /**
   * Why a line in `currency` billed in `month` cannot be taken, or undefined when it can:
   * it is in the reporting currency, its month has a rate, or it was priced in the reporting
   * currency (`pricedIn`, FOCUS 1.2), which gives the month's rate from the export itself.
   */
  refusal(
    currency: string,
    month: string,
    pricedIn?: string,
  ): string | undefined {
    if (currency === this.reportingCurrency) return undefined;
    if (this.rateOf(currency, month)) return undefined;
    if (pricedIn === this.reportingCurrency) return undefined;
    return (
      `BillingCurrency ${currency} has no exchange rate to ${this.reportingCurrency} for ` +
      `${month} (set costscope.exchangeRates)`
    );
  }
}

/**
 * An exact amount in 1e-18 units of a currency, converted at `rate` and rounded once, half to
 * even, to nano-units of the reporting currency.
 */
export function convertToNanos(work: bigint, rate: ExchangeRate): bigint {
  return divideHalfEven(work * rate.digits, rate.divisor * WORK_PER_NANO);
}
