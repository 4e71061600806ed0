import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { costscopeApiRef } from '../api';
import { rangeForPreset } from '../utils/dateRange';

/**
 * The billing currency, read from the entity's cost summary: a new budget must be in it.
 * Asks only when `enabled`, so that cards without an open editor cost no extra request.
 */
export function useBillingCurrency(entityRef: string, enabled: boolean) {
  const api = useApi(costscopeApiRef);
  return useAsync(async () => {
    if (!enabled) return undefined;
    return (await api.getEntitySummary(entityRef, rangeForPreset('mtd')))
      .currency;
  }, [api, entityRef, enabled]);
}
