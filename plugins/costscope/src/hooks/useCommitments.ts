import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { DateRange } from '@costscope/backstage-plugin-common';
import { costscopeApiRef } from '../api';

/** Commitment coverage, utilization and savings rate per month of the range. */
export function useCommitments(range: DateRange) {
  const api = useApi(costscopeApiRef);
  const { from, to } = range;
  return useAsyncRetry(() => api.getCommitments({ from, to }), [api, from, to]);
}
