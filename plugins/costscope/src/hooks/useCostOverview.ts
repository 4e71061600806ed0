import { useApi } from '@backstage/core-plugin-api';
import type { CostQuery } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** Organisation-wide totals, unallocated cost and cost by group for a range. */
export function useCostOverview(query: CostQuery) {
  const api = useApi(costscopeApiRef);
  const { from, to, costBasis } = query;
  return useAsyncRetry(
    () => api.getOverview({ from, to, costBasis }),
    [api, from, to, costBasis],
  );
}
