import { ReactElement } from 'react';
import { screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  ApiBlueprint,
  coreExtensionData,
  type ExtensionDefinition,
} from '@backstage/frontend-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { CostscopeApi } from '@costscope/backstage-plugin-common';
import { SWRConfig } from 'swr';
import costscopePlugin from './alpha';
import { costscopeApiRef } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';
import {
  componentEntity,
  createFakeApi,
  freezeDate,
  groupEntity,
  systemEntity,
} from './__testUtils__/fixtures';
import { formatMoney } from './utils/format';

const CARD_IDS = [
  'entity-card:costscope/cost',
  'entity-card:costscope/budget',
  'entity-card:costscope/savings',
  'entity-card:costscope/tag-compliance',
] as const;

function entity(kind: string, annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'x', namespace: 'default', annotations },
  };
}

const annotated = { 'costscope.io/cost-tags': 'service=x' };

/** Renders an extension's element on an entity page of a test app, with the fake API. */
function renderOnEntityPage(
  extension: ExtensionDefinition,
  options: { api: CostscopeApi; entity: Entity },
) {
  const element: ReactElement = createExtensionTester(extension).reactElement();
  return renderInTestApp(
    // usePermission caches answers in SWR's global cache: one cache per render.
    <SWRConfig value={{ provider: () => new Map() }}>
      <EntityProvider entity={options.entity}>{element}</EntityProvider>
    </SWRConfig>,
    {
      apis: [
        [costscopeApiRef, options.api],
        [permissionApiRef, mockApis.permission()],
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('costscope /alpha plugin', () => {
  beforeEach(() => freezeDate());
  afterEach(() => jest.useRealTimers());

  it('is the costscope plugin with the legacy route refs', () => {
    expect(costscopePlugin.pluginId).toBe('costscope');
    expect(costscopePlugin.routes.root).toBe(rootRouteRef);
    expect(costscopePlugin.routes.entityContent).toBe(entityContentRouteRef);
  });

  it('provides the client from the same factory as the legacy plugin', () => {
    const tester = createExtensionTester(
      costscopePlugin.getExtension('api:costscope'),
    );
    const factory = tester.get(ApiBlueprint.dataRefs.factory);
    expect(factory.api.id).toBe('plugin.costscope.service');
    expect(Object.keys(factory.deps).sort()).toEqual([
      'discoveryApi',
      'fetchApi',
    ]);
  });

  it('mounts the page at /costscope with a nav title and icon', () => {
    const tester = createExtensionTester(
      costscopePlugin.getExtension('page:costscope'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/costscope');
    expect(tester.get(coreExtensionData.routeRef)).toBe(rootRouteRef);
    expect(tester.get(coreExtensionData.title)).toBe('Costscope');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();
  });

  it('adds the Cost tab to the kinds that have cost', () => {
    const tester = createExtensionTester(
      costscopePlugin.getExtension('entity-content:costscope'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/cost');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Cost');
    expect(tester.get(coreExtensionData.routeRef)).toBe(entityContentRouteRef);
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    for (const kind of ['Component', 'System', 'Domain', 'Group']) {
      expect([kind, filter(entity(kind))]).toEqual([kind, true]);
    }
    expect(filter(entity('API'))).toBe(false);
    expect(filter(entity('User'))).toBe(false);
    expect(filter(entity('Resource'))).toBe(false);
    expect(filter(entity('Resource', annotated))).toBe(true);
    expect(filter(entity('API', annotated))).toBe(true);
  });

  it.each(CARD_IDS)(
    'puts %s on the Overviews that have Costscope cards',
    id => {
      const tester = createExtensionTester(costscopePlugin.getExtension(id));
      const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
      for (const kind of ['Component', 'System', 'Group']) {
        expect([kind, filter(entity(kind))]).toEqual([kind, true]);
      }
      // Domains, APIs and users have a Cost tab at most, as in the legacy app.
      for (const kind of ['Domain', 'API', 'User', 'Resource']) {
        expect([kind, filter(entity(kind))]).toEqual([kind, false]);
      }
      expect(filter(entity('API', annotated))).toBe(false);
      expect(filter(entity('Resource', annotated))).toBe(true);
    },
  );

  it('lets app-config replace a card filter', () => {
    const tester = createExtensionTester(
      costscopePlugin.getExtension('entity-card:costscope/budget'),
      { config: { filter: { kind: 'group' } } },
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(groupEntity)).toBe(true);
    expect(filter(componentEntity)).toBe(false);
  });

  it('renders the Cost tab of a component with the API total', async () => {
    const api = createFakeApi();
    await renderOnEntityPage(
      costscopePlugin.getExtension('entity-content:costscope'),
      { api, entity: componentEntity },
    );
    const total = await screen.findByTestId('costscope-total');
    expect(total).toHaveAttribute('data-amount', '1234.567890123');
    expect(api.getEntitySummary).toHaveBeenCalledWith(
      'component:default/checkout-api',
      { from: '2024-04-15', to: '2024-05-14', costBasis: 'effective' },
    );
  });

  it('renders the cost card of a system, linked to its Cost tab', async () => {
    const api = createFakeApi();
    await renderOnEntityPage(
      costscopePlugin.getExtension('entity-card:costscope/cost'),
      { api, entity: systemEntity },
    );
    const total = await screen.findByTestId('costscope-card-total');
    expect(total).toHaveTextContent(formatMoney('1234.567890123', 'USD'));
    expect(screen.getByRole('link', { name: /View cost/ })).toHaveAttribute(
      'href',
      '/catalog/default/system/payments/cost',
    );
  });

  it('renders the budget card', async () => {
    const api = createFakeApi();
    await renderOnEntityPage(
      costscopePlugin.getExtension('entity-card:costscope/budget'),
      { api, entity: componentEntity },
    );
    expect(await screen.findByText('Budget')).toBeInTheDocument();
    expect(api.getEntityBudget).toHaveBeenCalledWith(
      'component:default/checkout-api',
    );
  });
});
