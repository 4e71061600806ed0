import {
  DateRange,
  divideHalfEven,
  MONEY_SCALE,
  nanosToMoney,
  UnitCostAmounts,
  UnitCostGranularity,
  UnitCostPoint,
} from '@costscope/backstage-plugin-common';
import { eachDay, monthsOf } from '../lib/dates';

const NANOS_PER_UNIT = 10n ** BigInt(MONEY_SCALE);

/**
 * Cost per unit in nano-units of the currency: `cost / units`, both in nano-units, rounded
 * half to even to 9 fractional digits (the one rounding, after exact sums); null without
 * units, where a ratio would be infinite or meaningless.
 */
export function unitCostNanos(
  costNanos: bigint,
  unitsNanos: bigint,
): bigint | null {
  if (unitsNanos === 0n) return null;
  return divideHalfEven(costNanos * NANOS_PER_UNIT, unitsNanos);
}

/** Cost, units and their ratio as the API writes them. */
export function unitCostAmounts(
  costNanos: bigint,
  unitsNanos: bigint,
): UnitCostAmounts {
  const ratio = unitCostNanos(costNanos, unitsNanos);
  return {
    cost: nanosToMoney(costNanos),
    units: nanosToMoney(unitsNanos),
    unitCost: ratio === null ? null : nanosToMoney(ratio),
  };
}

function sumOver(values: Map<string, bigint>, days: Iterable<string>): bigint {
  let sum = 0n;
  for (const day of days) sum += values.get(day) ?? 0n;
  return sum;
}

/**
 * Points of a range, per day or per calendar month (clipped to the range), and the range's
 * total. A month's unit cost is its summed cost over its summed units, not an average of
 * daily ratios, so that a quiet day weighs as little as it counts.
 */
export function unitCostSeries(
  range: DateRange,
  granularity: UnitCostGranularity,
  costs: Map<string, bigint>,
  units: Map<string, bigint>,
): {
  points: UnitCostPoint[];
  total: UnitCostAmounts;
  totals: [bigint, bigint];
} {
  const periods =
    granularity === 'day'
      ? eachDay(range.from, range.to).map(day => ({ period: day, days: [day] }))
      : monthsOf(range.from, range.to).map(month => ({
          period: month.month,
          days: eachDay(month.from, month.to),
        }));
  let costTotal = 0n;
  let unitsTotal = 0n;
  const points = periods.map(({ period, days }) => {
    const cost = sumOver(costs, days);
    const count = sumOver(units, days);
    costTotal += cost;
    unitsTotal += count;
    return { period, ...unitCostAmounts(cost, count) };
  });
  return {
    points,
    total: unitCostAmounts(costTotal, unitsTotal),
    totals: [costTotal, unitsTotal],
  };
}
