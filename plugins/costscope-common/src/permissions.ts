import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

// Entity permissions name a catalog entity, so that a policy can answer per entity with
// conditions (the catalog's rules and Costscope's) instead of one answer for the whole org.

/** Read the cost of a catalog entity: summary, series, resources, budget, compliance, recommendations. @public */
export const entityCostReadPermission = createPermission({
  name: 'costscope.entity.cost.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Set or delete the budget of a catalog entity. @public */
export const entityBudgetUpdatePermission = createPermission({
  name: 'costscope.entity.budget.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Dismiss, snooze or reopen the recommendations allocated to a catalog entity. @public */
export const entityRecommendationUpdatePermission = createPermission({
  name: 'costscope.entity.recommendation.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Read the organisation's overview, budget list, alert list and recommendation list. @public */
export const overviewReadPermission = createPermission({
  name: 'costscope.overview.read',
  attributes: { action: 'read' },
});

/** Read the chargeback report. @public */
export const chargebackReadPermission = createPermission({
  name: 'costscope.chargeback.read',
  attributes: { action: 'read' },
});

/** Read the organisation's tag compliance. @public */
export const complianceReadPermission = createPermission({
  name: 'costscope.compliance.read',
  attributes: { action: 'read' },
});

/** Read the record of ingest runs. @public */
export const ingestRunsReadPermission = createPermission({
  name: 'costscope.ingest.run.read',
  attributes: { action: 'read' },
});

/**
 * Push daily business metric values (`POST /v1/metrics`), the denominators of unit cost.
 * Service tokens of pipelines hold it through the framework; users need a policy grant.
 * @public
 */
export const metricsWritePermission = createPermission({
  name: 'costscope.metrics.write',
  attributes: { action: 'create' },
});

/** Trigger ingestion, export the chargeback CSV, change unallocated recommendations. @public */
export const costscopeAdminPermission = createPermission({
  name: 'costscope.admin',
  attributes: {},
});

/** All Costscope permissions, for registration with the permissions registry. @public */
export const costscopePermissions = [
  entityCostReadPermission,
  entityBudgetUpdatePermission,
  entityRecommendationUpdatePermission,
  overviewReadPermission,
  chargebackReadPermission,
  complianceReadPermission,
  ingestRunsReadPermission,
  metricsWritePermission,
  costscopeAdminPermission,
];
