import { detectAnomalies } from './anomalies';
import { fromEpochDay, toEpochDay } from './series';

const UNIT = 1_000_000_000;

/** A daily series of `days` days from 2026-01-05 (a Monday), amounts in currency units. */
function series(
  days: number,
  amount: (index: number, weekday: number) => number,
): Map<string, bigint> {
  const start = toEpochDay('2026-01-05');
  const daily = new Map<string, bigint>();
  for (let index = 0; index < days; index++) {
    const day = fromEpochDay(start + index);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    daily.set(day, BigInt(Math.round(amount(index, weekday) * UNIT)));
  }
  return daily;
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

/** Weekdays 100, weekends 30, growing 20 % a year, ±3 % noise. */
function clean(seed = 7) {
  const next = noise(seed);
  return (index: number, weekday: number) =>
    (weekday === 0 || weekday === 6 ? 30 : 100) *
    (1 + (0.2 * index) / 365) *
    (1 + 0.03 * next());
}

describe('detectAnomalies', () => {
  it('finds nothing in a clean weekly pattern with growth', () => {
    for (const seed of [1, 2, 3]) {
      expect(detectAnomalies(series(200, clean(seed)))).toEqual([]);
    }
  });

  it('finds a 6x spike', () => {
    const daily = series(120, clean());
    const day = fromEpochDay(toEpochDay('2026-01-05') + 80);
    const usual = daily.get(day)!;
    daily.set(day, 6n * usual);
    const anomalies = detectAnomalies(daily);
    expect(anomalies).toHaveLength(1);
    const [anomaly] = anomalies;
    expect(anomaly.day).toBe(day);
    expect(anomaly.actual).toBe(6n * usual);
    expect(anomaly.direction).toBe('up');
    expect(anomaly.score).toBeGreaterThan(4);
    expect(Number(anomaly.expected) / Number(usual)).toBeCloseTo(1, 1);
  });

  it('does not flag weekend dips, even steep ones', () => {
    const steep = (_: number, weekday: number) =>
      weekday === 0 || weekday === 6 ? 5 : 100;
    expect(detectAnomalies(series(60, steep))).toEqual([]);
  });

  it('finds a drop, such as a day without usage', () => {
    const daily = series(60, clean());
    const day = fromEpochDay(toEpochDay('2026-01-05') + 45);
    daily.delete(day);
    const anomalies = detectAnomalies(daily);
    expect(anomalies.map(a => [a.day, a.actual, a.direction])).toEqual([
      [day, 0n, 'down'],
    ]);
  });

  it('judges nothing without enough history', () => {
    const daily = series(13, clean());
    daily.set('2026-01-16', 600n * BigInt(UNIT));
    expect(detectAnomalies(daily)).toEqual([]);
    expect(detectAnomalies(new Map())).toEqual([]);
    expect(
      detectAnomalies(series(30, clean()), { minHistoryDays: 30 }),
    ).toEqual([]);
  });

  it('reports only departures beyond the sensitivity and the absolute minimum', () => {
    const daily = series(60, clean());
    const day = fromEpochDay(toEpochDay('2026-01-05') + 50);
    daily.set(day, (daily.get(day)! * 13n) / 10n);
    expect(detectAnomalies(daily).map(a => a.day)).toEqual([day]);
    expect(detectAnomalies(daily, { sensitivity: 20 })).toEqual([]);
    expect(
      detectAnomalies(daily, { minAbsoluteChange: 50n * BigInt(UNIT) }),
    ).toEqual([]);
  });

  it('leaves the monthly charges of the 1st alone unless told otherwise', () => {
    const daily = series(90, clean());
    for (const day of ['2026-02-01', '2026-03-01']) {
      daily.set(day, daily.get(day)! + 3000n * BigInt(UNIT));
    }
    expect(detectAnomalies(daily)).toEqual([]);
    expect(
      detectAnomalies(daily, { monthStartCharges: false }).map(a => a.day),
    ).toEqual(['2026-02-01', '2026-03-01']);
  });

  it('judges series of credits and of zeros', () => {
    const credits = series(40, () => -20);
    credits.set('2026-02-10', -200n * BigInt(UNIT));
    expect(detectAnomalies(credits).map(a => [a.day, a.direction])).toEqual([
      ['2026-02-10', 'down'],
    ]);
    const zeros = series(40, () => 0);
    zeros.set('2026-02-10', 5n * BigInt(UNIT));
    const [anomaly] = detectAnomalies(zeros);
    expect(anomaly.day).toBe('2026-02-10');
    expect(Number.isFinite(anomaly.score)).toBe(true);
  });
});
