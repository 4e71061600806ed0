import { useApi } from '@backstage/core-plugin-api';
import type { CostQuery } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** An entity's workloads on shared clusters, and the split of the clusters it owns. */
export function useEntityKubernetes(entityRef: string, query: CostQuery) {
  const api = useApi(costscopeApiRef);
  const { from, to, costBasis } = query;
  return useAsyncRetry(
    () => api.getEntityKubernetes(entityRef, { from, to, costBasis }),
    [api, entityRef, from, to, costBasis],
  );
}
