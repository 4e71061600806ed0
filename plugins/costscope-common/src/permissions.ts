import { createPermission } from '@backstage/plugin-permission-common';

/** Read cost data of entities and the organisation. @public */
export const costReadPermission = createPermission({
  name: 'costscope.cost.read',
  attributes: { action: 'read' },
});

/** Create, change or delete budgets. @public */
export const budgetUpdatePermission = createPermission({
  name: 'costscope.budget.update',
  attributes: { action: 'update' },
});

/** Trigger ingestion and other administrative actions. @public */
export const costscopeAdminPermission = createPermission({
  name: 'costscope.admin',
  attributes: {},
});

/** All Costscope permissions, for registration with the permissions registry. @public */
export const costscopePermissions = [
  costReadPermission,
  budgetUpdatePermission,
  costscopeAdminPermission,
];
