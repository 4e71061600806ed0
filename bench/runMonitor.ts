/**
 * Watches the process while a benchmark step runs: the longest event-loop stall and the
 * resident set size.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface RunFigures {
  seconds: number;
  /** Highest RSS sampled while the event loop ran (every 20 ms). */
  sampledPeakRssMb: number;
  /** The kernel's high-water mark of the process so far (covers stalls between samples too). */
  maxRssMb: number;
  /** Longest event-loop stall: how late a 10 ms timer fired, at worst. */
  maxStallMs: number;
  /** Stalls over 50 ms: when (seconds into the step) and how long (ms). */
  stalls: Array<{ at: number; ms: number }>;
}

const MB = 1024 * 1024;

/** Runs `step` and measures it. */
export async function measure<T>(
  step: () => Promise<T>,
): Promise<{ result: T; figures: RunFigures }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const started = performance.now();
  let sampledPeak = process.memoryUsage.rss();
  // A second, independent stall measure: the drift of a 20 ms interval.
  const interval = 20;
  let last = performance.now();
  let maxDrift = 0;
  const stalls: RunFigures['stalls'] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    const drift = now - last - interval;
    if (drift > 50) stalls.push({ at: (last - started) / 1000, ms: drift });
    maxDrift = Math.max(maxDrift, drift);
    last = now;
    sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
  }, interval);
  histogram.enable();
  const result = await step();
  const seconds = (performance.now() - started) / 1000;
  histogram.disable();
  clearInterval(timer);
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
  const histogramMaxMs = histogram.max / 1e6 - 10;
  return {
    result,
    figures: {
      seconds,
      sampledPeakRssMb: sampledPeak / MB,
      maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
      maxStallMs: Math.max(0, histogramMaxMs, maxDrift),
      stalls,
    },
  };
}
