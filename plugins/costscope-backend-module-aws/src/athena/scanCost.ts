const MB = 2n ** 20n;
const TB = 2n ** 40n;
/** Athena bills at least 10 MB per query. */
const MINIMUM_BYTES = 10n * MB;
const NANOS = 10n ** 9n;

function toNanos(usd: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(usd);
  if (!m)
    throw new Error(`'${usd}' is not a USD amount with at most 9 decimals`);
  return BigInt(m[1]) * NANOS + BigInt((m[2] ?? '').padEnd(9, '0'));
}

function nanosToUsd(nanos: bigint): string {
  const fraction = (nanos % NANOS).toString().padStart(9, '0');
  return `${nanos / NANOS}.${fraction}`;
}

/**
 * What Athena bills for a query that scanned `bytes`: the data rounded up to a whole MB, at
 * least 10 MB, at `pricePerTbUsd` per TB (2^40 bytes), rounded up to a nano-dollar. A query
 * that failed is not billed (pass 0 and `billed: false`).
 */
export function athenaScanCostUsd(
  bytes: number,
  pricePerTbUsd: string,
  billed = true,
): string {
  if (!billed) return '0.000000000';
  const raw = BigInt(Math.max(0, Math.floor(bytes)));
  const rounded = ((raw + MB - 1n) / MB) * MB;
  const charged = rounded < MINIMUM_BYTES ? MINIMUM_BYTES : rounded;
  const numerator = charged * toNanos(pricePerTbUsd);
  return nanosToUsd((numerator + TB - 1n) / TB);
}
