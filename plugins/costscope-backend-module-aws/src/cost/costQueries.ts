import {
  Expression,
  GetCostAndUsageCommandInput,
} from '@aws-sdk/client-cost-explorer';
import { COST_METRICS, CostDimension, CostMetric } from '../config';

/** One GetCostAndUsage query of a run, before paging. */
export interface CostQuery {
  input: GetCostAndUsageCommandInput;
  /** The tag key this query groups by. */
  tagKey: string;
  /** Untagged groups are kept only in the last query; earlier ones leave them to the next. */
  keepsUntagged: boolean;
}

function allOf(expressions: Expression[]): Expression | undefined {
  if (expressions.length === 0) return undefined;
  // Cost Explorer rejects an And with fewer than two operands.
  return expressions.length === 1 ? expressions[0] : { And: expressions };
}

/**
 * The queries that read one account's daily cost. Cost Explorer groups by at most two keys,
 * so several tag keys are read as a cascade: query i groups by tag key i and keeps the cost
 * where none of the earlier keys is set. The queries partition the cost: every dollar is in
 * exactly one group of one query, and the last query keeps what no key tags.
 */
export function costQueries(options: {
  accountId: string;
  window: { from: string; to: string };
  tagKeys: string[];
  dimension: CostDimension;
  costMetric: CostMetric;
}): CostQuery[] {
  const { accountId, window, dimension } = options;
  const metrics = COST_METRICS[options.costMetric];
  const tagKeys = options.tagKeys.length > 0 ? options.tagKeys : [undefined];
  return tagKeys.map((tagKey, index) => {
    const filters: Expression[] = [];
    if (dimension === 'SERVICE') {
      filters.push({
        Dimensions: { Key: 'LINKED_ACCOUNT', Values: [accountId] },
      });
    }
    for (const earlier of options.tagKeys.slice(0, index)) {
      filters.push({ Tags: { Key: earlier, MatchOptions: ['ABSENT'] } });
    }
    return {
      tagKey: tagKey ?? '',
      keepsUntagged: index === tagKeys.length - 1,
      input: {
        TimePeriod: { Start: window.from, End: window.to },
        Granularity: 'DAILY',
        Metrics: [...new Set<string>([metrics.billed, metrics.effective])],
        GroupBy: [
          ...(tagKey ? [{ Type: 'TAG' as const, Key: tagKey }] : []),
          { Type: 'DIMENSION' as const, Key: dimension },
        ],
        Filter: allOf(filters),
      },
    };
  });
}
