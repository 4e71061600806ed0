import {
  CostLine,
  FOCUS_DAILY_COLUMNS,
  FOCUS_DAILY_DIMENSIONS,
  FOCUS_DAILY_SUMS,
  focusDailyRowToCostLine,
} from '@costscope/backstage-plugin-node';
import { SQL_NAME, TableColumns } from './focusQuery';

/** The result columns of the CUR 2.0 daily query, in order: the FOCUS query's. */
export const CUR2_RESULT_COLUMNS: readonly string[] = FOCUS_DAILY_COLUMNS;

/**
 * The split cost allocation columns the query reads (AWS Data Exports,
 * INCLUDE_SPLIT_COST_ALLOCATION_DATA). The unused cost columns are not read: a node's idle part
 * is what its pods' split costs leave of its cost (see cur2Split).
 */
export const CUR2_SPLIT_COLUMNS = [
  'split_line_item_parent_resource_id',
  'split_line_item_split_cost',
  'split_line_item_public_on_demand_split_cost',
] as const;

/** Columns every CUR 2.0 table has (its schema is fixed) and the query reads. */
const REQUIRED = [
  'line_item_usage_start_date',
  'bill_billing_period_start_date',
  'bill_payer_account_id',
  'line_item_usage_account_id',
  'line_item_product_code',
  'line_item_resource_id',
  'line_item_line_item_type',
  'line_item_currency_code',
  'line_item_unblended_cost',
  'pricing_public_on_demand_cost',
  'savings_plan_savings_plan_a_r_n',
  'savings_plan_savings_plan_effective_cost',
  'savings_plan_total_commitment_to_date',
  'savings_plan_used_commitment',
  'reservation_reservation_a_r_n',
  'reservation_effective_cost',
  'reservation_unused_amortized_upfront_fee_for_billing_period',
  'reservation_unused_recurring_fee',
  'resource_tags',
] as const;

/**
 * Why a table cannot be read as CUR 2.0: the columns it lacks, named; undefined when it has
 * them all. Split columns are all or none: one without the others is a broken table.
 */
export function cur2ColumnProblem(
  columns: TableColumns,
  partitionColumn: string,
): string | undefined {
  const missing: string[] = REQUIRED.filter(c => !columns.has(c));
  if (!columns.has(partitionColumn.toLowerCase()))
    missing.push(partitionColumn);
  const split = CUR2_SPLIT_COLUMNS.filter(c => columns.has(c));
  if (split.length > 0 && split.length < CUR2_SPLIT_COLUMNS.length)
    missing.push(...CUR2_SPLIT_COLUMNS.filter(c => !columns.has(c)));
  return missing.length
    ? `the table has no column ${missing.join(', ')}`
    : undefined;
}

/** Whether the table carries split cost allocation data (EKS and ECS pods and tasks). */
export function hasCur2Split(columns: TableColumns | undefined): boolean {
  return CUR2_SPLIT_COLUMNS.every(c => columns?.has(c));
}

/**
 * DECIMAL(38, 10) per row: CUR 2.0's Parquet stores money as DOUBLE, and a cost AWS wrote with
 * up to 10 decimals comes back exactly from its double when rounded to 10 decimals (doubles
 * hold 15 significant digits, so up to 100,000 per line). Sums stay DECIMAL.
 */
const money = (expression: string) => `CAST(${expression} AS DECIMAL(38, 10))`;
const ZERO = 'CAST(0 AS DECIMAL(38, 10))';

const TYPE = 'line_item_line_item_type';
/** LineItemType to FOCUS ChargeCategory, as DOMAIN.md and the FOCUS converters map it. */
const CHARGE_CATEGORY = `CASE
    WHEN ${TYPE} = 'Tax' THEN 'Tax'
    WHEN ${TYPE} IN ('Fee', 'RIFee', 'SavingsPlanUpfrontFee', 'SavingsPlanRecurringFee') THEN 'Purchase'
    WHEN ${TYPE} IN ('Credit', 'BundledDiscount', 'EdpDiscount', 'PrivateRateDiscount', 'DistributorDiscount') THEN 'Credit'
    WHEN ${TYPE} = 'Refund' THEN 'Adjustment'
    ELSE 'Usage' END`;
/**
 * Billed (cash basis): the unblended cost, but 0 for usage a Savings Plan covered, which the
 * bill zeroes with a SavingsPlanNegation line (left out of the query: they cancel exactly).
 */
const BILLED = `CASE WHEN ${TYPE} = 'SavingsPlanCoveredUsage' THEN ${ZERO}
    ELSE ${money('line_item_unblended_cost')} END`;
