import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { CostscopeClient } from '@costscope/backstage-plugin-common';
import { costscopeApiRef } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The Costscope frontend plugin.
 * @public
 */
export const costscopePlugin = createPlugin({
  id: 'costscope',
  apis: [
    createApiFactory({
      api: costscopeApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CostscopeClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
});

/**
 * The Cost tab of an entity page (components, systems, domains, groups).
 * @public
 */
export const EntityCostContent = costscopePlugin.provide(
  createRoutableExtension({
    name: 'EntityCostContent',
    component: () =>
      import('./components/EntityCostContent').then(m => m.EntityCostContent),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * A card with the cost of the last 30 days, its change, and the top entities and services.
 * @public
 */
export const EntityCostCard = costscopePlugin.provide(
  createComponentExtension({
    name: 'EntityCostCard',
    component: {
      lazy: () =>
        import('./components/EntityCostCard').then(m => m.EntityCostCard),
    },
  }),
);

/**
 * A card with the entity's budget: spend so far, burn rate, period-end forecast and state.
 * Owners create, edit and delete the budget from it.
 * @public
 */
export const EntityBudgetCard = costscopePlugin.provide(
  createComponentExtension({
    name: 'EntityBudgetCard',
    component: {
      lazy: () =>
        import('./components/EntityBudgetCard').then(m => m.EntityBudgetCard),
    },
  }),
);

/**
 * A card with the entity's tag compliance: shares of resources and cost that carry the
 * required tags, and the resources that break the policy with what they miss.
 * @public
 */
export const EntityTagComplianceCard = costscopePlugin.provide(
  createComponentExtension({
    name: 'EntityTagComplianceCard',
    component: {
      lazy: () =>
        import('./components/EntityTagComplianceCard').then(
          m => m.EntityTagComplianceCard,
        ),
    },
  }),
);

/**
 * A card with the entity's recommendations (rightsizing, idle resources, commitments), each
 * with its monthly saving; owners dismiss or snooze them. On a group page, the team's.
 * @public
 */
export const EntitySavingsCard = costscopePlugin.provide(
  createComponentExtension({
    name: 'EntitySavingsCard',
    component: {
      lazy: () =>
        import('./components/EntitySavingsCard').then(m => m.EntitySavingsCard),
    },
  }),
);

/**
 * The organisation cost overview page.
 * @public
 */
export const CostscopePage = costscopePlugin.provide(
  createRoutableExtension({
    name: 'CostscopePage',
    component: () =>
      import('./components/CostscopePage').then(m => m.CostscopePage),
    mountPoint: rootRouteRef,
  }),
);
