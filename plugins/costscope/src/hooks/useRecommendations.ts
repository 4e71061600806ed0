import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/**
 * Every recommendation of the organisation, largest saving first (at most `limit`, when given).
 * `retry` reloads, for after a recommendation was dismissed or restored.
 */
export function useRecommendations(query: { limit?: number } = {}) {
  const api = useApi(costscopeApiRef);
  const { limit } = query;
  return useAsyncRetry(
    () => api.getRecommendations(limit ? { limit } : {}),
    [api, limit],
  );
}