/**
 * Effective (amortized), as AWS's own amortized cost: covered usage carries its share of the
 * commitment, a recurring fee only the commitment nothing used, upfront fees are spread away.
 */
const EFFECTIVE = `CASE
    WHEN ${TYPE} = 'SavingsPlanCoveredUsage' THEN ${money(
  'savings_plan_savings_plan_effective_cost',
)}
    WHEN ${TYPE} = 'SavingsPlanRecurringFee' THEN ${money(
  'savings_plan_total_commitment_to_date',
)} - ${money('savings_plan_used_commitment')}
    WHEN ${TYPE} = 'SavingsPlanUpfrontFee' THEN ${ZERO}
    WHEN ${TYPE} = 'DiscountedUsage' THEN ${money('reservation_effective_cost')}
    WHEN ${TYPE} = 'RIFee' THEN ${money(
  'reservation_unused_amortized_upfront_fee_for_billing_period',
)} + ${money('reservation_unused_recurring_fee')}
    WHEN ${TYPE} = 'Fee' AND reservation_reservation_a_r_n <> '' THEN ${ZERO}
    ELSE ${money('line_item_unblended_cost')} END`;
const LIST = `COALESCE(${money('pricing_public_on_demand_cost')}, ${ZERO})`;
const STATUS = `CASE
    WHEN ${TYPE} IN ('SavingsPlanCoveredUsage', 'DiscountedUsage') THEN 'Used'
    WHEN ${TYPE} IN ('SavingsPlanRecurringFee', 'RIFee') THEN 'Unused' END`;
const COMMITMENT = `COALESCE(NULLIF(savings_plan_savings_plan_a_r_n, ''), NULLIF(reservation_reservation_a_r_n, ''))`;
const TAGS = 'json_format(CAST(resource_tags AS JSON))';

/**
 * The daily aggregation of one billing period of a CUR 2.0 table (AWS Data Exports, Parquet),
 * in the result columns of the FOCUS query plus the split sums, in SQL that Athena (Trino) and
 * DuckDB both run. With split cost allocation data, a pod's (or ECS task's) rows come back as
 * lines of their parent instance (`resource_id`) allocated to the pod, with its split cost in
 * every sum, ordered before all other lines so that a reader knows every pod of a
 * node before the node's own lines (see cur2Split).
 */
