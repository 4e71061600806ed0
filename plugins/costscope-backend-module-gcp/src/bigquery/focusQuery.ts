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
 * How the daily query computes each dimension, from FOCUS 1.0 columns as Google's FOCUS view
 * (and a table materialised from it) names them, in PascalCase.
 */
const DIMENSIONS: Record<Dimension, string> = {
  charge_date: 'CAST(CAST(ChargePeriodStart AS DATE) AS STRING)',
  billing_period_start: 'CAST(CAST(BillingPeriodStart AS DATE) AS STRING)',
  provider: 'ProviderName',
  billing_account_id: 'BillingAccountId',
  sub_account_id: 'SubAccountId',
  service_name: 'ServiceName',
  service_category: 'ServiceCategory',
  region_id: 'RegionId',
  resource_id: 'ResourceId',
  resource_name: 'ResourceName',
  resource_type: 'ResourceType',
  charge_category: 'ChargeCategory',
  currency: 'BillingCurrency',
  commitment_discount_id: 'CommitmentDiscountId',
  commitment_discount_status: 'CommitmentDiscountStatus',
  // ARRAY<STRUCT<key STRING, value STRING, ...>> in Google's FOCUS view: JSON text
  // `[{"key": ..., "value": ...}]` on the way back (an array cannot be grouped by itself;
  // by its type: see tagsAsJson)
  tags: 'Tags',
};
/**
 * BIGNUMERIC (38 decimals in BigQuery) holds the costs exactly whatever their type in the table
 * (NUMERIC in Google's FOCUS view); the sum comes back as text.
 */
const SUMS: Record<(typeof FOCUS_DAILY_SUMS)[number], string> = {
  billed_cost: 'BilledCost',
  effective_cost: 'EffectiveCost',
  list_cost: 'ListCost',
};
/** The result columns of the daily query, in order. */
export const FOCUS_RESULT_COLUMNS: readonly string[] = FOCUS_DAILY_COLUMNS;

/** `project.dataset.table`: a project id (letters, digits, hyphens), then plain names. */
export const TABLE_NAME =
  /^([a-z][a-z0-9-]{4,28}[a-z0-9])\.([A-Za-z0-9_]{1,1024})\.([A-Za-z0-9_]{1,1024})$/;

const quotedTable = (table: string) => {
  if (!TABLE_NAME.test(table))
    throw new Error(`'${table}' is not a project.dataset.table name`);
  return `\`${table}\``;
};

const periodStart = (period: string) => {
  if (!/^\d{4}-\d{2}$/.test(period))
    throw new Error(`'${period}' is not a YYYY-MM billing period`);
  return `DATE '${period}-01'`;
};

/**
 * A table's top-level columns as its schema (tables.get) lists them: lower-case name to
 * field type (`STRING`, `RECORD`, `JSON`, ...); BigQuery's names are case-insensitive.
 */
export type TableColumns = ReadonlyMap<string, string>;

/**
 * A tags column as JSON text: an array of key/value structs (as Google's FOCUS view has Tags)
 * or a JSON value through TO_JSON_STRING; a STRING column holds JSON text already, which
 * TO_JSON_STRING would quote as one string, so that every tag would be lost. Without the
 * table's columns, the view's array.
 */
export function tagsAsJson(name: string, type: string | undefined): string {
  return type === 'STRING'
    ? `CAST(${name} AS STRING)`
    : `TO_JSON_STRING(${name})`;
}

/**
 * FOCUS 1.3's split columns the table has, as the query reads them (by the names FOCUS gives
 * them); none without an AllocatedMethodId, whose absence makes the others meaningless.
 */
export function splitExpressions(
  columns: TableColumns | undefined,
): Partial<Record<SplitDimension, string>> {
  const has = (alias: SplitDimension) =>
    columns?.has(FOCUS_DAILY_SPLIT_COLUMNS[alias].toLowerCase());
  if (!has('allocated_method_id')) return {};
  const expressions: Partial<Record<SplitDimension, string>> = {};
  for (const alias of Object.keys(
    FOCUS_DAILY_SPLIT_COLUMNS,
  ) as SplitDimension[]) {
    if (!has(alias)) continue;
    const name = FOCUS_DAILY_SPLIT_COLUMNS[alias];
    const type = columns!.get(name.toLowerCase());
    expressions[alias] =
      alias === 'allocated_tags'
        ? tagsAsJson(name, type)
        : `CAST(${name} AS STRING)`;
  }
  return expressions;
}

