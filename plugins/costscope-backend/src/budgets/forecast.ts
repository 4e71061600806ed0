import {
  DailySeries,
  denseSeries,
  isMonthStart,
  MAD_TO_SIGMA,
  median,
  quantile,
  roundNanos,
  toEpochDay,
  weekdayOf,
} from './series';

/** What to forecast: a daily series, the period and how far the series is known. */
export interface ForecastRequest {
  /**
   * Daily amounts in nano-units keyed by UTC day. Between its first day and `today`, a day
   * without an amount cost nothing.
   */
  daily: DailySeries;
  /** First day of the period (inclusive), `YYYY-MM-DD`. */
  periodStart: string;
  /** Day after the period (exclusive), `YYYY-MM-DD`. */
  periodEnd: string;
  /** The first day not known yet: days before it are actuals, it and later days are predicted. */
  today: string;
}

/** A period-end forecast. Amounts in nano-units (1e-9 of the currency). */
export interface SpendForecast {
  /** Actual spend of the period's known days. */
  spent: bigint;
  /** Expected period total: `spent` plus the predicted rest. */
  forecast: bigint;
  /** Lower end of the 80 % prediction interval of the period total. */
  low: bigint;
  /** Upper end of the 80 % prediction interval of the period total. */
  high: bigint;
  /** Burn rate: the mean predicted spend of the next seven ordinary days (no monthly charges). */
  dailyRate: bigint;
  /** Name of the method that made the forecast. */
  method: string;
}

/** Tuning of {@link forecastSpend}; the defaults are the ones the demo back-test measured. */
export interface ForecastOptions {
  /** Same-weekday values (one a week) whose median predicts that weekday. Default 4. */
  weeks?: number;
  /** Treat the 1st of each month as the day of monthly charges. Default true. */
  monthStartCharges?: boolean;
  /** How many past days are replayed as forecast origins to measure errors. Default 240. */
  replayOrigins?: number;
}

/** The method name {@link forecastSpend} reports. */
export const FORECAST_METHOD = 'weekday-median';
/** The method name {@link runRateForecast} reports. */
export const RUN_RATE_METHOD = 'run-rate';

/** The prediction interval runs from the 10th to the 90th percentile. */
const LOW_Q = 0.1;
const HIGH_Q = 0.9;
/** Standard normal 90th percentile. */
const Z_90 = 1.2816;
/**
 * Fewest replayed origins for an empirical bias and interval, in windows of the days left:
 * with three, a one-off spike lies in at most a third of the replays, away from the median.
 */
const MIN_REPLAY_WINDOWS = 3;
/** Days of history before weekdays are told apart. */
const MIN_WEEKDAY_HISTORY = 14;
/** Relative noise of a day while there is too little history to measure it... */
const DEFAULT_NOISE = 0.25;
/** ...and the least assumed: fixed-price resources repeat exactly, until they change. */
const MIN_NOISE = 0.02;
/** Monthly-charge days whose excess is averaged. */
const MONTH_STARTS = 3;

/** Day predictions of one dense series from any origin, using only the data before it. */
class WeekdayMedianModel {
  private readonly weeks: number;
  private readonly replayOrigins: number;
  private readonly monthStarts: boolean;
  /** Per index (running past the data, as predictions look ahead): weekday, charge day. */
  private readonly days: Array<{ weekday: number; special: boolean }> = [];
  private readonly levelCache = new Map<number, number[]>();

  constructor(
    private readonly first: number,
    private readonly values: readonly number[],
    options: ForecastOptions,
  ) {
    this.weeks = options.weeks ?? 4;
    this.replayOrigins = options.replayOrigins ?? 240;
    this.monthStarts = options.monthStartCharges ?? true;
  }

  private dayOf(index: number): { weekday: number; special: boolean } {
    while (this.days.length <= index) {
      const epochDay = this.first + this.days.length;
      this.days.push({
        weekday: weekdayOf(epochDay),
        special: this.monthStarts && isMonthStart(epochDay),
      });
    }
    return this.days[index];
  }

  /** Per weekday, the ordinary level from the data before `origin`. */
  private levels(origin: number): number[] {
    let levels = this.levelCache.get(origin);
    if (!levels) {
      levels = this.computeLevels(origin);
      this.levelCache.set(origin, levels);
    }
    return levels;
  }

