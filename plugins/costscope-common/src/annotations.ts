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
