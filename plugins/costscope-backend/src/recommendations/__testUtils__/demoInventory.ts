import {
  InventoryResource,
  UtilisationSeries,
} from '@costscope/backstage-plugin-node';

// The demo generator is plain CommonJS in examples/, shared with `npm start` and the fake AWS.
const {
  demoInventory,
  utilisationPoint,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../../examples/billing/inventory.js');

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The demo inventory on `endDate` with hourly CPU and memory over the `days` before it, as the
 * fake CloudWatch serves them: one point per hour the instance existed, memory only where the
 * demo runs the CloudWatch agent.
 */
export function demoInventoryWithUtilisation(
  endDate: string,
  days = 14,
): InventoryResource[] {
  const end = Date.parse(`${endDate}T00:00:00Z`);
  const resources: InventoryResource[] = demoInventory({ endDate });
  return resources.map(r => {
    if (r.kind !== 'instance') return r;
    const launch = r.createdAt ? Date.parse(r.createdAt) : -Infinity;
    const utilisation: UtilisationSeries[] = [];
    for (const metric of ['cpu', 'memory'] as const) {
      const points: UtilisationSeries['points'] = [];
      for (let t = end - days * DAY_MS; t < end; t += HOUR_MS) {
        if (t + HOUR_MS <= launch) continue;
        const p = utilisationPoint(r.resourceId, metric, t);
        if (p) points.push({ timestamp: new Date(t).toISOString(), ...p });
      }
      if (points.length)
        utilisation.push({ metric, periodSeconds: 3600, points });
    }
    return { ...r, utilisation };
  });
}