  private computeLevels(origin: number): number[] {
    const byWeekday: number[][] = [[], [], [], [], [], [], []];
    const recent: number[] = [];
    const lookback = 7 * (this.weeks + 1);
    for (let i = origin - 1; i >= 0 && origin - i <= lookback; i--) {
      const { weekday, special } = this.dayOf(i);
      if (special) continue;
      if (byWeekday[weekday].length < this.weeks) {
        byWeekday[weekday].push(this.values[i]);
      }
      if (recent.length < MIN_WEEKDAY_HISTORY) recent.push(this.values[i]);
    }
    if (recent.length === 0) {
      // Only monthly-charge days are known: they are all there is to go on.
      return byWeekday.map(() => median(this.values.slice(0, origin)));
    }
    if (origin < MIN_WEEKDAY_HISTORY || byWeekday.some(v => v.length < 2)) {
      return byWeekday.map(() => median(recent));
    }
    return byWeekday.map(median);
  }

  /** Median excess of the last monthly-charge days over their weekday's ordinary level. */
  private monthStartExcess(origin: number): number {
    const excesses: number[] = [];
    for (let i = origin - 1; i >= 0 && excesses.length < MONTH_STARTS; i--) {
      const { weekday, special } = this.dayOf(i);
      if (!special) continue;
      const neighbours: number[] = [];
      for (let j = Math.max(0, i - 28); j <= i + 28 && j < origin; j++) {
        const day = this.dayOf(j);
        if (!day.special && day.weekday === weekday) {
          neighbours.push(this.values[j]);
        }
      }
      if (neighbours.length > 0) {
        excesses.push(this.values[i] - median(neighbours));
      }
    }
    return excesses.length > 0 ? median(excesses) : 0;
  }

  /** Predictions of `count` days starting `skip` days after `origin`. */
  predict(
    origin: number,
    skip: number,
    count: number,
    withMonthStarts: boolean,
  ): number[] {
    const levels = this.levels(origin);
    let excess: number | undefined;
    const days: number[] = [];
    for (let i = origin + skip; i < origin + skip + count; i++) {
      const { weekday, special } = this.dayOf(i);
      let day = levels[weekday];
      if (special && withMonthStarts) {
        excess ??= this.monthStartExcess(origin);
        day += excess;
      }
      days.push(day);
    }
    return days;
  }

  /** Typical size of a day: the mean absolute amount of the 28 days before `origin`. */
  private scale(origin: number): number {
    return mean(
      this.values.slice(Math.max(0, origin - 28), origin).map(Math.abs),
    );
  }

  /**
   * Errors of the predicted sum of `horizon` days starting `skip` days after the series:
   * the bias to add and the interval bounds around the uncorrected prediction, in nano-units.
   */
  errors(
    skip: number,
    horizon: number,
  ): { bias: number; low: number; high: number } {
    const origin = this.values.length;
    const scaleNow = this.scale(origin) * horizon;
    const replays: number[] = [];
    for (
      let o = origin - skip - horizon;
      o >= MIN_WEEKDAY_HISTORY && replays.length < this.replayOrigins;
      o--
    ) {
      const scale = this.scale(o) * horizon;
      if (scale <= 0) continue;
      const predicted = sum(this.predict(o, skip, horizon, true));
      const actual = sum(this.values.slice(o + skip, o + skip + horizon));
      replays.push((actual - predicted) / scale);
    }
    if (replays.length >= MIN_REPLAY_WINDOWS * horizon) {
      const center = median(replays);
      // A prediction interval from n samples: t quantiles and √(1 + 1/n), where n counts
      // only independent replays (neighbouring ones share most of their days).
      const windows = replays.length / horizon;
      const widen =
        (studentT90(windows - 1) / Z_90) * Math.sqrt(1 + 1 / windows);
      return {
        bias: center * scaleNow,
        low: (center + (quantile(replays, LOW_Q) - center) * widen) * scaleNow,
        high:
          (center + (quantile(replays, HIGH_Q) - center) * widen) * scaleNow,
      };
    }
    const noise = Math.max(MIN_NOISE, this.dayNoise());
    const half = Z_90 * noise * Math.sqrt(1 / horizon + 1) * scaleNow;
    return { bias: 0, low: -half, high: half };
  }

  /** Robust relative noise of ordinary days against their one-day-ahead prediction. */
  private dayNoise(): number {
    const errors: number[] = [];
    for (let o = 7; o < this.values.length; o++) {
      const scale = this.scale(o);
      if (this.dayOf(o).special || scale <= 0) continue;
      errors.push((this.values[o] - this.predict(o, 0, 1, false)[0]) / scale);
    }
    if (errors.length < 7) return DEFAULT_NOISE;
    const center = median(errors);
    return MAD_TO_SIGMA * median(errors.map(e => Math.abs(e - center)));
  }
}

