import { useApi } from '@backstage/core-plugin-api';
import type {
  ChargebackOwnerBy,
  CostQuery,
} from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The chargeback report for a range and basis, charged to teams or to cost centers. */
export function useChargeback(query: CostQuery, by: ChargebackOwnerBy) {
  const api = useApi(costscopeApiRef);
  const { from, to, costBasis } = query;
  return useAsyncRetry(
    () => api.getChargeback({ from, to, costBasis, by }),
    [api, from, to, costBasis, by],
  );
}
