/**
 * Tag filters that select an entity's cost lines, e.g. `service=checkout-api` or
 * `service=checkout-api,env=prod; app=checkout` (`,` = and, `;` = or).
 * @public
 */
export const COST_TAGS_ANNOTATION = 'costscope.io/cost-tags';
/** Comma-separated AWS account ids whose whole cost belongs to the entity. @public */
export const AWS_ACCOUNT_IDS_ANNOTATION = 'costscope.io/aws-account-ids';
/** Comma-separated Azure subscription ids whose whole cost belongs to the entity. @public */
export const AZURE_SUBSCRIPTION_IDS_ANNOTATION =
  'costscope.io/azure-subscription-ids';
/** Comma-separated GCP project ids whose whole cost belongs to the entity. @public */
export const GCP_PROJECT_IDS_ANNOTATION = 'costscope.io/gcp-project-ids';

/** Every annotation that maps cost to an entity. @public */
export const COST_MAPPING_ANNOTATIONS = [
  COST_TAGS_ANNOTATION,
  AWS_ACCOUNT_IDS_ANNOTATION,
  AZURE_SUBSCRIPTION_IDS_ANNOTATION,
  GCP_PROJECT_IDS_ANNOTATION,
] as const;

/**
 * A budget declared as code: the amount per calendar month (UTC) in the billing currency,
 * e.g. `"1200"`. Declared budgets win over budgets set in the UI.
 * @public
 */
export const BUDGET_MONTHLY_ANNOTATION = 'costscope.io/budget-monthly';
/** Like {@link BUDGET_MONTHLY_ANNOTATION}, per calendar quarter. @public */
export const BUDGET_QUARTERLY_ANNOTATION = 'costscope.io/budget-quarterly';
/** Like {@link BUDGET_MONTHLY_ANNOTATION}, per calendar year. @public */
export const BUDGET_ANNUAL_ANNOTATION = 'costscope.io/budget-annual';
/**
 * Thresholds of a declared budget, e.g. `"actual:50, actual:80, actual:100, forecast:100"`;
 * default: those four.
 * @public
 */
export const BUDGET_THRESHOLDS_ANNOTATION = 'costscope.io/budget-thresholds';
/** Comma-separated entity refs told of a declared budget's alerts; default: the owner. @public */
export const BUDGET_RECIPIENTS_ANNOTATION = 'costscope.io/budget-recipients';
/**
 * The cost basis a declared budget counts its spend on, `effective` (amortized) or `billed`;
 * default: the configured one (`costscope.costBasis`).
 * @public
 */
export const BUDGET_COST_BASIS_ANNOTATION = 'costscope.io/budget-cost-basis';

/**
 * On a group: the cost center its spend is charged to, e.g. `CC-4711`. Groups without one
 * inherit their parent group's. Used by the chargeback report `by=costCenter`.
 * @public
 */
export const COST_CENTER_ANNOTATION = 'costscope.io/cost-center';

/**
 * On a group or system: `off` stops its scheduled cost digests (weekly and monthly). The
 * digest can still be read in the portal.
 * @public
 */
export const DIGESTS_ANNOTATION = 'costscope.io/digests';

/**
 * A PromQL query whose value at the end of each UTC day is the entity's count of a business
 * metric for that day, e.g. `sum(increase(checkout_orders_total[1d]))`; prefix it with a
 * configured metric name and `=` to name the metric (`orders=sum(...)`), else it is the first
 * metric of `costscope.unitCost.metrics`. Read when `costscope.unitCost.prometheus.url` is set.
 * @public
 */
export const UNIT_METRIC_ANNOTATION = 'costscope.io/unit-metric';