/**
 * The naive run-rate, for comparison: spend so far divided by the period's elapsed days,
 * times the period's days. No interval.
 */
export function runRateForecast(request: ForecastRequest): SpendForecast {
  const { start, end, today } = periodDays(request);
  const spent = spentIn(request.daily, start, Math.min(today, end));
  const elapsed = Math.min(today, end) - start;
  if (elapsed <= 0) return flat(0n, 0n, RUN_RATE_METHOD);
  const rate = Number(spent) / elapsed;
  const forecast =
    today >= end ? spent : spent + roundNanos(rate * (end - today));
  return flat(spent, roundNanos(rate), RUN_RATE_METHOD, forecast);
}

/**
 * Forecasts a period's total spend from its daily series ("weekday-median").
 *
 * - An ordinary day ahead is predicted as the median of the last four known values of the
 *   same weekday: the weekly rhythm is kept and a one-off spike or credit barely moves it.
 *   With less than two weeks of history, the median of the last fourteen days is used.
 * - The 1st of a month carries the monthly charges (Savings Plan fees, tax, credits): it is
 *   left out of the weekday medians, and a 1st ahead is predicted as an ordinary day plus
 *   the median excess of the last three 1sts over their weekday's ordinary level.
 * - The method is replayed from each of the last 240 days that have as many known days
 *   after them as are left now (h), predicting those h days. The median error of the
 *   replays (relative to the series' scale at the time) is added to the prediction: it
 *   corrects the medians' lag behind a growing or shrinking series. The 10th and 90th
 *   percentiles of the errors, widened as Student's t for the number of non-overlapping
 *   replays, bound the 80 % interval.
 * - With fewer than 3·h replays (a spike would sit in too many of them) there is no
 *   correction and the interval is ±1.28 σ·√(1/h + 1) of the rest, σ the robust (MAD)
 *   relative noise of single days against their prediction (at least 2 %; 25 % before
 *   there are a week of them).
 *
 * Statistics run on floats; the predicted rest is rounded to nano-units once and added to
 * the exact spend. Without any known day the forecast is what was spent and the interval
 * is empty.
 */
export function forecastSpend(
  request: ForecastRequest,
  options: ForecastOptions = {},
): SpendForecast {
  const { start, end, today } = periodDays(request);
  const spent = spentIn(request.daily, start, Math.min(today, end));
  const { first, values } = denseSeries(request.daily, today);
  if (values.length === 0) return flat(spent, 0n, FORECAST_METHOD);

  const model = new WeekdayMedianModel(first, values, options);
  const origin = values.length;
  const dailyRate = roundNanos(mean(model.predict(origin, 0, 7, false)));
  if (today >= end) return flat(spent, dailyRate, FORECAST_METHOD);

  const skip = Math.max(0, start - today);
  const horizon = end - Math.max(today, start);
  const predicted = sum(model.predict(origin, skip, horizon, true));
  const { bias, low, high } = model.errors(skip, horizon);
  const rest = predicted + bias;
  return {
    spent,
    forecast: spent + roundNanos(rest),
    low: spent + roundNanos(Math.min(rest, predicted + low)),
    high: spent + roundNanos(Math.max(rest, predicted + high)),
    dailyRate,
    method: FORECAST_METHOD,
  };
}

/** 90th percentile of Student's t with `df` degrees of freedom (Cornish-Fisher, df ≥ 1). */
function studentT90(df: number): number {
  const d = Math.max(1, df);
  return Z_90 + 0.847 / d + 0.571 / (d * d);
}

function periodDays(request: ForecastRequest): {
  start: number;
  end: number;
  today: number;
} {
  const start = toEpochDay(request.periodStart);
  const end = toEpochDay(request.periodEnd);
  if (end <= start) {
    throw new RangeError(
      `period ${request.periodStart}..${request.periodEnd} is empty`,
    );
  }
  return { start, end, today: toEpochDay(request.today) };
}

/** Exact sum of the amounts of the days in `[from, to)`. */
function spentIn(daily: DailySeries, from: number, to: number): bigint {
  let spent = 0n;
  for (const [day, nanos] of daily) {
    const epochDay = toEpochDay(day);
    if (epochDay >= from && epochDay < to) spent += nanos;
  }
  return spent;
}

function flat(
  spent: bigint,
  dailyRate: bigint,
  method: string,
  forecast = spent,
): SpendForecast {
  return { spent, forecast, low: forecast, high: forecast, dailyRate, method };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function mean(values: readonly number[]): number {
  return values.length ? sum(values) / values.length : 0;
}
