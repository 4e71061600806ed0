import { useApi } from '@backstage/core-plugin-api';
import type { CostQuery } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** Organisation-wide tag compliance and unallocated spend for a range, on its cost basis. */
export function useOrganisationCompliance(range: CostQuery) {
  const api = useApi(costscopeApiRef);
  const { from, to, costBasis } = range;
  return useAsyncRetry(
    () => api.getOrganisationCompliance({ from, to, costBasis }),
    [api, from, to, costBasis],
  );
}
