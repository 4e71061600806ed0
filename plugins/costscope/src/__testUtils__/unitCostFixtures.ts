import type {
  EntityUnitCost,
  UnitCostQuery,
} from '@costscope/backstage-plugin-common';

/** The periods of a range: each day, or each calendar month (`YYYY-MM`) it touches. */
function periodsOf(query: UnitCostQuery): string[] {
  const periods: string[] = [];
  const day = new Date(`${query.from}T00:00:00Z`);
  const last = new Date(`${query.to}T00:00:00Z`);
  while (day <= last) {
    const text = day.toISOString().slice(0, 10);
    const period = query.granularity === 'month' ? text.slice(0, 7) : text;
    if (periods[periods.length - 1] !== period) periods.push(period);
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return periods;
}

/**
 * Cost per order of an entity: 100 a period over 40 orders (2.50 an order), the period
 * before at 2.00, so the change is +0.50 (+25 %). `hasValues: false` answers as for an
 * entity that reports no metric: no units, no unit cost.
 */
export function unitCostFor(
  entityRef: string,
  query: UnitCostQuery,
  options: { hasValues?: boolean; reportingEntities?: number } = {},
): EntityUnitCost {
  const hasValues = options.hasValues ?? true;
  const reportingEntities = hasValues ? options.reportingEntities ?? 1 : 0;
  const periods = periodsOf(query);
  const n = BigInt(periods.length);
  const money = (units: bigint) => `${units}.000000000`;
  const amounts = (count: bigint) => ({
    cost: money(100n * count),
    units: money(hasValues ? 40n * count : 0n),
    unitCost: hasValues ? '2.500000000' : null,
  });
  return {
    entityRef,
    metric: 'orders',
    unit: 'order',
    hasValues,
    // A group or system counts the entities below it that report the metric.
    rolledUp: reportingEntities > 0 && !/^component:/.test(entityRef),
    reportingEntities,
    metrics: [
      { name: 'orders', unit: 'order', description: 'Checkout orders' },
    ],
    currency: 'USD',
    costBasis: query.costBasis ?? 'effective',
    granularity: query.granularity ?? 'day',
    from: query.from,
    to: query.to,
    points: periods.map(period => ({ period, ...amounts(1n) })),
    total: amounts(n),
    previous: {
      from: query.from,
      to: query.to,
      cost: money(80n * n),
      units: money(hasValues ? 40n * n : 0n),
      unitCost: hasValues ? '2.000000000' : null,
    },
    change: hasValues ? '0.500000000' : null,
    changeRatio: hasValues ? 0.25 : null,
  };
}
