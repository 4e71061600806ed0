import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { costscopeApiFactory } from './api';
import type { EntitySavingsCardProps } from './components/EntitySavingsCard';
import type { EntityTagComplianceCardProps } from './components/EntityTagComplianceCard';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The Costscope frontend plugin.
 * @public
 */
export const costscopePlugin = createPlugin({
  id: 'costscope',
  apis: [costscopeApiFactory],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
});

/**
 * The Cost tab of an entity page (components, systems, domains, groups).
 * @public
 */
export const EntityCostContent: () => JSX.Element = costscopePlugin.provide(
  createRoutableExtension({
    name: 'EntityCostContent',
    component: () =>
      import('./components/EntityCostContent').then(m => m.EntityCostContent),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * A card with the cost of the last 30 days, its change, the top services (and, for entities
 * that others roll up into, the top entities), and a link to the Cost tab.
 * @public
 */
export const EntityCostCard: () => JSX.Element = costscopePlugin.provide(
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
export const EntityBudgetCard: () => JSX.Element = costscopePlugin.provide(
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
export const EntityTagComplianceCard: (
  props: EntityTagComplianceCardProps,
) => JSX.Element = costscopePlugin.provide(
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
export const EntitySavingsCard: (props: EntitySavingsCardProps) => JSX.Element =
  costscopePlugin.provide(
    createComponentExtension({
      name: 'EntitySavingsCard',
      component: {
        lazy: () =>
          import('./components/EntitySavingsCard').then(
            m => m.EntitySavingsCard,
          ),
      },
    }),
  );

/**
 * The organisation cost overview page.
 * @public
 */
export const CostscopePage: () => JSX.Element = costscopePlugin.provide(
  createRoutableExtension({
    name: 'CostscopePage',
    component: () =>
      import('./components/CostscopePage').then(m => m.CostscopePage),
    mountPoint: rootRouteRef,
  }),
);
