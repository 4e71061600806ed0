import { moneyToNanos } from '@costscope/backstage-plugin-common';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, signed: boolean): Intl.NumberFormat {
  const key = `${currency}|${signed}`;
  let result = formatters.get(key);
  if (!result) {
    try {
      result = new Intl.NumberFormat(undefined, {
        style: 'currency',
        currency,
        signDisplay: signed ? 'exceptZero' : 'auto',
      });
    } catch {
      // Unknown currency code: show the number and the code.
      result = new Intl.NumberFormat(undefined, {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
        signDisplay: signed ? 'exceptZero' : 'auto',
      });
      const plain = result;
      result = {
        format: (value: number) => `${plain.format(value)} ${currency}`,
      } as Intl.NumberFormat;
    }
    formatters.set(key, result);
  }
  return result;
}

/**
 * Formats a decimal money string in its currency, e.g. `"1234.5"` -> `$1,234.50`.
 * The string is turned into a number for display only; amounts are never added as floats.
 */
export function formatMoney(
  amount: string,
  currency: string,
  options?: { signed?: boolean },
): string {
  return formatter(currency, options?.signed ?? false).format(Number(amount));
}

/**
 * Formats a cost per unit: like {@link formatMoney}, with up to 4 fractional digits below 1
 * (cents per order would otherwise all read $0.01).
 */
export function formatUnitCost(amount: string, currency: string): string {
  const value = Number(amount);
  if (Math.abs(value) >= 1) return formatMoney(amount, currency);
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 4,
    }).format(value);
  } catch {
    return formatMoney(amount, currency);
  }
}

const percent = new Intl.NumberFormat(undefined, {
  style: 'percent',
  maximumFractionDigits: 1,
});
const signedPercent = new Intl.NumberFormat(undefined, {
  style: 'percent',
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});

/** A share 0..1 as a percentage; a dash when unknown. */
export function formatShare(share: number | null | undefined): string {
  return share === null || share === undefined ? '–' : percent.format(share);
}

/** A relative change as a signed percentage; a dash when unknown. */
export function formatChangeRatio(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined
    ? '–'
    : signedPercent.format(ratio);
}

/** Sign of a money string: -1, 0 or 1 (0 for unparseable input). */
export function moneySign(amount: string): -1 | 0 | 1 {
  try {
    const nanos = moneyToNanos(amount);
    if (nanos > 0n) return 1;
    if (nanos < 0n) return -1;
    return 0;
  } catch {
    return 0;
  }
}

/** True when a money string is zero. */
export function isZeroMoney(amount: string): boolean {
  return moneySign(amount) === 0;
}

/** Exact comparison of two money strings, for sorting. */
export function compareMoney(a: string, b: string): number {
  try {
    const x = moneyToNanos(a);
    const y = moneyToNanos(b);
    if (x === y) return 0;
    return x < y ? -1 : 1;
  } catch {
    return Number(a) - Number(b);
  }
}

/** A duration in milliseconds as `850 ms`, `12.3 s`, `4m 05s` or `1h 02m`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) {
    return `${minutes}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  }
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(
    2,
    '0',
  )}m`;
}

/** A date-time string in the user's locale; the input when it does not parse. */
export function formatDateTime(value: string | undefined): string {
  if (!value) return '–';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}
