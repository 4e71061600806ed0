import { createApiRef } from '@backstage/core-plugin-api';
import type { CostscopeApi } from '@costscope/backstage-plugin-common';

/**
 * The Costscope API, as the frontend plugin uses it.
 * Implemented by `CostscopeClient` from `@costscope/backstage-plugin-common`.
 * @public
 */
export const costscopeApiRef = createApiRef<CostscopeApi>({
  id: 'plugin.costscope.service',
});
