/** The pods of i-node-1 in the CUR 2.0 test export, with their shares of the node. */
export const CUR2_PODS = [
  {
    pod: 'arn:aws:eks:us-east-1:111122223333:pod/prod/shop/checkout-api-7d9f/4f1c',
    namespace: 'shop',
    workload: 'checkout-api',
    kubernetesId: 'checkout-api',
    split: '0.40',
    unused: '0.10',
  },
  {
    pod: 'arn:aws:eks:us-east-1:111122223333:pod/prod/shop/cart-5c4b/9a2e',
    namespace: 'shop',
    workload: 'cart',
    kubernetesId: null,
    split: '0.25',
    unused: '0.05',
  },
  {
    pod: 'arn:aws:eks:us-east-1:111122223333:pod/prod/kube-system/coredns-1/77aa',
    namespace: 'kube-system',
    workload: 'coredns',
    kubernetesId: null,
    split: '0.15',
    unused: '0.05',
  },
] as const;

/** AWS's unused cost of the last pod on 2026-03-02 misses the node's cost by this, per hour. */
export const CUR2_UNUSED_SHORTFALL = '0.0000000003';

const SPLIT_COLUMNS = [
  'split_line_item_parent_resource_id',
  'split_line_item_split_cost',
  'split_line_item_unused_cost',
  'split_line_item_public_on_demand_split_cost',
  'split_line_item_public_on_demand_unused_cost',
  'split_line_item_split_usage_ratio',
];

/**
 * A CUR 2.0 export (AWS Data Exports, hourly, with resources and split cost allocation data) of
 * 2026-03-01 and 02, as DuckDB SQL: EKS node i-node-1, covered by a Savings Plan on the 1st and
 * on demand on the 2nd, split every hour into three pods (a vCPU and a memory row each) and
 * unused capacity, AWS's figures adding up on the 1st and short by CUR2_UNUSED_SHORTFALL an hour
 * on the 2nd; the plan's recurring fee and the negation of the covered usage; an unsplit node,
 * the node's data transfer, a tagged bucket, a support fee and a tax line.
 * `money`: `DECIMAL` for the exact amounts (what the sums must be), `DOUBLE` as AWS writes them.
 * `split: false` leaves out the pods and the split columns: an export without split data.
 * `buckets`: that many more buckets on the 1st, sorted after the node, so that the result
 * spans pages with the node's day held across them. `month` (`YYYY-MM`) moves it all to
 * another month's 1st and 2nd.
 */
