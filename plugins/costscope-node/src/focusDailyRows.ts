import { CostLine, CostLineAllocation } from './sources';

/**
 * The dimensions a daily FOCUS aggregation pushed into a query engine (Athena, BigQuery)
 * answers, by the names its query gives them, in the order its SELECT lists them.
 * @public
 */
export const FOCUS_DAILY_DIMENSIONS = [
  'charge_date',
  'billing_period_start',
  'provider',
  'billing_account_id',
  'sub_account_id',
  'service_name',
  'service_category',
  'region_id',
  'resource_id',
  'resource_name',
  'resource_type',
  'charge_category',
  'currency',
  'commitment_discount_id',
  'commitment_discount_status',
  'tags',
  'allocated_method_id',
  'allocated_resource_id',
  'allocated_resource_name',
  'allocated_tags',
] as const;

/**
 * The dimensions of FOCUS 1.3's split cost allocation, and the FOCUS column each reads. A
 * table without a column answers NULL for it, a constant the query does not group by.
 * @public
 */
export const FOCUS_DAILY_SPLIT_COLUMNS = {
  allocated_method_id: 'AllocatedMethodId',
  allocated_resource_id: 'AllocatedResourceId',
  allocated_resource_name: 'AllocatedResourceName',
  allocated_tags: 'AllocatedTags',
} as const;

/** The sums such an aggregation answers after its dimensions, as exact decimal text. @public */
export const FOCUS_DAILY_SUMS = [
  'billed_cost',
  'effective_cost',
  'list_cost',
] as const;

/** Every result column of a daily FOCUS aggregation, in order. @public */
export const FOCUS_DAILY_COLUMNS = [
  ...FOCUS_DAILY_DIMENSIONS,
  ...FOCUS_DAILY_SUMS,
] as const;

/** A result column of a daily FOCUS aggregation. @public */
export type FocusDailyColumn = (typeof FOCUS_DAILY_COLUMNS)[number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** As the FOCUS file sources store them: VARCHAR(255), and ids and names up to an ARN's 2048. */
const SHORT_TEXT_LIMIT = 255;
const LONG_TEXT_LIMIT = 2048;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * One result row of a daily FOCUS aggregation (values in the order of FOCUS_DAILY_COLUMNS,
 * NULL or empty as absent) as a cost line, or the reason it cannot be one.
 * @param parseTags - the engine's tags text as tags; undefined when it is not key/value pairs,
 *   a throw when it is not JSON
 * @public
 */
export function focusDailyRowToCostLine(
  row: ReadonlyArray<string | null | undefined>,
  options: {
    /** ProviderName when a row has none. */
    defaultProvider: string;
    parseTags(text: string): Record<string, string> | undefined;
  },
): CostLine | { rejected: string } {
  const v: Partial<Record<FocusDailyColumn, string>> = {};
  FOCUS_DAILY_COLUMNS.forEach((column, i) => {
    const value = row[i];
    if (value !== null && value !== undefined && value !== '')
      v[column] = value;
  });
  if (!v.charge_date || !DAY.test(v.charge_date))
    return { rejected: `charge date '${v.charge_date ?? ''}' is not a day` };
  if (!v.billing_period_start || !DAY.test(v.billing_period_start))
    return { rejected: 'no billing period start' };
  if (!v.currency || !/^[A-Z]{3}$/.test(v.currency))
    return { rejected: `currency '${v.currency ?? ''}' is not an ISO code` };
  for (const c of ['billed_cost', 'effective_cost'] as const) {
    if (!v[c] || !DECIMAL.test(v[c]!))
      return { rejected: `${c} '${v[c] ?? ''}' is not a decimal` };
  }
  if (v.list_cost !== undefined && !DECIMAL.test(v.list_cost))
    return { rejected: `list_cost '${v.list_cost}' is not a decimal` };
  let tags: Record<string, string> = {};
  if (v.tags) {
    try {
      const parsed = options.parseTags(v.tags);
      if (!parsed) return { rejected: 'tags are not key/value pairs' };
      tags = parsed;
    } catch {
      return { rejected: 'tags are not JSON' };
    }
  }
  const allocated = allocationOf(v, options.parseTags);
  if ('rejected' in allocated) return allocated;
  const status = v.commitment_discount_status;
  return {
    chargeDate: v.charge_date,
    billingPeriod: v.billing_period_start,
    provider: v.provider ?? options.defaultProvider,
    billingAccountId: v.billing_account_id ?? '',
    subAccountId: v.sub_account_id ?? v.billing_account_id ?? '',
    serviceName: v.service_name ?? '',
    serviceCategory: v.service_category,
    regionId: v.region_id,
    resourceId: v.resource_id,
    resourceName: v.resource_name,
    resourceType: v.resource_type,
    chargeCategory: v.charge_category ?? 'Usage',
    currency: v.currency,
    billedCost: v.billed_cost!,
    effectiveCost: v.effective_cost!,
    listCost: v.list_cost,
    commitmentDiscountId: v.commitment_discount_id,
    commitmentDiscountStatus:
      status === 'Used' || status === 'Unused' ? status : undefined,
    tags,
    ...(allocated.allocation ? { allocated: allocated.allocation } : {}),
  };
}

/** Values as the FOCUS file sources read them: trimmed, and `NULL`, `None` or `N/A` absent. */
function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed || /^(null|none|n\/a)$/i.test(trimmed)) return undefined;
  return trimmed;
}

function textProblem(
  column: string,
  value: string | undefined,
  limit: number,
): string | undefined {
  if (value === undefined) return undefined;
  if (value.length > limit)
    return `${column} is longer than ${limit} characters`;
  if (value.includes('\u0000')) return `${column} contains a NUL character`;
  return undefined;
}

/**
 * FOCUS 1.3's split of a line the provider split (an AllocatedMethodId), as the FOCUS file
 * sources read it: the other allocated columns count only with a method.
 */
function allocationOf(
  v: Partial<Record<FocusDailyColumn, string>>,
  parseTags: (text: string) => Record<string, string> | undefined,
): { allocation?: CostLineAllocation } | { rejected: string } {
  const methodId = clean(v.allocated_method_id);
  if (methodId === undefined) return {};
  const resourceId = clean(v.allocated_resource_id);
  const resourceName = clean(v.allocated_resource_name);
  const problem =
    textProblem('AllocatedMethodId', methodId, SHORT_TEXT_LIMIT) ??
    textProblem('AllocatedResourceId', resourceId, LONG_TEXT_LIMIT) ??
    textProblem('AllocatedResourceName', resourceName, LONG_TEXT_LIMIT);
  if (problem) return { rejected: problem };
  let tags: Record<string, string> = {};
  const text = clean(v.allocated_tags);
  if (text !== undefined) {
    try {
      const parsed = parseTags(text);
      if (!parsed)
        return { rejected: 'allocated tags are not key/value pairs' };
      tags = parsed;
    } catch {
      return { rejected: 'allocated tags are not JSON' };
    }
  }
  return {
    allocation: {
      methodId,
      ...(resourceId !== undefined ? { resourceId } : {}),
      ...(resourceName !== undefined ? { resourceName } : {}),
      tags,
    },
  };
}