/**
 * The daily aggregation of one billing period (`YYYY-MM`) of a FOCUS table or view, in
 * GoogleSQL that DuckDB runs too (the fake BigQuery adds BIGNUMERIC and TO_JSON_STRING). Money
 * is summed as BIGNUMERIC in the query and comes back as exact text. FOCUS 1.3's split
 * columns are grouped by when `columns` has them; otherwise they come back NULL, a constant
 * the query does not group by.
 */
export function focusDailyQuery(options: {
  table: string;
  period: string;
  columns?: TableColumns;
}): string {
  const split = splitExpressions(options.columns);
  const expressions = FOCUS_DAILY_DIMENSIONS.map(alias => {
    if (alias in FOCUS_DAILY_SPLIT_COLUMNS)
      return split[alias as SplitDimension];
    const column = DIMENSIONS[alias as Dimension];
    return alias === 'tags'
      ? tagsAsJson(column, options.columns?.get(column.toLowerCase()))
      : column;
  });
  const select = [
    ...FOCUS_DAILY_DIMENSIONS.map(
      (alias, i) => `  ${expressions[i] ?? 'CAST(NULL AS STRING)'} AS ${alias}`,
    ),
    ...FOCUS_DAILY_SUMS.map(
      alias =>
        `  CAST(SUM(CAST(${SUMS[alias]} AS BIGNUMERIC)) AS STRING) AS ${alias}`,
    ),
  ].join(',\n');
  const groupBy = expressions
    .flatMap((expression, i) => (expression ? [i + 1] : []))
    .join(', ');
  return (
    `SELECT\n${select}\n` +
    `FROM ${quotedTable(options.table)}\n` +
    `WHERE CAST(BillingPeriodStart AS DATE) = ${periodStart(
      options.period,
    )}\n` +
    `GROUP BY ${groupBy}`
  );
}

/**
 * The partitions of the table (`project.dataset.table`) as INFORMATION_SCHEMA.PARTITIONS lists
 * them: id, last modification and rows, to tell whether a billing period changed.
 */
export function partitionsQuery(table: string): string {
  const m = TABLE_NAME.exec(table);
  if (!m) throw new Error(`'${table}' is not a project.dataset.table name`);
  return (
    `SELECT partition_id, CAST(last_modified_time AS STRING) AS last_modified, ` +
    `CAST(total_rows AS STRING) AS total_rows\n` +
    `FROM \`${m[1]}.${m[2]}.INFORMATION_SCHEMA.PARTITIONS\`\n` +
    `WHERE table_name = '${m[3]}'`
  );
}

/** Tags as the FOCUS view's array of key/value structs, or a JSON object; later keys win. */
function parseTags(text: string): Record<string, string> | undefined {
  const parsed = JSON.parse(text);
  const tags: Record<string, string> = {};
  if (Array.isArray(parsed)) {
    for (const entry of parsed) {
      if (
        entry &&
        typeof entry.key === 'string' &&
        entry.value !== null &&
        entry.value !== undefined
      )
        tags[entry.key] = String(entry.value);
    }
    return tags;
  }
  if (parsed && typeof parsed === 'object') {
    for (const [key, value] of Object.entries(parsed))
      if (value !== null && value !== undefined) tags[key] = String(value);
    return tags;
  }
  return parsed === null ? tags : undefined;
}

/**
 * One result row (values by FOCUS_RESULT_COLUMNS, NULL as undefined) as a cost line, or the
 * reason it cannot be one.
 */
export function focusRowToCostLine(
  row: Array<string | null | undefined>,
): CostLine | { rejected: string } {
  return focusDailyRowToCostLine(row, {
    defaultProvider: 'Google Cloud',
    parseTags,
  });
}
