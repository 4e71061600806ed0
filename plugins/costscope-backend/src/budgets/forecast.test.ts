import {
  FORECAST_METHOD,
  ForecastRequest,
  forecastSpend,
  runRateForecast,
} from './forecast';
import { fromEpochDay, toEpochDay } from './series';

const UNIT = 1_000_000_000;

/** A daily series of `days` days from `from`, amounts in currency units. */
function series(
  from: string,
  days: number,
  amount: (day: string, index: number) => number,
): Map<string, bigint> {
  const start = toEpochDay(from);
  const daily = new Map<string, bigint>();
  for (let index = 0; index < days; index++) {
    const day = fromEpochDay(start + index);
    daily.set(day, BigInt(Math.round(amount(day, index) * UNIT)));
  }
  return daily;
}

/** The exact total of the days in `[from, to)`. */
function total(daily: Map<string, bigint>, from: string, to: string): bigint {
  let sum = 0n;
  for (const [day, nanos] of daily) if (day >= from && day < to) sum += nanos;
  return sum;
}

/** Known days of a series: those before `today`. */
function known(daily: Map<string, bigint>, today: string) {
  return new Map([...daily].filter(([day]) => day < today));
}

function relativeError(forecast: bigint, actual: bigint): number {
  return Math.abs(Number(forecast - actual)) / Math.abs(Number(actual));
}

/** Deterministic noise in [-1, 1] (mulberry32). */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2_147_483_648 - 1;
  };
}

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
/** Weekdays cost 100, weekends 40. */
const weekly = (day: string) => ([0, 6].includes(weekday(day)) ? 40 : 100);

