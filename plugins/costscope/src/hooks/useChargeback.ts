import { useApi } from '@backstage/core-plugin-api';
import type {
  ChargebackOwnerBy,
  DateRange,
} from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The chargeback report for a range, charged to teams or to cost centers. */
export function useChargeback(range: DateRange, by: ChargebackOwnerBy) {
  const api = useApi(costscopeApiRef);
  const { from, to } = range;
  return useAsyncRetry(
    () => api.getChargeback({ from, to, by }),
    [api, from, to, by],
  );
}
