import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { decimalUnits } from '@costscope/backstage-plugin-node/testUtils';
import { parse } from 'csv-parse/sync';

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
        (totals.get(account) ?? 0n) + decimalUnits(row.BilledCost, 12),
      );
    }
  }
  // 1e-12 units to nano-units, half away from zero (all demo sums are positive).
  return new Map(
    [...totals].map(([account, units]) => [account, (units + 500n) / 1000n]),
  );
}
