import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The alerts that fired, newest first: all of them, or one entity's. */
export function useAlerts(query: { entityRef?: string; limit?: number } = {}) {
  const api = useApi(costscopeApiRef);
  const { entityRef, limit } = query;
  return useAsyncRetry(
    async () =>
      (
        await api.getAlerts({
          ...(entityRef ? { entityRef } : {}),
          ...(limit ? { limit } : {}),
        })
      ).items,
    [api, entityRef, limit],
  );
}
