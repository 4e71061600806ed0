import { useApi } from '@backstage/core-plugin-api';
import type { CostQuery } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** Tag compliance of an entity (rolled up over its children) for a range, on its cost basis. */
export function useEntityCompliance(entityRef: string, range: CostQuery) {
  const api = useApi(costscopeApiRef);
  const { from, to, costBasis } = range;
  return useAsyncRetry(
    () => api.getEntityCompliance(entityRef, { from, to, costBasis }),
    [api, entityRef, from, to, costBasis],
  );
}