describe('forecastSpend', () => {
  it('forecasts what was spent when nothing is known', () => {
    expect(
      forecastSpend({
        daily: new Map(),
        periodStart: '2026-03-01',
        periodEnd: '2026-04-01',
        today: '2026-03-10',
      }),
    ).toEqual({
      spent: 0n,
      forecast: 0n,
      low: 0n,
      high: 0n,
      dailyRate: 0n,
      method: FORECAST_METHOD,
    });
  });

  it('returns the exact spend of a period that is over', () => {
    const daily = series('2026-01-01', 90, (_, i) => 1 + i / 7);
    daily.set('2026-03-15', 123_456_789_012_345_678n);
    const result = forecastSpend({
      daily,
      periodStart: '2026-03-01',
      periodEnd: '2026-04-01',
      today: '2026-04-01',
    });
    const spent = total(daily, '2026-03-01', '2026-04-01');
    expect(result.spent).toBe(spent);
    expect(result.forecast).toBe(spent);
    expect(result.low).toBe(spent);
    expect(result.high).toBe(spent);
  });

  it('forecasts a constant series exactly, in nano-units', () => {
    const daily = series('2025-11-01', 131, () => 100.000000001);
    const result = forecastSpend({
      daily,
      periodStart: '2026-03-01',
      periodEnd: '2026-04-01',
      today: '2026-03-12',
    });
    expect(result.forecast).toBe(31n * 100_000_000_001n);
    expect(result.low).toBe(result.forecast);
    expect(result.high).toBe(result.forecast);
    expect(result.dailyRate).toBe(100_000_000_001n);
  });

  it('keeps the weekly rhythm where the run-rate cannot', () => {
    // March 2026 ends with a weekend: the days left are weekend-heavy.
    const daily = series('2026-01-01', 120, weekly);
    const request: ForecastRequest = {
      daily: known(daily, '2026-03-28'),
      periodStart: '2026-03-01',
      periodEnd: '2026-04-01',
      today: '2026-03-28',
    };
    const actual = total(daily, '2026-03-01', '2026-04-01');
    const ours = forecastSpend(request);
    const naive = runRateForecast(request);
    expect(relativeError(ours.forecast, actual)).toBeLessThan(0.001);
    expect(relativeError(naive.forecast, actual)).toBeGreaterThan(0.01);
  });

  it('is not moved by one-off spikes', () => {
    const clean = series('2026-01-01', 120, weekly);
    const spiky = new Map(clean);
    spiky.set('2026-02-19', 6n * clean.get('2026-02-19')!);
    spiky.set('2026-03-04', 6n * clean.get('2026-03-04')!);
    const forecast = (daily: Map<string, bigint>) =>
      forecastSpend({
        daily: known(daily, '2026-03-10'),
        periodStart: '2026-03-01',
        periodEnd: '2026-04-01',
        today: '2026-03-10',
      });
    const withSpikes = forecast(spiky);
    const withoutSpikes = forecast(clean);
    const extra = withSpikes.spent - withoutSpikes.spent;
    expect(extra).toBe(500n * BigInt(UNIT));
    expect(
      relativeError(
        withSpikes.forecast - withSpikes.spent,
        withoutSpikes.forecast - withoutSpikes.spent,
      ),
    ).toBeLessThan(0.005);
  });

  it('treats the 1st of the month as the day of monthly charges', () => {
    // Tax, fees and credits dated the 1st: 25 days' worth of spend on one day.
    const daily = series('2025-10-01', 200, day =>
      day.endsWith('-01') ? 2500 + weekly(day) : weekly(day),
    );
    const atDay5: ForecastRequest = {
      daily: known(daily, '2026-03-06'),
      periodStart: '2026-03-01',
      periodEnd: '2026-04-01',
      today: '2026-03-06',
    };
    const actual = total(daily, '2026-03-01', '2026-04-01');
    expect(relativeError(forecastSpend(atDay5).forecast, actual)).toBeLessThan(
      0.005,
    );
    expect(
      relativeError(runRateForecast(atDay5).forecast, actual),
    ).toBeGreaterThan(0.5);

    // Before the month starts, its 1st is predicted with its charges.
    const ahead = forecastSpend({
      daily: known(daily, '2026-03-01'),
      periodStart: '2026-03-01',
      periodEnd: '2026-04-01',
      today: '2026-03-01',
    });
    expect(ahead.spent).toBe(0n);
    expect(relativeError(ahead.forecast, actual)).toBeLessThan(0.005);
    expect(ahead.dailyRate).toBeLessThan(150n * BigInt(UNIT));
  });

  it('follows slow growth better than the run-rate', () => {
    // 1 % a week, compounded daily, with the weekly rhythm.
    const daily = series(
      '2025-09-01',
      300,
      (day, i) => weekly(day) * Math.pow(1.01, i / 7),
    );
    const request: ForecastRequest = {
      daily: known(daily, '2026-04-11'),
      periodStart: '2026-04-01',
      periodEnd: '2026-05-01',
      today: '2026-04-11',
    };
    const actual = total(daily, '2026-04-01', '2026-05-01');
    const ours = relativeError(forecastSpend(request).forecast, actual);
    expect(ours).toBeLessThan(0.003);
    expect(ours).toBeLessThan(
      relativeError(runRateForecast(request).forecast, actual),
    );
  });

  it('forecasts from less than a week of history', () => {
    const daily = new Map([
      ['2026-03-10', 100n * BigInt(UNIT)],
      ['2026-03-11', 120n * BigInt(UNIT)],
      ['2026-03-12', 80n * BigInt(UNIT)],
    ]);
    const result = forecastSpend({
      daily,
      periodStart: '2026-03-10',
      periodEnd: '2026-03-20',
      today: '2026-03-13',
    });
    expect(result.spent).toBe(300n * BigInt(UNIT));
    expect(result.forecast).toBe(1000n * BigInt(UNIT));
    expect(result.low).toBeLessThan(result.forecast);
    expect(result.high).toBeGreaterThan(result.forecast);
  });

  it('copes with credits and negative days', () => {
    const daily = series('2026-01-01', 100, (_, i) =>
      i % 7 === 3 ? -50 : 100,
    );
    const result = forecastSpend({
      daily: known(daily, '2026-03-15'),
      periodStart: '2026-03-01',
      periodEnd: '2026-04-01',
      today: '2026-03-15',
    });
    const actual = total(daily, '2026-03-01', '2026-04-01');
    expect(relativeError(result.forecast, actual)).toBeLessThan(0.001);

    const creditsOnly = series('2026-01-01', 60, () => -10);
    const credits = forecastSpend({
      daily: creditsOnly,
      periodStart: '2026-02-01',
      periodEnd: '2026-03-01',
      today: '2026-03-01',
    });
    expect(credits.forecast).toBe(-280n * BigInt(UNIT));
    const ahead = forecastSpend({
      daily: creditsOnly,
      periodStart: '2026-03-01',
      periodEnd: '2026-04-01',
      today: '2026-03-02',
    });
    expect(ahead.forecast).toBe(-310n * BigInt(UNIT));
  });

  it('forecasts a period that has not started', () => {
    const daily = series('2026-01-01', 90, weekly);
    const result = forecastSpend({
      daily: known(daily, '2026-03-20'),
      periodStart: '2026-04-01',
      periodEnd: '2026-05-01',
      today: '2026-03-20',
    });
    const april = series('2026-04-01', 30, weekly);
    expect(result.spent).toBe(0n);
    expect(result.forecast).toBe(total(april, '2026-04-01', '2026-05-01'));
  });

  it('gives an 80 % interval that narrows as the month goes by', () => {
    const noisy = (seed: number) => {
      const next = noise(seed);
      return series(
        '2025-06-01',
        400,
        (day, i) => weekly(day) * (1 + i / 2000) * (1 + 0.2 * next()),
      );
    };
    const daily = noisy(1);
    const at = (today: string) =>
      forecastSpend({
        daily: known(daily, today),
        periodStart: '2026-03-01',
        periodEnd: '2026-04-01',
        today,
      });
    const early = at('2026-03-06');
    const late = at('2026-03-21');
    for (const result of [early, late]) {
      expect(result.low).toBeLessThan(result.forecast);
      expect(result.high).toBeGreaterThan(result.forecast);
    }
    expect(early.high - early.low).toBeGreaterThan(late.high - late.low);

    // Over months and noise draws, most month totals fall inside.
    let covered = 0;
    let forecasts = 0;
    for (const seed of [1, 2, 3]) {
      const draw = noisy(seed);
      for (let month = 9; month < 15; month++) {
        const periodStart = new Date(Date.UTC(2025, month, 1))
          .toISOString()
          .slice(0, 10);
        const periodEnd = new Date(Date.UTC(2025, month + 1, 1))
          .toISOString()
          .slice(0, 10);
        const actual = total(draw, periodStart, periodEnd);
        for (const dayOfMonth of [5, 10, 15, 20]) {
          const today = fromEpochDay(toEpochDay(periodStart) + dayOfMonth);
          const result = forecastSpend({
            daily: known(draw, today),
            periodStart,
            periodEnd,
            today,
          });
          forecasts++;
          if (actual >= result.low && actual <= result.high) covered++;
        }
      }
    }
    expect(covered / forecasts).toBeGreaterThanOrEqual(0.65);
    expect(covered / forecasts).toBeLessThanOrEqual(0.95);
  });

  it('rejects empty periods and malformed days', () => {
    const request = {
      daily: new Map(),
      periodStart: '2026-03-01',
      periodEnd: '2026-03-01',
      today: '2026-03-01',
    };
    expect(() => forecastSpend(request)).toThrow(RangeError);
    expect(() => forecastSpend({ ...request, periodEnd: '2026-3-31' })).toThrow(
      TypeError,
    );
  });
});

describe('runRateForecast', () => {
  it('extrapolates the spend so far over the period', () => {
    const daily = series('2026-04-01', 10, (_, i) => (i === 0 ? 200 : 100));
    expect(
      runRateForecast({
        daily,
        periodStart: '2026-04-01',
        periodEnd: '2026-05-01',
        today: '2026-04-11',
      }),
    ).toEqual({
      spent: 1100n * BigInt(UNIT),
      forecast: 3300n * BigInt(UNIT),
      low: 3300n * BigInt(UNIT),
      high: 3300n * BigInt(UNIT),
      dailyRate: 110n * BigInt(UNIT),
      method: 'run-rate',
    });
  });
});
