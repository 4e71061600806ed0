import { useApi } from '@backstage/core-plugin-api';
import type { DateRange } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The resources of an entity with their cost for a range (the backend's default limit). */
export function useEntityResources(entityRef: string, range: DateRange) {
  const api = useApi(costscopeApiRef);
  const { from, to } = range;
  return useAsyncRetry(
    () => api.getEntityResources(entityRef, { from, to }),
    [api, entityRef, from, to],
  );
}
