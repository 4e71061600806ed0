/**
 * DuckDB SQL that selects a FOCUS 1.3 export of March 2026 (three days, hourly lines) as AWS
 * writes EKS split cost allocation: one node's hours split per pod (`AllocatedMethodId`,
 * `AllocatedResourceId`, `AllocatedResourceName`, `AllocatedTags`), with a pod without a name,
 * one without allocated tags, the node's unsplit idle part and a second node nobody split.
 * Amounts are DECIMAL(38, 18) with 12 decimals, times UTC TIMESTAMPTZ, `Tags` a MAP as in
 * AWS's FOCUS export; `allocatedTags` chooses a MAP or JSON text for `AllocatedTags`, and
 * `version: '1.2'` leaves out the 1.3 columns. Write it with
 * `COPY (<sql>) TO '<dir>/BILLING_PERIOD=2026-03/part-0.parquet' (FORMAT parquet)`, with the
 * session's TimeZone set to UTC.
 * @public
 */
export function focusSplitExportSql(
  options: { allocatedTags?: 'map' | 'json'; version?: '1.2' | '1.3' } = {},
): string {
  const podTags =
    options.allocatedTags === 'json'
      ? 'CAST(to_json(pod_tags) AS VARCHAR)'
      : 'pod_tags';
  const split =
    options.version === '1.2'
      ? ''
      : `,
  'AWS' AS ServiceProviderName,
  'AWS' AS HostProviderName,
  method AS AllocatedMethodId,
  CAST(NULL AS VARCHAR) AS AllocatedMethodDetails,
  pod AS AllocatedResourceId,
  pod_name AS AllocatedResourceName,
  ${podTags} AS AllocatedTags`;
  return `
WITH hours AS (
  SELECT h, TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_hours(h) AS t
  FROM range(0, 72) r(h)
), parts AS (
  SELECT * FROM (VALUES
    (1, 'i-node-1', 'AWS-EKS-SplitCost', 'arn:aws:eks:us-east-1:111122223333:pod/prod/shop/checkout-api-7d9f',
      'checkout-api-7d9f', MAP {'aws:eks:namespace': 'shop', 'aws:eks:workload-name': 'checkout-api', 'backstage.io/kubernetes-id': 'checkout-api'}),
    (2, 'i-node-1', 'AWS-EKS-SplitCost', 'arn:aws:eks:us-east-1:111122223333:pod/prod/tools/debug-1',
      NULL, MAP {'aws:eks:namespace': 'tools'}),
    (3, 'i-node-1', 'AWS-EKS-SplitCost', 'arn:aws:eks:us-east-1:111122223333:pod/prod/shop/cart-5c4b',
      'cart-5c4b', NULL),
    (4, 'i-node-1', NULL, NULL, NULL, NULL),
    (5, 'i-node-2', NULL, NULL, NULL, NULL)
  ) p(part, node, method, pod, pod_name, pod_tags)
)
SELECT
  CAST(printf('0.%012d', (h * 7919 + part * 104729) * 99991 % 1000000000000) AS DECIMAL(38, 18)) AS BilledCost,
  CAST(printf('0.%012d', (h * 6007 + part * 15485863) * 99989 % 1000000000000) AS DECIMAL(38, 18)) AS EffectiveCost,
  CAST(printf('1.%012d', (h * 7919 + part * 104729) * 99991 % 1000000000000) AS DECIMAL(38, 18)) AS ListCost,
  'USD' AS BillingCurrency,
  t AS ChargePeriodStart,
  t + to_hours(1) AS ChargePeriodEnd,
  TIMESTAMPTZ '2026-03-01 00:00:00+00' AS BillingPeriodStart,
  TIMESTAMPTZ '2026-04-01 00:00:00+00' AS BillingPeriodEnd,
  'AWS' AS ProviderName,
  '111122223333' AS BillingAccountId,
  '111122223333' AS SubAccountId,
  'Amazon Elastic Compute Cloud' AS ServiceName,
  'Compute' AS ServiceCategory,
  'us-east-1' AS RegionId,
  node AS ResourceId,
  CAST(NULL AS VARCHAR) AS ResourceName,
  'Instance' AS ResourceType,
  'Usage' AS ChargeCategory,
  CAST(NULL AS VARCHAR) AS CommitmentDiscountId,
  CAST(NULL AS VARCHAR) AS CommitmentDiscountStatus,
  MAP {'eks:cluster-name': 'prod', 'team': 'platform'} AS Tags${split}
FROM hours CROSS JOIN parts
ORDER BY h, part`;
}
