import { useApi } from '@backstage/core-plugin-api';
import type {
  CostBasis,
  DigestPeriod,
} from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The entity's digest of the week or month of `date` (the latest complete one when left out). */
export function useEntityDigest(
  entityRef: string,
  query: { period: DigestPeriod; date?: string; costBasis?: CostBasis },
) {
  const api = useApi(costscopeApiRef);
  const { period, date, costBasis } = query;
  return useAsyncRetry(
    () => api.getEntityDigest(entityRef, { period, date, costBasis }),
    [api, entityRef, period, date, costBasis],
  );
}
