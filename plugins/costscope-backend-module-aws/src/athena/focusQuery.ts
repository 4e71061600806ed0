import { CostLine } from '@costscope/backstage-plugin-node';

/**
 * The result columns of the daily query, in order: the day, the dimensions Costscope stores,
 * then the three sums. FOCUS 1.0 column names, lower-cased as Glue names them.
 */
const DIMENSIONS: Array<[alias: string, expression: string]> = [
  ['charge_date', 'CAST(chargeperiodstart AS DATE)'],
  ['billing_period_start', 'CAST(billingperiodstart AS DATE)'],
  ['provider', 'providername'],
  ['billing_account_id', 'billingaccountid'],
  ['sub_account_id', 'subaccountid'],
  ['service_name', 'servicename'],
  ['service_category', 'servicecategory'],
  ['region_id', 'regionid'],
  ['resource_id', 'resourceid'],
  ['resource_name', 'resourcename'],
  ['resource_type', 'resourcetype'],
  ['charge_category', 'chargecategory'],
  ['currency', 'billingcurrency'],
  ['commitment_discount_id', 'commitmentdiscountid'],
  ['commitment_discount_status', 'commitmentdiscountstatus'],
  // a map(varchar, varchar) in AWS's FOCUS table; JSON text on the way back
  ['tags', 'json_format(CAST(tags AS JSON))'],
];
/** DECIMAL(38, 18) holds the exports' precision (up to 12 decimals) and 20 integer digits. */
const SUMS: Array<[alias: string, column: string]> = [
  ['billed_cost', 'billedcost'],
  ['effective_cost', 'effectivecost'],
  ['list_cost', 'listcost'],
];
export const FOCUS_RESULT_COLUMNS = [...DIMENSIONS, ...SUMS].map(([a]) => a);

/** A plain SQL name: letters, digits and underscores (config is checked against it). */
export const SQL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const quoted = (name: string) => {
  if (!SQL_NAME.test(name))
    throw new Error(`'${name}' is not a plain SQL name`);
  return `"${name}"`;
};

/**
 * The daily aggregation of one billing period (`YYYY-MM`, the partition's value) of a FOCUS
 * table, in SQL that Athena (Trino) and DuckDB both run. Money is summed as DECIMAL inside the
 * query and comes back as exact text.
 */
export function focusDailyQuery(options: {
  database: string;
  table: string;
  partitionColumn: string;
  period: string;
}): string {
  if (!/^\d{4}-\d{2}$/.test(options.period))
    throw new Error(`'${options.period}' is not a YYYY-MM billing period`);
  const select = [
    ...DIMENSIONS.map(([alias, expression]) => `  ${expression} AS ${alias}`),
    ...SUMS.map(
      ([alias, column]) =>
        `  SUM(CAST(${column} AS DECIMAL(38, 18))) AS ${alias}`,
    ),
  ].join(',\n');
  const groupBy = DIMENSIONS.map((_, i) => i + 1).join(', ');
  return (
    `SELECT\n${select}\n` +
    `FROM ${quoted(options.database)}.${quoted(options.table)}\n` +
    `WHERE ${quoted(options.partitionColumn)} = '${options.period}'\n` +
    `GROUP BY ${groupBy}`
  );
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * One result row (values by FOCUS_RESULT_COLUMNS, NULL as undefined) as a cost line, or the
 * reason it cannot be one.
 */
export function focusRowToCostLine(
  row: Array<string | undefined>,
): CostLine | { rejected: string } {
  const v = Object.fromEntries(
    FOCUS_RESULT_COLUMNS.map((c, i) => [c, row[i] === '' ? undefined : row[i]]),
  ) as Record<string, string | undefined>;
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
      const parsed = JSON.parse(v.tags);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        tags = Object.fromEntries(
          Object.entries(parsed)
            .filter(([, value]) => value !== null && value !== undefined)
            .map(([key, value]) => [key, String(value)]),
        );
      }
    } catch {
      return { rejected: 'tags are not JSON' };
    }
  }
  const status = v.commitment_discount_status;
  return {
    chargeDate: v.charge_date,
    billingPeriod: v.billing_period_start,
    provider: v.provider ?? 'AWS',
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
  };
}
