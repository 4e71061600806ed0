const TIB = 2n ** 40n;
const NANOS = 10n ** 9n;

function toNanos(usd: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(usd);
  if (!m)
    throw new Error(`'${usd}' is not a USD amount with at most 9 decimals`);
  return BigInt(m[1]) * NANOS + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/**
 * What BigQuery on-demand bills for `bytesBilled` (the job's totalBytesBilled, already rounded
 * and at least 10 MiB per table): `pricePerTibUsd` per TiB (2^40 bytes), rounded up to a
 * nano-dollar.
 */
export function bigQueryCostUsd(
  bytesBilled: number | string,
  pricePerTibUsd: string,
): string {
  const bytes = BigInt(bytesBilled);
  if (bytes < 0n) throw new Error(`negative bytes billed: ${bytesBilled}`);
  const nanos = (bytes * toNanos(pricePerTibUsd) + TIB - 1n) / TIB;
  return `${nanos / NANOS}.${(nanos % NANOS).toString().padStart(9, '0')}`;
}
