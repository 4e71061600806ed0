import { InventoryResource } from '@costscope/backstage-plugin-node';
import { decimalFraction, exact, monthly, multiply } from '../exact';
import {
  RuleContext,
  RuleOutcome,
  skipOf,
  tableApplies,
  tableGap,
  tipBase,
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
  const billed = ctx.billingHourlyCost?.get(resource.resourceId);
  let cost;
  if (billed !== undefined) {
    cost = { monthly: monthly(exact(billed)), source: 'billing' as const };
  } else {
    const perGiB =
      resource.type && tableApplies(ctx, resource.provider)
        ? ctx.prices.findVolumeGiBMonth(resource.region, resource.type)
        : undefined;
    if (perGiB === undefined) {
      return {
        skip: skipOf(
          resource,
          'no-price',
          `No billing cost for this volume, and ${tableGap(
            ctx,
            resource.provider,
            resource.type
              ? `volume type ${resource.type}`
              : 'a volume without type',
            resource.region,
          )}`,
          'unattached-volume',
        ),
      };
    }
    if (size === undefined || !(size > 0)) {
      return {
        skip: skipOf(
          resource,
          'unknown-size',
          'No billing cost for this volume, and the inventory gives no size',
          'unattached-volume',
        ),
      };
    }
    cost = {
      monthly: multiply(exact(perGiB), decimalFraction(size)),
      source: 'price-table' as const,
    };
  }
  const amount = toMoney(cost.monthly);
  return {
    tip: {
      ...tipBase(resource, 'unattached-volume', ctx.currency),
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
