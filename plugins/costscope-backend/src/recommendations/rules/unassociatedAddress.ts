import { InventoryResource } from '@costscope/backstage-plugin-node';
import { exact, monthly } from '../exact';
import {
  RuleContext,
  RuleOutcome,
  skipOf,
  tableApplies,
  tableGap,
  recommendationBase,
  toMoney,
} from './common';

/**
 * Unassociated address: an Elastic IP (`address`) associated with nothing (no `attachedTo`).
 * Public IPv4 is billed by the hour whether used or not. Saving: 730 hours of the billing cost
 * per hour, else of the price table's public IPv4 price. Confidence: high.
 */
export function unassociatedAddress(
  resource: InventoryResource,
  ctx: RuleContext,
): RuleOutcome {
  if (!ctx.config.unassociatedAddress.enabled) return undefined;
  if (resource.kind !== 'address' || resource.attachedTo) return undefined;
  const billed = ctx.billingHourlyCost?.get(resource.resourceId);
  const table =
    billed === undefined && tableApplies(ctx, resource.provider)
      ? ctx.prices.findPublicIpv4Hourly(resource.region)
      : undefined;
  const hourly = billed ?? table;
  if (hourly === undefined) {
    return {
      skip: skipOf(
        resource,
        'no-price',
        `No billing cost for this address, and ${tableGap(
          ctx,
          resource.provider,
          'public IPv4',
          resource.region,
        )}`,
        'unassociated-address',
      ),
    };
  }
  const amount = toMoney(monthly(exact(hourly)));
  return {
    recommendation: {
      ...recommendationBase(resource, 'unassociated-address', ctx.currency),
      action: 'Release the Elastic IP address',
      reason:
        'The address is associated with no instance or network interface; public IPv4 addresses are billed by the hour all the same.',
      evidence: {},
      currentMonthlyCost: amount,
      monthlySaving: amount,
      confidence: 'high',
      priceSource: billed !== undefined ? 'billing' : 'price-table',
    },
  };
}
