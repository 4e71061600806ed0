import { useApi } from '@backstage/core-plugin-api';
import type { DateRange } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** Organisation-wide tag compliance and unallocated spend for a range. */
export function useOrganisationCompliance(range: DateRange) {
  const api = useApi(costscopeApiRef);
  const { from, to } = range;
  return useAsyncRetry(
    () => api.getOrganisationCompliance({ from, to }),
    [api, from, to],
  );
}
