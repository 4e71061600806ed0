import {
  InventoryResource,
  UtilisationSeries,
} from '@costscope/backstage-plugin-node';

/** The end of the lookback window in the synthetic tests. */
export const NOW = new Date('2026-11-22T00:00:00Z');
const HOUR_MS = 3_600_000;

/**
 * An hourly series of `hours` points ending at `end` (exclusive), oldest first; `point` gives
 * the average and maximum of the hour with index `i` (0 = oldest) starting at `t`.
 */
export function hourly(
  metric: UtilisationSeries['metric'],
  hours: number,
  point: (i: number, t: Date) => { average: number; maximum: number },
  end: Date = NOW,
): UtilisationSeries {
  const start = end.getTime() - hours * HOUR_MS;
  return {
    metric,
    periodSeconds: 3600,
    points: Array.from({ length: hours }, (_, i) => {
      const t = new Date(start + i * HOUR_MS);
      return { timestamp: t.toISOString(), ...point(i, t) };
    }),
  };
}

/** A flat series: every hour the same average and maximum. */
export function flat(
  metric: UtilisationSeries['metric'],
  average: number,
  maximum: number,
  hours = 14 * 24,
): UtilisationSeries {
  return hourly(metric, hours, () => ({ average, maximum }));
}

/** A running AWS instance in us-east-1, tagged env=prod unless `tags` says otherwise. */
export function instance(
  overrides: Partial<InventoryResource> = {},
): InventoryResource {
  return {
    provider: 'AWS',
    accountId: '111122223333',
    region: 'us-east-1',
    resourceId: 'i-0123456789abcdef0',
    kind: 'instance',
    name: 'test-instance',
    state: 'running',
    type: 'c6i.2xlarge',
    createdAt: '2025-01-01T00:00:00Z',
    tags: { env: 'prod' },
    utilisation: [],
    ...overrides,
  };
}

/** Any other resource (volume, address, snapshot) in us-east-1. */
export function resource(
  kind: string,
  overrides: Partial<InventoryResource> = {},
): InventoryResource {
  return {
    provider: 'AWS',
    accountId: '111122223333',
    region: 'us-east-1',
    resourceId: `${kind}-0123`,
    kind,
    tags: {},
    ...overrides,
  };
}
