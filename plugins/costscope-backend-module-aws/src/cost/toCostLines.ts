import { ResultByTime } from '@aws-sdk/client-cost-explorer';
import { CostLine } from '@costscope/backstage-plugin-node';
import { COST_METRICS, CostDimension, CostMetric } from '../config';
import { CostQuery } from './costQueries';

const ZERO = /^-?0*(\.0*)?$/;

/**
 * Turns one day's groups of a GetCostAndUsage answer into cost lines. Amounts stay the
 * decimal strings Cost Explorer sent, for the ingester to sum exactly.
 */
export function toCostLines(
  result: ResultByTime,
  query: CostQuery,
  context: {
    accountId: string;
    dimension: CostDimension;
    costMetric: CostMetric;
  },
): CostLine[] {
  const day = result.TimePeriod?.Start;
  if (!day)
    throw new Error('Cost Explorer answered a result without a TimePeriod');
  const metrics = COST_METRICS[context.costMetric];
  const lines: CostLine[] = [];
  for (const group of result.Groups ?? []) {
    const keys = group.Keys ?? [];
    const [tagGroup, dimensionValue] = query.tagKey
      ? [keys[0] ?? '', keys[1] ?? '']
      : ['', keys[0] ?? ''];
    const tagValue = tagGroup.slice(tagGroup.indexOf('$') + 1);
    if (query.tagKey && tagValue === '' && !query.keepsUntagged) continue;

    const billed = group.Metrics?.[metrics.billed];
    const effective = group.Metrics?.[metrics.effective];
    if (!billed?.Amount || !effective?.Amount) {
      throw new Error(
        `Cost Explorer answered a group of ${day} (${keys.join(
          ', ',
        )}) without ${metrics.billed}`,
      );
    }
    if (ZERO.test(billed.Amount) && ZERO.test(effective.Amount)) continue;
    lines.push({
      chargeDate: day,
      billingPeriod: `${day.slice(0, 7)}-01`,
      provider: 'AWS',
      billingAccountId: context.accountId,
      subAccountId:
        context.dimension === 'LINKED_ACCOUNT'
          ? dimensionValue
          : context.accountId,
      serviceName:
        context.dimension === 'SERVICE' ? dimensionValue : 'All AWS services',
      chargeCategory: 'Usage',
      currency: billed.Unit ?? 'USD',
      billedCost: billed.Amount,
      effectiveCost: effective.Amount,
      tags: tagValue ? { [query.tagKey]: tagValue } : {},
    });
  }
  return lines;
}
