import {
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { CostscopeClient } from '@costscope/backstage-plugin-common';
import { costscopeApiRef } from './CostscopeApiRef';

/**
 * The client on the backend's `costscope` base URL. One factory for both frontend systems:
 * the legacy plugin's `apis` and the `/alpha` plugin's `ApiBlueprint`.
 */
export const costscopeApiFactory = createApiFactory({
  api: costscopeApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new CostscopeClient({ discoveryApi, fetchApi }),
});
