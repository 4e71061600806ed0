import { Grid } from '@material-ui/core';
import CategoryIcon from '@material-ui/icons/Category';
import GroupIcon from '@material-ui/icons/People';
import MonetizationOnIcon from '@material-ui/icons/MonetizationOn';
import WidgetsIcon from '@material-ui/icons/Widgets';
import { useParams, useSearchParams } from 'react-router-dom';
import { createDevApp } from '@backstage/dev-utils';
import {
  Content,
  Header,
  HeaderTabs,
  Page,
  SidebarItem,
} from '@backstage/core-components';
import { attachComponentData } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CostscopePage,
  EntityBudgetCard,
  EntityCostCard,
  EntitySavingsCard,
  EntityTagComplianceCard,
  costscopePlugin,
} from '../src/plugin';
import { costscopeApiRef } from '../src/api';
// The plain component: the routable extension must be a route element of its own, and this
// page wraps it in an EntityProvider.
import { EntityCostContent } from '../src/components/EntityCostContent';
import {
  componentEntity,
  groupEntity,
  systemEntity,
} from '../src/__testUtils__/fixtures';
import { FakeCostscopeApi } from './FakeCostscopeApi';

/** The entities of the fixtures; any other ref the pages link to gets a bare entity. */
const ENTITIES: Entity[] = [componentEntity, systemEntity, groupEntity];

function entityFor(kind: string, namespace: string, name: string): Entity {
  const found = ENTITIES.find(
    e =>
      e.kind.toLocaleLowerCase('en-US') === kind.toLocaleLowerCase('en-US') &&
      (e.metadata.namespace ?? 'default') === namespace &&
      e.metadata.name === name,
  );
  return (
    found ?? {
      apiVersion: 'backstage.io/v1alpha1',
      kind: kind.charAt(0).toLocaleUpperCase('en-US') + kind.slice(1),
      metadata: { name, namespace },
    }
  );
}

const TABS = [
  { id: 'cards', label: 'Cards' },
  { id: 'cost', label: 'Cost' },
];

function EntityCards() {
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12} md={6}>
        <EntityCostCard />
      </Grid>
      <Grid item xs={12} md={6}>
        <EntityBudgetCard />
      </Grid>
      <Grid item xs={12}>
        <EntitySavingsCard />
      </Grid>
      <Grid item xs={12}>
        <EntityTagComplianceCard />
      </Grid>
    </Grid>
  );
}

/** An entity page of the fixtures: the cards as an overview tab places them, and the Cost tab. */
function DevEntityPage() {
  const params = useParams();
  const entity = entityFor(
    params.kind ?? 'component',
    params.namespace ?? 'default',
    params.name ?? 'checkout-api',
  );
  const [searchParams, setSearchParams] = useSearchParams();
  const tabIndex = Math.max(
    0,
    TABS.findIndex(tab => tab.id === searchParams.get('tab')),
  );
  return (
    <EntityProvider entity={entity}>
      <Page themeId="service">
        <Header
          title={entity.metadata.name}
          subtitle={`${entity.kind}: test fixtures, no backend`}
        />
        <HeaderTabs
          tabs={TABS}
          selectedIndex={tabIndex}
          onChange={index => setSearchParams({ tab: TABS[index].id })}
        />
        <Content>
          {TABS[tabIndex].id === 'cost' ? (
            <EntityCostContent />
          ) : (
            <EntityCards />
          )}
        </Content>
      </Page>
    </EntityProvider>
  );
}
// Mounted where the catalog's entity pages are, so that entity links in the cards lead here.
attachComponentData(DevEntityPage, 'core.mountPoint', entityRouteRef);

// `npm start` in this folder (backstage-cli package start) serves it on :3000. With no auth
// backend, the guest sign-in asks to fall back to the legacy guest token: answer OK.
createDevApp()
  .registerPlugin(costscopePlugin)
  .registerApi({
    api: costscopeApiRef,
    deps: {},
    factory: () => new FakeCostscopeApi(),
  })
  // Everyone may do everything: the chargeback download and budget edits stay enabled.
  .registerApi({
    api: permissionApiRef,
    deps: {},
    factory: () => ({
      authorize: async () => ({ result: AuthorizeResult.ALLOW }),
    }),
  })
  .addPage({
    path: '/costscope',
    title: 'Costscope',
    icon: MonetizationOnIcon,
    element: <CostscopePage />,
  })
  .addPage({
    path: '/catalog/:namespace/:kind/:name',
    element: <DevEntityPage />,
  })
  .addSidebarItem(
    <SidebarItem
      key="component"
      icon={WidgetsIcon}
      to="/catalog/default/component/checkout-api"
      text="checkout-api"
    />,
  )
  .addSidebarItem(
    <SidebarItem
      key="system"
      icon={CategoryIcon}
      to="/catalog/default/system/payments"
      text="System"
    />,
  )
  .addSidebarItem(
    <SidebarItem
      key="group"
      icon={GroupIcon}
      to="/catalog/default/group/payments"
      text="Team"
    />,
  )
  .render();
