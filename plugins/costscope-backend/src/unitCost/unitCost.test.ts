import { unitCostAmounts, unitCostNanos, unitCostSeries } from './unitCost';

describe('unit cost', () => {
  it('divides exactly and rounds half to even to 9 fractional digits', () => {
    // 10.000000001 / 3 = 3.333333333666...: rounds up.
    expect(unitCostAmounts(10_000_000_001n, 3_000_000_000n)).toEqual({
      cost: '10.000000001',
      units: '3.000000000',
      unitCost: '3.333333334',
    });
    // 0.000000001 / 2 = 0.0000000005: a tie, to the even 0.
    expect(unitCostNanos(1n, 2_000_000_000n)).toBe(0n);
    // 0.000000003 / 2 = 0.0000000015: a tie, to the even 2.
    expect(unitCostNanos(3n, 2_000_000_000n)).toBe(2n);
    // 1 / 0.5 units = 2 per unit.
    expect(unitCostNanos(1_000_000_000n, 500_000_000n)).toBe(2_000_000_000n);
    // Beyond 2^53 on both sides, still exact.
    expect(unitCostNanos(9_007_199_254_740_993_000n, 1_000_000_000n)).toBe(
      9_007_199_254_740_993_000n,
    );
    expect(unitCostNanos(-10_000_000_001n, 3_000_000_000n)).toBe(
      -3_333_333_334n,
    );
  });

  it('has no unit cost without units', () => {
    expect(unitCostAmounts(5n, 0n)).toEqual({
      cost: '0.000000005',
      units: '0.000000000',
      unitCost: null,
    });
  });

  it('groups days into months by summing cost and units before dividing', () => {
    const costs = new Map([
      ['2026-01-31', 10_000_000_000n],
      ['2026-02-01', 1_000_000_000n],
      ['2026-02-02', 2_000_000_000n],
    ]);
    const units = new Map([
      ['2026-01-31', 4_000_000_000n],
      ['2026-02-01', 1_000_000_000n],
      ['2026-02-02', 2_000_000_000n],
    ]);
    const range = { from: '2026-01-31', to: '2026-02-03' };
    const monthly = unitCostSeries(range, 'month', costs, units);
    expect(monthly.points).toEqual([
      {
        period: '2026-01',
        cost: '10.000000000',
        units: '4.000000000',
        unitCost: '2.500000000',
      },
      // (1 + 2) / (1 + 2) = 1, not the mean of two ratios of 1.
      {
        period: '2026-02',
        cost: '3.000000000',
        units: '3.000000000',
        unitCost: '1.000000000',
      },
    ]);
    expect(monthly.total).toEqual({
      cost: '13.000000000',
      units: '7.000000000',
      unitCost: '1.857142857',
    });
    const daily = unitCostSeries(range, 'day', costs, units);
    expect(daily.points.map(p => p.period)).toEqual([
      '2026-01-31',
      '2026-02-01',
      '2026-02-02',
      '2026-02-03',
    ]);
    expect(daily.points[3]).toEqual({
      period: '2026-02-03',
      cost: '0.000000000',
      units: '0.000000000',
      unitCost: null,
    });
    expect(daily.total).toEqual(monthly.total);
  });
});
