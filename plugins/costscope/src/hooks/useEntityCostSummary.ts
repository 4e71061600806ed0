import { useApi } from '@backstage/core-plugin-api';
import type { DateRange } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The cost summary of an entity for a range. */
export function useEntityCostSummary(entityRef: string, range: DateRange) {
  const api = useApi(costscopeApiRef);
  const { from, to } = range;
  return useAsyncRetry(
    () => api.getEntitySummary(entityRef, { from, to }),
    [api, entityRef, from, to],
  );
}
