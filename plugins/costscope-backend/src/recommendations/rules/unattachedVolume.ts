import { InventoryResource } from '@costscope/backstage-plugin-node';
import {
  RuleContext,
  RuleOutcome,
  storageMonthlyCost,
  tableApplies,
  recommendationBase,
  toMoney,
} from './common';

/**
 * Unattached volume: a volume in state `available` (attached to no instance). Saving: what it
 * costs, 730 hours a month of the billing cost per hour, else size (GiB) x the price table's
 * price per GiB-month of its volume type (provisioned IOPS and throughput above the free
 * baseline are not counted). Confidence: high.
 */
export function unattachedVolume(
  resource: InventoryResource,
  ctx: RuleContext,
): RuleOutcome {
  if (!ctx.config.unattachedVolume.enabled) return undefined;
  if (resource.kind !== 'volume' || resource.state !== 'available')
    return undefined;
  const size = resource.sizeGiB;
  const priced = storageMonthlyCost(resource, ctx, {
    noun: 'volume',
    kind: 'unattached-volume',
    perGiBMonth:
      resource.type && tableApplies(ctx, resource.provider)
        ? ctx.prices.findVolumeGiBMonth(resource.region, resource.type)
        : undefined,
    priceOf: resource.type
      ? `volume type ${resource.type}`
      : 'a volume without type',
  });
  if ('skip' in priced) return priced;
  const { cost } = priced;
  const amount = toMoney(cost.monthly);
  return {
    recommendation: {
      ...recommendationBase(resource, 'unattached-volume', ctx.currency),
      action:
        'Delete the volume (take a snapshot first if its data may be needed)',
      reason: `The ${size !== undefined ? `${size} GiB ` : ''}${
        resource.type ? `${resource.type} ` : ''
      }volume is attached to no instance (state available) and is billed all the same.`,
      evidence: {
        ...(size !== undefined ? { sizeGiB: size } : {}),
        resourceState: resource.state,
      },
      ...(resource.type ? { currentType: resource.type } : {}),
      currentMonthlyCost: amount,
      monthlySaving: amount,
      confidence: 'high',
      priceSource: cost.source,
    },
  };
}
