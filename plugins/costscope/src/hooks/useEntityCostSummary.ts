import { useApi } from '@backstage/core-plugin-api';
import type { CostQuery } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The cost summary of an entity for a range, on the query's basis (the configured one when left out). */
export function useEntityCostSummary(entityRef: string, query: CostQuery) {
  const api = useApi(costscopeApiRef);
  const { from, to, costBasis } = query;
  return useAsyncRetry(
    () => api.getEntitySummary(entityRef, { from, to, costBasis }),
    [api, entityRef, from, to, costBasis],
  );
}
