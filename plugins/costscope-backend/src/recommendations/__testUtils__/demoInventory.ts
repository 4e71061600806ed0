import { InventoryResource } from '@costscope/backstage-plugin-node';

// The demo generator is plain CommonJS in examples/, shared with `npm start` and the fake AWS.
const {
  demoInventoryWithUtilisation: generate,
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
} = require('../../../../../examples/billing/inventory.js');

/**
 * The demo inventory on `endDate` with hourly CPU and memory over the `days` before it (up to
 * the start of `endDate`), as the fake CloudWatch serves them.
 */
export function demoInventoryWithUtilisation(
  endDate: string,
  days = 14,
): InventoryResource[] {
  return generate({ endDate, days, endOfDay: false });
}
