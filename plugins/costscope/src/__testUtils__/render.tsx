import { ReactElement } from 'react';
import type { Entity } from '@backstage/catalog-model';
import type { CostscopeApi } from '@costscope/backstage-plugin-common';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { costscopeApiRef } from '../api';

/** Renders an element in a test app with the fake API and, when given, an entity. */
export function renderWithApi(
  element: ReactElement,
  options: { api: CostscopeApi; entity?: Entity },
) {
  const { api, entity } = options;
  return renderInTestApp(
    <TestApiProvider apis={[[costscopeApiRef, api]]}>
      {entity ? (
        <EntityProvider entity={entity}>{element}</EntityProvider>
      ) : (
        element
      )}
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}