export function cur2ExportSql(
  options: {
    money?: 'DOUBLE' | 'DECIMAL';
    split?: boolean;
    buckets?: number;
    month?: string;
  } = {},
): string {
  const month = options.month ?? '2026-03';
  const start = `TIMESTAMP '${month}-01 00:00:00'`;
  const type =
    (options.money ?? 'DOUBLE') === 'DOUBLE' ? 'DOUBLE' : 'DECIMAL(38, 10)';
  const split = options.split ?? true;
  const pods = CUR2_PODS.map(
    (p, i) =>
      `(${i}, '${p.pod}', '${p.namespace}', '${p.workload}', ${
        p.kubernetesId ? `'${p.kubernetesId}'` : 'NULL'
      }, ${p.split}, ${p.unused})`,
  ).join(',\n    ');
  const sql = `
WITH hours AS (
  SELECT h, h // 24 AS d, ${start} + to_hours(h) AS t
  FROM range(0, 48) r(h)
), node AS (
  -- the node's amortized cost an hour: the plan's rate on the 1st, on demand on the 2nd
  SELECT h, d, t,
    CAST(CASE WHEN d = 0 THEN 0.12345678 + h * 0.00000013 ELSE 0.192 END AS DECIMAL(38, 10)) AS e,
    CAST(0.192 AS DECIMAL(38, 10)) AS l
  FROM hours
), pods AS (
  SELECT * FROM (VALUES
    ${pods}
  ) p(i, pod, ns, workload, kid, w, uw)
), rows AS (
  SELECT t, 'i-node-1' AS resource,
    CASE WHEN d = 0 THEN 'SavingsPlanCoveredUsage' ELSE 'Usage' END AS type,
    'AmazonEC2' AS product, 'AmazonEC2' AS service, l AS unblended, l AS public_cost,
    CASE WHEN d = 0 THEN e END AS sp_effective,
    CASE WHEN d = 0 THEN 'arn:aws:savingsplans::111122223333:savingsplan/sp-1' ELSE '' END AS sp_arn,
    NULL AS sp_total, NULL AS sp_used,
    MAP {'user_team': 'platform', 'user_eks_cluster_name': 'prod'} AS tags,
    NULL AS parent, NULL AS split_cost, NULL AS unused_cost, NULL AS od_split, NULL AS od_unused, NULL AS ratio
  FROM node
  UNION ALL
  SELECT t, 'i-node-1', 'SavingsPlanNegation', 'AmazonEC2', 'AmazonEC2', -l, 0, NULL,
    'arn:aws:savingsplans::111122223333:savingsplan/sp-1', NULL, NULL,
    MAP {'user_team': 'platform', 'user_eks_cluster_name': 'prod'},
    NULL, NULL, NULL, NULL, NULL, NULL
  FROM node WHERE d = 0
  UNION ALL
  SELECT t, 'arn:aws:savingsplans::111122223333:savingsplan/sp-1', 'SavingsPlanRecurringFee',
    'ComputeSavingsPlans', 'ComputeSavingsPlans', 0.13, 0, NULL,
    'arn:aws:savingsplans::111122223333:savingsplan/sp-1', 0.13, CASE WHEN d = 0 THEN e ELSE 0 END,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM node
  UNION ALL
  -- the pods' rows: a vCPU row with the pod's unused share, a memory row; no cost of their own
  SELECT t, pod, 'Usage', 'AmazonEKS', 'AmazonEKS', 0, 0, NULL, '', NULL, NULL,
    CASE WHEN kid IS NULL
      THEN MAP {'aws_eks_cluster_name': 'prod', 'aws_eks_namespace': ns, 'aws_eks_workload_name': workload}
      ELSE MAP {'aws_eks_cluster_name': 'prod', 'aws_eks_namespace': ns, 'aws_eks_workload_name': workload,
                'user_backstage_io_kubernetes_id': kid} END,
    'i-node-1',
    CASE WHEN cpu THEN e * w - e * 0.05 ELSE e * 0.05 END,
    CASE WHEN NOT cpu THEN 0
      WHEN d = 1 AND i = 2 THEN e * uw - ${CUR2_UNUSED_SHORTFALL}
      ELSE e * uw END,
    CASE WHEN cpu THEN l * w - l * 0.05 ELSE l * 0.05 END,
    CASE WHEN cpu THEN l * uw ELSE 0 END,
    w
  FROM node CROSS JOIN pods CROSS JOIN (VALUES (true), (false)) c(cpu)
  UNION ALL
  SELECT t, 'i-node-2', 'Usage', 'AmazonEC2', 'AmazonEC2', 0.096, 0.096, NULL, '', NULL, NULL,
    MAP {'user_team': 'platform'}, NULL, NULL, NULL, NULL, NULL, NULL
  FROM node
  UNION ALL
  SELECT t, 'i-node-1', 'Usage', 'AmazonEC2', 'AWSDataTransfer', 0.0123456789, 0.0123456789, NULL, '',
    NULL, NULL, MAP {'user_team': 'platform', 'user_eks_cluster_name': 'prod'},
    NULL, NULL, NULL, NULL, NULL, NULL
  FROM node WHERE h % 24 = 0
  UNION ALL
  SELECT t, 'payments-bucket', 'Usage', 'AmazonS3', 'AmazonS3', 1.5, 1.5, NULL, '', NULL, NULL,
    MAP {'user_team': 'payments', 'user_cost_center': ''}, NULL, NULL, NULL, NULL, NULL, NULL
  FROM node WHERE h % 24 = 0
  UNION ALL
  SELECT ${start}, printf('z-bucket-%05d', b), 'Usage', 'AmazonS3', 'AmazonS3',
    0.0000012345 * (b + 1), 0.0000012345 * (b + 1), NULL, '', NULL, NULL,
    MAP {'user_team': 'data'}, NULL, NULL, NULL, NULL, NULL, NULL
  FROM range(0, ${options.buckets ?? 0}) r(b)
  UNION ALL
  SELECT ${start}, '', 'Fee', 'AWSSupportBusiness', 'AWSSupportBusiness',
    100, 0, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  UNION ALL
  SELECT ${start}, '', 'Tax', 'AmazonEC2', 'AmazonEC2', 2.3456789012, 0,
    NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
)
SELECT
  'AWS' AS bill_billing_entity,
  ${start} AS bill_billing_period_start_date,
  ${start} + INTERVAL 1 MONTH AS bill_billing_period_end_date,
  '111122223333' AS bill_payer_account_id,
  '444455556666' AS line_item_usage_account_id,
  type AS line_item_line_item_type,
  t AS line_item_usage_start_date,
  t + to_hours(1) AS line_item_usage_end_date,
  product AS line_item_product_code,
  resource AS line_item_resource_id,
  'USD' AS line_item_currency_code,
  CAST(unblended AS ${type}) AS line_item_unblended_cost,
  CAST(unblended AS ${type}) AS line_item_net_unblended_cost,
  CAST(public_cost AS ${type}) AS pricing_public_on_demand_cost,
  service AS product_servicecode,
  CASE WHEN type = 'Tax' OR type = 'Fee' THEN '' ELSE 'us-east-1' END AS product_region_code,
  sp_arn AS savings_plan_savings_plan_a_r_n,
  CAST(COALESCE(sp_effective, 0) AS ${type}) AS savings_plan_savings_plan_effective_cost,
  CAST(COALESCE(sp_total, 0) AS ${type}) AS savings_plan_total_commitment_to_date,
  CAST(COALESCE(sp_used, 0) AS ${type}) AS savings_plan_used_commitment,
  '' AS reservation_reservation_a_r_n,
  CAST(0 AS ${type}) AS reservation_effective_cost,
  CAST(0 AS ${type}) AS reservation_unused_amortized_upfront_fee_for_billing_period,
  CAST(0 AS ${type}) AS reservation_unused_recurring_fee,
  CAST(tags AS MAP(VARCHAR, VARCHAR)) AS resource_tags,
  CAST(parent AS VARCHAR) AS split_line_item_parent_resource_id,
  CAST(split_cost AS ${type}) AS split_line_item_split_cost,
  CAST(unused_cost AS ${type}) AS split_line_item_unused_cost,
  CAST(od_split AS ${type}) AS split_line_item_public_on_demand_split_cost,
  CAST(od_unused AS ${type}) AS split_line_item_public_on_demand_unused_cost,
  CAST(ratio AS DOUBLE) AS split_line_item_split_usage_ratio
FROM rows
ORDER BY line_item_usage_start_date, line_item_resource_id, line_item_line_item_type`;
  return split
    ? sql
    : `SELECT * EXCLUDE (${SPLIT_COLUMNS.join(', ')})
FROM (${sql}) WHERE split_line_item_parent_resource_id IS NULL`;
}
