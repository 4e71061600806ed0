import { flat, hourly, NOW } from './__testUtils__/resources';
import { nearestRank, summariseUtilisation } from './utilisationStats';

const HOUR_MS = 3_600_000;
const window = (days: number) => ({
  from: NOW.getTime() - days * 24 * HOUR_MS,
  to: NOW.getTime(),
});

describe('summariseUtilisation', () => {
  it('gives hours, mean of averages, p95 and maximum of the hourly maxima', () => {
    // 100 hours: averages 1..100, maxima 2 x average
    const cpu = hourly('cpu', 100, i => ({
      average: i + 1,
      maximum: 2 * (i + 1),
    }));
    const stats = summariseUtilisation([cpu], window(14));
    expect(stats.windowHours).toBe(336);
    expect(stats.memory).toBeUndefined();
    expect(stats.cpu).toEqual({
      average: 50.5, // (1 + ... + 100) / 100
      p95: 190, // maxima 2..200; nearest rank ceil(0.95 x 100) = 95th -> 190
      maximum: 200,
      hours: 100,
      points: 100,
    });
  });

  it('keeps only the points inside the window', () => {
    const cpu = flat('cpu', 10, 20, 30 * 24); // 30 days of data
    const stats = summariseUtilisation([cpu], window(14));
    expect(stats.cpu?.hours).toBe(336);
  });

  it('counts a duplicated hour once and skips unreadable points', () => {
    const cpu = flat('cpu', 10, 20, 48);
    const again = flat('cpu', 30, 40, 24);
    cpu.points.push({ timestamp: 'yesterday', average: 99, maximum: 99 });
    cpu.points.push({
      timestamp: NOW.toISOString(),
      average: NaN,
      maximum: 1,
    });
    const stats = summariseUtilisation([cpu, again], window(14));
    // 48 hours; the last 24 replaced by the later series
    expect(stats.cpu?.hours).toBe(48);
    expect(stats.cpu?.average).toBe(20);
    expect(stats.cpu?.maximum).toBe(40);
  });

  it('turns 5-minute points into hours', () => {
    const end = NOW.getTime();
    const points = Array.from({ length: 24 }, (_, i) => ({
      timestamp: new Date(end - (i + 1) * 300_000).toISOString(),
      average: 5,
      maximum: 9,
    }));
    const stats = summariseUtilisation(
      [{ metric: 'memory', periodSeconds: 300, points }],
      window(1),
    );
    expect(stats.memory?.hours).toBe(2);
    expect(stats.memory?.points).toBe(24);
  });

  it('has no metric without points', () => {
    expect(summariseUtilisation(undefined, window(14))).toEqual({
      windowHours: 336,
    });
    expect(
      summariseUtilisation(
        [{ metric: 'cpu', periodSeconds: 3600, points: [] }],
        window(14),
      ).cpu,
    ).toBeUndefined();
  });

  it('nearest rank', () => {
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2);
    expect(nearestRank([1, 2, 3, 4], 0.95)).toBe(4);
    expect(nearestRank([7], 0.95)).toBe(7);
    expect(nearestRank([], 0.95)).toBeNaN();
  });
});
