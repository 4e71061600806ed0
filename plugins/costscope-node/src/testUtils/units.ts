import fs from 'node:fs';
import path from 'node:path';
import { CostLine } from '@costscope/backstage-plugin-node';

/**
 * A decimal string as an exact integer count of `10^-scale`; digits past `scale` are dropped.
 * @public
 */
export function decimalUnits(amount: string, scale = 18): bigint {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = (negative ? amount.slice(1) : amount).split(
    '.',
  );
  const value = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
  return negative ? -value : value;
}

/**
 * The exact sum of one amount of the lines in units of 1e-18, as `decimalUnits` reads them; a
 * missing amount counts as zero.
 * @public
 */
export function sumCostUnits(
  lines: CostLine[],
  pick: (line: CostLine) => string | undefined,
): bigint {
  return lines.reduce((sum, line) => sum + decimalUnits(pick(line) ?? '0'), 0n);
}

/**
 * The bytes of the files directly in a folder: what a query engine scans of one partition.
 * @public
 */
export function directoryBytes(dir: string): number {
  return fs
    .readdirSync(dir)
    .reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}
