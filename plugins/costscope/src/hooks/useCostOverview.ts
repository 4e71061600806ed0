import { useApi } from '@backstage/core-plugin-api';
import type { DateRange } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** Organisation-wide totals, unallocated cost and cost by group for a range. */
export function useCostOverview(range: DateRange) {
  const api = useApi(costscopeApiRef);
  const { from, to } = range;
  return useAsyncRetry(() => api.getOverview({ from, to }), [api, from, to]);
}
