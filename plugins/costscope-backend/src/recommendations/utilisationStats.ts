import { UtilisationSeries } from '@costscope/backstage-plugin-node';

/**
 * One metric summarised over the lookback window. Percentages as the source reports them
 * (0..100), unrounded.
 *
 * - `average`: mean of the points' averages (each point covers the same period, so this is the
 *   time-weighted mean).
 * - `p95`: 95th percentile, nearest rank, of the points' **maxima**: the load the instance
 *   reaches in all but its busiest 5 % of hours. Maxima rather than averages, as Cost Explorer
 *   and Compute Optimizer judge fit on the maximum: an hour that averages 40 % may peak at 90 %.
 * - `maximum`: the largest of the points' maxima.
 * - `hours`: hours covered by points (points x period / 3600).
 */
export interface MetricStats {
  average: number;
  p95: number;
  maximum: number;
  hours: number;
  points: number;
}

/** CPU and memory over one window; a metric is absent when no point of it falls inside. */
export interface UtilisationStats {
  cpu?: MetricStats;
  memory?: MetricStats;
  /** Length of the window in hours. */
  windowHours: number;
}

/** Nearest-rank percentile of values sorted ascending, `fraction` in (0, 1]. */
export function nearestRank(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Summarises the series of a resource over `[from, to)` (epoch milliseconds). Points outside the
 * window, with an unreadable timestamp or a value that is not a finite number are left out; two
 * points of one metric at the same timestamp count once (the later one wins), so overlapping
 * pages or series do not double the hours.
 */
export function summariseUtilisation(
  series: UtilisationSeries[] | undefined,
  window: { from: number; to: number },
): UtilisationStats {
  const windowHours = (window.to - window.from) / 3_600_000;
  const result: UtilisationStats = { windowHours };
  for (const metric of ['cpu', 'memory'] as const) {
    const byTimestamp = new Map<
      number,
      { average: number; maximum: number; periodSeconds: number }
    >();
    for (const s of series ?? []) {
      if (s.metric !== metric) continue;
      const periodSeconds =
        Number.isFinite(s.periodSeconds) && s.periodSeconds > 0
          ? s.periodSeconds
          : 3600;
      for (const point of s.points) {
        const at = Date.parse(point.timestamp);
        if (Number.isNaN(at) || at < window.from || at >= window.to) continue;
        if (!Number.isFinite(point.average) || !Number.isFinite(point.maximum))
          continue;
        byTimestamp.set(at, {
          average: point.average,
          // a maximum below the average is a source error; the average bounds it
          maximum: Math.max(point.maximum, point.average),
          periodSeconds,
        });
      }
    }
    if (byTimestamp.size === 0) continue;
    const points = [...byTimestamp.values()];
    const maxima = points.map(p => p.maximum).sort((a, b) => a - b);
    let sum = 0;
    let seconds = 0;
    for (const p of points) {
      sum += p.average;
      seconds += p.periodSeconds;
    }
    result[metric] = {
      average: sum / points.length,
      p95: nearestRank(maxima, 0.95),
      maximum: maxima[maxima.length - 1],
      hours: seconds / 3600,
      points: points.length,
    };
  }
  return result;
}

/** Rounds a percentage for display in evidence (two decimals). */
export function roundPercent(value: number): number {
  return Math.round(value * 100) / 100;
}
