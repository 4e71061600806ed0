import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** Every budget in force across the organisation, with its status. */
export function useBudgets() {
  const api = useApi(costscopeApiRef);
  return useAsyncRetry(async () => (await api.listBudgets()).items, [api]);
}
