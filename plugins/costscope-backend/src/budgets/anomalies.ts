import {
  DailySeries,
  denseSeries,
  fromEpochDay,
  isMonthStart,
  MAD_TO_SIGMA,
  median,
  quantile,
  roundNanos,
  toEpochDay,
  weekdayOf,
} from './series';

/** How eager {@link detectAnomalies} is. */
export interface AnomalyOptions {
  /** How many robust standard deviations (MAD-based) a day must depart. Default 4. */
  sensitivity?: number;
  /** Days of the series needed before a day is judged. Default 14. */
  minHistoryDays?: number;
  /** Smallest departure from the expected amount worth reporting, nano-units. Default 0. */
  minAbsoluteChange?: bigint;
  /** Weeks of history the baseline looks back. Default 4. */
  weeks?: number;
  /**
   * The 1st of each month carries monthly charges (fees, tax, credits) that daily rhythm does
   * not explain: leave those days out of baselines and do not judge them. Default true.
   */
  monthStartCharges?: boolean;
}

/** A day whose spend departs from its baseline. Amounts in nano-units. */
export interface SpendAnomaly {
  day: string;
  actual: bigint;
  /** The baseline: the median of the same weekday over the previous weeks. */
  expected: bigint;
  /** Departure in robust standard deviations of the baseline's noise, signed. */
  score: number;
  direction: 'up' | 'down';
}

/** Noise assumed at least, relative to the expected amount: fixed prices repeat exactly. */
const MIN_RELATIVE_NOISE = 0.01;
/** ...and in nano-units, so that a series of zeros gives finite scores. */
const MIN_NOISE = 1;
/** The 75th percentile of |x| for normal x is 1.15 standard deviations. */
const Q75_TO_SIGMA = 1.1503;

/**
 * Finds the days of a daily series that depart from a weekday-aware robust baseline.
 *
 * A day's baseline is the previous `weeks` (4) weeks. Expected: the median of the same
 * weekday's values there, so a quiet weekend is compared with quiet weekends and a one-off
 * spike in the window does not move it, times the median ratio of the last seven days to
 * their weekdays' medians, so growth and a level shift a week old are followed. Noise:
 * each value in the window is measured against the median of its weekday's other values;
 * the noise is the largest of the weekday's MAD of those deviations, the 75th percentile of
 * all weekdays' deviations relative to their level (both scaled to a standard deviation;
 * the percentile copes with values that mostly repeat), 1 % of the expected amount and one
 * nano-unit. A day is an anomaly when it departs by more than `sensitivity` (4) noises and
 * by at least `minAbsoluteChange`.
 *
 * Not judged: the first `minHistoryDays` (14) days, days whose weekday has fewer than two
 * values in the window and, unless `monthStartCharges` is false, the 1st of each month
 * (also left out of the baselines). Between the series' first and last day a day without
 * an amount counts as 0.
 */
export function detectAnomalies(
  daily: DailySeries,
  options: AnomalyOptions = {},
): SpendAnomaly[] {
  const sensitivity = options.sensitivity ?? 4;
  const minHistory = options.minHistoryDays ?? 14;
  const minChange = Number(options.minAbsoluteChange ?? 0n);
  const window = 7 * (options.weeks ?? 4);
  const monthStarts = options.monthStartCharges ?? true;

  let last = -Infinity;
  for (const day of daily.keys()) last = Math.max(last, toEpochDay(day));
  if (last === -Infinity) return [];
  const { first, values } = denseSeries(daily, last + 1);
  const ordinary = (index: number) =>
    !(monthStarts && isMonthStart(first + index));

  const anomalies: SpendAnomaly[] = [];
  for (let index = minHistory; index < values.length; index++) {
    if (!ordinary(index)) continue;
    const baseline = weekdayBaseline(
      values,
      first,
      Math.max(0, index - window),
      index,
      ordinary,
    );
    const weekday = baseline.byWeekday[weekdayOf(first + index)];
    if (weekday === undefined) continue;
    const expected = weekday.expected * baseline.recentFactor;
    const deviation = values[index] - expected;
    const score = deviation / weekday.noise;
    if (Math.abs(score) > sensitivity && Math.abs(deviation) >= minChange) {
      const day = fromEpochDay(first + index);
      anomalies.push({
        day,
        actual: daily.get(day) ?? 0n,
        expected: roundNanos(expected),
        score,
        direction: deviation > 0 ? 'up' : 'down',
      });
    }
  }
  return anomalies;
}

/**
 * Per weekday, from the ordinary days in `[from, to)`: the median and the noise (undefined
 * with fewer than two values); and the factor by which the last week runs above them.
 */
function weekdayBaseline(
  values: readonly number[],
  first: number,
  from: number,
  to: number,
  ordinary: (index: number) => boolean,
): {
  byWeekday: Array<{ expected: number; noise: number } | undefined>;
  recentFactor: number;
} {
  const samples: number[][] = [[], [], [], [], [], [], []];
  for (let index = from; index < to; index++) {
    if (ordinary(index)) samples[weekdayOf(first + index)].push(values[index]);
  }
  // Each value against the median of its weekday's others: against all of them, deviations
  // of a few values come out small (the median sits among them).
  const medians = samples.map(s => (s.length >= 2 ? median(s) : undefined));
  const deviations = samples.map(s =>
    s.map((value, i) => Math.abs(value - median(s.filter((_, j) => j !== i)))),
  );
  // Pooled relative to each weekday's level, as weekends often run at another scale.
  const relative: number[] = [];
  medians.forEach((center, weekday) => {
    if (center !== undefined && center !== 0) {
      relative.push(...deviations[weekday].map(d => d / Math.abs(center)));
    }
  });
  const pooled = relative.length ? quantile(relative, 0.75) / Q75_TO_SIGMA : 0;
  const byWeekday = medians.map((expected, weekday) =>
    expected === undefined
      ? undefined
      : {
          expected,
          noise: Math.max(
            MAD_TO_SIGMA * median(deviations[weekday]),
            Math.max(pooled, MIN_RELATIVE_NOISE) * Math.abs(expected),
            MIN_NOISE,
          ),
        },
  );

  // How the last week runs against its weekdays' medians: follows growth and level shifts.
  const ratios: number[] = [];
  for (let index = to - 1; index >= from && to - index <= 7; index--) {
    const center = medians[weekdayOf(first + index)];
    if (ordinary(index) && center !== undefined && center > 0) {
      ratios.push(values[index] / center);
    }
  }
  return {
    byWeekday,
    recentFactor: ratios.length >= 4 ? median(ratios) : 1,
  };
}
