import { InventoryResource } from '@costscope/backstage-plugin-node';
import {
  RuleContext,
  RuleOutcome,
  skipOf,
  storageMonthlyCost,
  tableApplies,
  recommendationBase,
  toMoney,
} from './common';

const DAY_MS = 86_400_000;

/**
 * Old snapshot: a snapshot created more than `oldSnapshot.olderThanDays` (90) days ago.
 * Saving: 730 hours of the billing cost per hour; else the source volume's size x the price
 * table's snapshot price per GiB-month, an upper bound, since snapshots are incremental and
 * store only used blocks. Confidence: high with a billing cost, low with the table's bound.
 */
export function oldSnapshot(
  resource: InventoryResource,
  ctx: RuleContext,
): RuleOutcome {
  const c = ctx.config.oldSnapshot;
  if (!c.enabled || resource.kind !== 'snapshot') return undefined;
  const created = resource.createdAt ? Date.parse(resource.createdAt) : NaN;
  if (Number.isNaN(created)) {
    return {
      skip: skipOf(
        resource,
        'unknown-age',
        'The inventory gives no creation time for this snapshot',
        'old-snapshot',
      ),
    };
  }
  if (ctx.now - created <= c.olderThanDays * DAY_MS) return undefined;
  const ageDays = Math.floor((ctx.now - created) / DAY_MS);
  const size = resource.sizeGiB;

  const priced = storageMonthlyCost(resource, ctx, {
    noun: 'snapshot',
    kind: 'old-snapshot',
    perGiBMonth: tableApplies(ctx, resource.provider)
      ? ctx.prices.findSnapshotGiBMonth(resource.region)
      : undefined,
    priceOf: 'snapshots',
  });
  if ('skip' in priced) return priced;
  const { cost } = priced;
  const amount = toMoney(cost.monthly);
  return {
    recommendation: {
      ...recommendationBase(resource, 'old-snapshot', ctx.currency),
      action:
        'Delete the snapshot, or move it to the archive tier if it must be kept',
      reason: `Created ${ageDays} days ago (older than ${
        c.olderThanDays
      } days).${
        cost.source === 'price-table' && size !== undefined
          ? ` Saving is an upper bound: ${size} GiB is the size of its volume, and snapshots store only the blocks in use.`
          : ''
      }`,
      evidence: {
        ageDays,
        ...(size !== undefined ? { sizeGiB: size } : {}),
        ...(resource.state ? { resourceState: resource.state } : {}),
      },
      currentMonthlyCost: amount,
      monthlySaving: amount,
      confidence: cost.source === 'billing' ? 'high' : 'low',
      priceSource: cost.source,
    },
  };
}
