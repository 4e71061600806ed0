import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The changes of an entity's UI budget, newest first. */
export function useEntityBudgetHistory(entityRef: string) {
  const api = useApi(costscopeApiRef);
  return useAsyncRetry(
    async () => (await api.getEntityBudgetHistory(entityRef)).items,
    [api, entityRef],
  );
}
