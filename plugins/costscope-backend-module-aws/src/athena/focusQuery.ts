import {
  CostLine,
  FOCUS_DAILY_COLUMNS,
  FOCUS_DAILY_DIMENSIONS,
  FOCUS_DAILY_SUMS,
  focusDailyRowToCostLine,
} from '@costscope/backstage-plugin-node';

/**
 * How the daily query computes each dimension, from FOCUS 1.0 columns lower-cased as Glue
 * names them.
 */
const DIMENSIONS: Record<(typeof FOCUS_DAILY_DIMENSIONS)[number], string> = {
  charge_date: 'CAST(chargeperiodstart AS DATE)',
  billing_period_start: 'CAST(billingperiodstart AS DATE)',
  provider: 'providername',
  billing_account_id: 'billingaccountid',
  sub_account_id: 'subaccountid',
  service_name: 'servicename',
  service_category: 'servicecategory',
  region_id: 'regionid',
  resource_id: 'resourceid',
  resource_name: 'resourcename',
  resource_type: 'resourcetype',
  charge_category: 'chargecategory',
  currency: 'billingcurrency',
  commitment_discount_id: 'commitmentdiscountid',
  commitment_discount_status: 'commitmentdiscountstatus',
  // a map(varchar, varchar) in AWS's FOCUS table; JSON text on the way back
  tags: 'json_format(CAST(tags AS JSON))',
};
/** DECIMAL(38, 18) holds the exports' precision (up to 12 decimals) and 20 integer digits. */
const SUMS: Record<(typeof FOCUS_DAILY_SUMS)[number], string> = {
  billed_cost: 'billedcost',
  effective_cost: 'effectivecost',
  list_cost: 'listcost',
};
/** The result columns of the daily query, in order. */
export const FOCUS_RESULT_COLUMNS: readonly string[] = FOCUS_DAILY_COLUMNS;

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
    ...FOCUS_DAILY_DIMENSIONS.map(
      alias => `  ${DIMENSIONS[alias]} AS ${alias}`,
    ),
    ...FOCUS_DAILY_SUMS.map(
      alias => `  SUM(CAST(${SUMS[alias]} AS DECIMAL(38, 18))) AS ${alias}`,
    ),
  ].join(',\n');
  const groupBy = FOCUS_DAILY_DIMENSIONS.map((_, i) => i + 1).join(', ');
  return (
    `SELECT\n${select}\n` +
    `FROM ${quoted(options.database)}.${quoted(options.table)}\n` +
    `WHERE ${quoted(options.partitionColumn)} = '${options.period}'\n` +
    `GROUP BY ${groupBy}`
  );
}

/** AWS's tags map as JSON text: an object; anything else counts as no tags. */
function parseTags(text: string): Record<string, string> {
  const parsed = JSON.parse(text);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  return Object.fromEntries(
    Object.entries(parsed)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => [key, String(value)]),
  );
}

/**
 * One result row (values by FOCUS_RESULT_COLUMNS, NULL as undefined) as a cost line, or the
 * reason it cannot be one.
 */
export function focusRowToCostLine(
  row: Array<string | undefined>,
): CostLine | { rejected: string } {
  return focusDailyRowToCostLine(row, { defaultProvider: 'AWS', parseTags });
}
