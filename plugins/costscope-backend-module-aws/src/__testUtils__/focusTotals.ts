import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';

const SCALE = 10n ** 12n;

function toUnits(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = (negative ? amount.slice(1) : amount).split(
    '.',
  );
  const units =
    BigInt(whole) * SCALE + BigInt(fraction.padEnd(12, '0').slice(0, 12));
  return negative ? -units : units;
}

/**
 * BilledCost of the demo's AWS FOCUS files per SubAccountId, summed exactly, as nano-units:
 * what the FOCUS path stores, for comparing against the Cost Explorer path.
 */
export function focusBilledNanosByAccount(dir: string): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.csv.gz'))) {
    const text = zlib
      .gunzipSync(fs.readFileSync(path.join(dir, file)))
      .toString();
    const rows: Record<string, string>[] = parse(text, { columns: true });
    for (const row of rows) {
      const account = row.SubAccountId;
      totals.set(
        account,
        (totals.get(account) ?? 0n) + toUnits(row.BilledCost),
      );
    }
  }
  // 1e-12 units to nano-units, half away from zero (all demo sums are positive).
  return new Map(
    [...totals].map(([account, units]) => [account, (units + 500n) / 1000n]),
  );
}