export function cur2DailyQuery(options: {
  database: string;
  table: string;
  partitionColumn: string;
  period: string;
  columns: TableColumns;
}): string {
  const { columns } = options;
  if (!/^\d{4}-\d{2}$/.test(options.period))
    throw new Error(`'${options.period}' is not a YYYY-MM billing period`);
  for (const name of [
    options.database,
    options.table,
    options.partitionColumn,
  ]) {
    if (!SQL_NAME.test(name))
      throw new Error(`'${name}' is not a plain SQL name`);
  }
  const split = hasCur2Split(columns);
  const pod = 'split_line_item_parent_resource_id IS NOT NULL';
  // Pods' rows carry the split; their own line_item_* costs are not the node's cost again.
  const ifPod = (then: string, otherwise: string) =>
    split ? `CASE WHEN ${pod} THEN ${then} ELSE ${otherwise} END` : otherwise;
  const onlyPod = (then: string) =>
    split ? `CASE WHEN ${pod} THEN ${then} END` : 'CAST(NULL AS VARCHAR)';
  const service = columns.has('product_servicecode')
    ? "COALESCE(NULLIF(product_servicecode, ''), line_item_product_code)"
    : 'line_item_product_code';
  const dimensions: Record<
    (typeof FOCUS_DAILY_DIMENSIONS)[number],
    string | undefined
  > = {
    charge_date: 'CAST(line_item_usage_start_date AS DATE)',
    billing_period_start: 'CAST(bill_billing_period_start_date AS DATE)',
    provider: undefined,
    billing_account_id: 'bill_payer_account_id',
    sub_account_id: 'line_item_usage_account_id',
    service_name: service,
    service_category: undefined,
    region_id: columns.has('product_region_code')
      ? "NULLIF(product_region_code, '')"
      : undefined,
    resource_id: ifPod(
      'split_line_item_parent_resource_id',
      "NULLIF(line_item_resource_id, '')",
    ),
    resource_name: undefined,
    resource_type: undefined,
    charge_category: ifPod("'Usage'", CHARGE_CATEGORY),
    currency: 'line_item_currency_code',
    commitment_discount_id: ifPod('CAST(NULL AS VARCHAR)', COMMITMENT),
    commitment_discount_status: ifPod('CAST(NULL AS VARCHAR)', STATUS),
    tags: ifPod('CAST(NULL AS VARCHAR)', TAGS),
    allocated_method_id: onlyPod(
      "CASE WHEN line_item_product_code = 'AmazonECS' THEN 'AWS-ECS-SplitCost' ELSE 'AWS-EKS-SplitCost' END",
    ),
    allocated_resource_id: onlyPod('line_item_resource_id'),
    allocated_resource_name: undefined,
    allocated_tags: onlyPod(TAGS),
  };
  const splitCost = money('split_line_item_split_cost');
  const sums: Record<(typeof FOCUS_DAILY_SUMS)[number], string> = {
    billed_cost: ifPod(splitCost, BILLED),
    effective_cost: ifPod(splitCost, EFFECTIVE),
    list_cost: ifPod(
      money('split_line_item_public_on_demand_split_cost'),
      LIST,
    ),
  };
  const expressions = FOCUS_DAILY_DIMENSIONS.map(alias => dimensions[alias]);
  const select = [
    ...FOCUS_DAILY_DIMENSIONS.map(
      (alias, i) =>
        `  ${expressions[i] ?? 'CAST(NULL AS VARCHAR)'} AS ${alias}`,
    ),
    ...FOCUS_DAILY_SUMS.map(alias => `  SUM(${sums[alias]}) AS ${alias}`),
  ].join(',\n');
  const groupBy = expressions
    .flatMap((expression, i) => (expression ? [i + 1] : []))
    .join(', ');
  const position = (alias: (typeof FOCUS_DAILY_DIMENSIONS)[number]) =>
    FOCUS_DAILY_DIMENSIONS.indexOf(alias) + 1;
  // Pods first, then a node's lines of a day together: Cur2Splitter reads them so.
  const orderBy = `${position('allocated_method_id')} NULLS LAST, ${position(
    'charge_date',
  )}, ${position('resource_id')}`;
  return (
    `SELECT\n${select}\n` +
    `FROM "${options.database}"."${options.table}"\n` +
    `WHERE "${options.partitionColumn}" = '${options.period}'\n` +
    `  AND ${TYPE} <> 'SavingsPlanNegation'\n` +
    `GROUP BY ${groupBy}${split ? `\nORDER BY ${orderBy}` : ''}`
  );
}

/**
 * CUR 2.0's tag keys as Costscope stores tags: `user_team` -> `team` (a user tag, its key
 * sanitised by AWS: `:` `-` `.` `/` became `_`), and the split cost allocation tags AWS sets on
 * pods and tasks under the names the Kubernetes split reads (`aws_eks_namespace` ->
 * `aws:eks:namespace`). Other keys are kept as they are.
 */
const AWS_TAG_KEYS: ReadonlyMap<string, string> = new Map([
  ['aws_eks_cluster_name', 'aws:eks:cluster-name'],
  ['aws_eks_namespace', 'aws:eks:namespace'],
  ['aws_eks_deployment', 'aws:eks:deployment'],
  ['aws_eks_workload_name', 'aws:eks:workload-name'],
  ['aws_eks_workload_type', 'aws:eks:workload-type'],
  ['aws_eks_node', 'aws:eks:node'],
  ['aws_ecs_cluster_name', 'aws:ecs:clusterName'],
  ['aws_ecs_service_name', 'aws:ecs:serviceName'],
  ['aws_created_by', 'aws:createdBy'],
]);

export function cur2TagKey(key: string): string {
  const known = AWS_TAG_KEYS.get(key);
  if (known) return known;
  return key.startsWith('user_') && key.length > 5 ? key.slice(5) : key;
}

/** CUR 2.0's resource_tags map as JSON text: an object; anything else counts as no tags. */
function parseTags(text: string): Record<string, string> {
  const parsed = JSON.parse(text);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    // AWS writes an empty value for a tag key the resource does not have.
    if (value === null || value === undefined || value === '') continue;
    tags[cur2TagKey(key)] = String(value);
  }
  return tags;
}

/**
 * One result row (values by CUR2_RESULT_COLUMNS, NULL as undefined) as a cost line, or the
 * reason it cannot be one. A pod's row is a line of its parent instance allocated to the pod,
 * its sums the pod's split cost: weights for Cur2Splitter, not money.
 */
export function cur2RowToCostLine(
  row: Array<string | undefined>,
): CostLine | { rejected: string } {
  return focusDailyRowToCostLine(row, { defaultProvider: 'AWS', parseTags });
}
