import { useApi } from '@backstage/core-plugin-api';
import type { CostQuery } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The resources of an entity with their cost for a range (the backend's default limit). */
export function useEntityResources(entityRef: string, query: CostQuery) {
  const api = useApi(costscopeApiRef);
  const { from, to, costBasis } = query;
  return useAsyncRetry(
    () => api.getEntityResources(entityRef, { from, to, costBasis }),
    [api, entityRef, from, to, costBasis],
  );
}
