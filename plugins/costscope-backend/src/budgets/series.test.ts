import {
  denseSeries,
  fromEpochDay,
  isMonthStart,
  median,
  medianAbsoluteDeviation,
  quantile,
  roundNanos,
  toEpochDay,
  weekdayOf,
} from './series';

describe('days', () => {
  it('numbers UTC days and back', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(fromEpochDay(toEpochDay('2028-02-29'))).toBe('2028-02-29');
    expect(toEpochDay('2026-03-01') - toEpochDay('2026-02-28')).toBe(1);
  });

  it.each(['2026-02-30', '2026-3-01', '2026-03-01T00:00:00Z', ''])(
    'rejects %p',
    day => {
      expect(() => toEpochDay(day)).toThrow(TypeError);
    },
  );

  it('knows weekdays and month starts', () => {
    expect(weekdayOf(toEpochDay('2026-01-04'))).toBe(0); // a Sunday
    expect(weekdayOf(toEpochDay('2026-01-10'))).toBe(6);
    expect(weekdayOf(toEpochDay('1969-12-31'))).toBe(3);
    expect(isMonthStart(toEpochDay('2026-03-01'))).toBe(true);
    expect(isMonthStart(toEpochDay('2026-03-02'))).toBe(false);
  });
});

describe('denseSeries', () => {
  it('fills gaps with 0 from the first known day and stops before `until`', () => {
    const daily = new Map([
      ['2026-01-05', 3n],
      ['2026-01-02', 1n],
      ['2026-01-09', 9n],
    ]);
    expect(denseSeries(daily, toEpochDay('2026-01-06'))).toEqual({
      first: toEpochDay('2026-01-02'),
      values: [1, 0, 0, 3],
    });
    expect(denseSeries(new Map(), 10)).toEqual({ first: 10, values: [] });
  });
});

describe('robust statistics', () => {
  it('computes medians, MADs and quantiles', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 100])).toBe(3.5);
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100], 3)).toBe(1);
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.9)).toBe(9);
    expect(quantile([7], 0.1)).toBe(7);
  });

  it('rounds float nano-units to BigInt', () => {
    expect(roundNanos(1.5)).toBe(2n);
    expect(roundNanos(-2.4)).toBe(-2n);
    expect(roundNanos(Number.NaN)).toBe(0n);
  });
});
