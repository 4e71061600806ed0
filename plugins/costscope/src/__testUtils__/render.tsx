import { ReactElement } from 'react';
import type { Entity } from '@backstage/catalog-model';
import type { CostscopeApi } from '@costscope/backstage-plugin-common';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type { PermissionApi } from '@backstage/plugin-permission-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { costscopeApiRef } from '../api';

/**
 * Renders an element in a test app with the fake API and, when given, an entity and a
 * permission API (by default one that allows everything).
 */
export function renderWithApi(
  element: ReactElement,
  options: { api: CostscopeApi; entity?: Entity; permission?: PermissionApi },
) {
  const { api, entity, permission = mockApis.permission() } = options;
  // usePermission caches answers by permission in SWR's global cache: a cache per render
  // keeps one test's answer out of the next.
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [costscopeApiRef, api],
          [permissionApiRef, permission],
          // Every Backstage app has the catalog; components that read it find it empty.
          [catalogApiRef, catalogApiMock()],
        ]}
      >
        {entity ? (
          <EntityProvider entity={entity}>{element}</EntityProvider>
        ) : (
          element
        )}
      </TestApiProvider>
    </SWRConfig>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}
