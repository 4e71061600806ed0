import { useApi } from '@backstage/core-plugin-api';
import type { DateRange } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** Tag compliance of an entity (rolled up over its children) for a range. */
export function useEntityCompliance(entityRef: string, range: DateRange) {
  const api = useApi(costscopeApiRef);
  const { from, to } = range;
  return useAsyncRetry(
    () => api.getEntityCompliance(entityRef, { from, to }),
    [api, entityRef, from, to],
  );
}
