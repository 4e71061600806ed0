/**
 * Costscope for the new frontend system: add the package to the app and the Costscope page,
 * its nav item, the client, the Cost tab and the cards appear with no code.
 *
 * @packageDocumentation
 */
import MonetizationOnIcon from '@material-ui/icons/MonetizationOn';
import type { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { costscopeApiFactory } from './api';
import { COST_TAB_PATH, entityContentRouteRef, rootRouteRef } from './routes';
import { isCostscopeAvailable } from './utils/isCostscopeAvailable';

/** Kinds with cost whose Overview has no Costscope cards in the legacy app: only the tab. */
const KINDS_WITHOUT_CARDS = new Set(['domain', 'api', 'user']);

/** Where the cards go by default: the Overviews that show them in the legacy app. */
function showsCostscopeCards(entity: Entity): boolean {
  return (
    isCostscopeAvailable(entity) &&
    !KINDS_WITHOUT_CARDS.has(entity.kind.toLocaleLowerCase('en-US'))
  );
}

const costscopeApi = ApiBlueprint.make({
  params: defineParams => defineParams(costscopeApiFactory),
});

// The page draws its own header (title, data-through date, currency).
const costscopePage = PageBlueprint.make({
  params: {
    path: '/costscope',
    routeRef: rootRouteRef,
    title: 'Costscope',
    icon: <MonetizationOnIcon fontSize="inherit" />,
    noHeader: true,
    loader: () =>
      import('./components/CostscopePage').then(m => <m.CostscopePage />),
  },
});

const entityCostContent = EntityContentBlueprint.make({
  params: {
    path: `/${COST_TAB_PATH}`,
    title: 'Cost',
    routeRef: entityContentRouteRef,
    filter: isCostscopeAvailable,
    loader: () =>
      import('./components/EntityCostContent').then(m => (
        <m.EntityCostContent />
      )),
  },
});

const entityCostCard = EntityCardBlueprint.make({
  name: 'cost',
  params: {
    filter: showsCostscopeCards,
    loader: () =>
      import('./components/EntityCostCard').then(m => <m.EntityCostCard />),
  },
});

const entityBudgetCard = EntityCardBlueprint.make({
  name: 'budget',
  params: {
    filter: showsCostscopeCards,
    loader: () =>
      import('./components/EntityBudgetCard').then(m => <m.EntityBudgetCard />),
  },
});

const entitySavingsCard = EntityCardBlueprint.make({
  name: 'savings',
  params: {
    filter: showsCostscopeCards,
    loader: () =>
      import('./components/EntitySavingsCard').then(m => (
        <m.EntitySavingsCard />
      )),
  },
});

const entityTagComplianceCard = EntityCardBlueprint.make({
  name: 'tag-compliance',
  params: {
    filter: showsCostscopeCards,
    loader: () =>
      import('./components/EntityTagComplianceCard').then(m => (
        <m.EntityTagComplianceCard />
      )),
  },
});

/**
 * The Costscope plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'costscope',
  title: 'Costscope',
  icon: <MonetizationOnIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
  extensions: [
    costscopeApi,
    costscopePage,
    entityCostContent,
    entityCostCard,
    entityBudgetCard,
    entitySavingsCard,
    entityTagComplianceCard,
  ],
});
