import {
  CostLine,
  FOCUS_DAILY_COLUMNS,
  FOCUS_DAILY_DIMENSIONS,
  FOCUS_DAILY_SPLIT_COLUMNS,
  FOCUS_DAILY_SUMS,
  focusDailyRowToCostLine,
} from '@costscope/backstage-plugin-node';

type SplitDimension = keyof typeof FOCUS_DAILY_SPLIT_COLUMNS;
type Dimension = Exclude<
  (typeof FOCUS_DAILY_DIMENSIONS)[number],
  SplitDimension
>;

/**
 * How the daily query computes each dimension, from FOCUS 1.0 columns lower-cased as Glue
 * names them.
 */
const DIMENSIONS: Record<Dimension, string> = {
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
  // a map(varchar, varchar) in AWS's FOCUS table; JSON text on the way back (by its type:
  // see tagsAsJson)
  tags: 'tags',
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

/** A table's columns as Glue lists them: lower-case name to Hive type (`map<string,string>`). */
export type TableColumns = ReadonlyMap<string, string>;

/**
 * A tags column as JSON text: a map or struct (as AWS writes Tags) through JSON; a string
 * column (a table over CSV exports) holds JSON text already, which Trino's CAST to JSON would
 * wrap as one JSON string, so that every tag would be lost. Without the table's columns, a map.
 */
export function tagsAsJson(name: string, type: string | undefined): string {
  return type === undefined || /^(map|struct|array|row)\b/i.test(type)
    ? `json_format(CAST(${name} AS JSON))`
    : `CAST(${name} AS VARCHAR)`;
}

/**
 * FOCUS 1.3's split columns the table has, as the query reads them; none without an
 * AllocatedMethodId, whose absence makes the others meaningless.
 */
export function splitExpressions(
  columns: TableColumns | undefined,
): Partial<Record<SplitDimension, string>> {
  const has = (alias: SplitDimension) => {
    const name = FOCUS_DAILY_SPLIT_COLUMNS[alias].toLowerCase();
    return columns?.has(name) ? name : undefined;
  };
  if (!has('allocated_method_id')) return {};
  const expressions: Partial<Record<SplitDimension, string>> = {};
  for (const alias of Object.keys(
    FOCUS_DAILY_SPLIT_COLUMNS,
  ) as SplitDimension[]) {
    const name = has(alias);
    if (!name) continue;
    expressions[alias] =
      alias === 'allocated_tags'
        ? tagsAsJson(name, columns!.get(name))
        : `CAST(${name} AS VARCHAR)`;
  }
  return expressions;
}

/**
 * The daily aggregation of one billing period (`YYYY-MM`, the partition's value) of a FOCUS
 * table, in SQL that Athena (Trino) and DuckDB both run. Money is summed as DECIMAL inside the
 * query and comes back as exact text. FOCUS 1.3's split columns are grouped by when `columns`
 * has them; otherwise they come back NULL, a constant the query does not group by.
 */
export function focusDailyQuery(options: {
  database: string;
  table: string;
  partitionColumn: string;
  period: string;
  columns?: TableColumns;
}): string {
  if (!/^\d{4}-\d{2}$/.test(options.period))
    throw new Error(`'${options.period}' is not a YYYY-MM billing period`);
  const split = splitExpressions(options.columns);
  const expressions = FOCUS_DAILY_DIMENSIONS.map(alias => {
    if (alias in FOCUS_DAILY_SPLIT_COLUMNS)
      return split[alias as SplitDimension];
    const column = DIMENSIONS[alias as Dimension];
    return alias === 'tags'
      ? tagsAsJson(column, options.columns?.get(column))
      : column;
  });
  const select = [
    ...FOCUS_DAILY_DIMENSIONS.map(
      (alias, i) =>
        `  ${expressions[i] ?? 'CAST(NULL AS VARCHAR)'} AS ${alias}`,
    ),
    ...FOCUS_DAILY_SUMS.map(
      alias => `  SUM(CAST(${SUMS[alias]} AS DECIMAL(38, 18))) AS ${alias}`,
    ),
  ].join(',\n');
  const groupBy = expressions
    .flatMap((expression, i) => (expression ? [i + 1] : []))
    .join(', ');
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
