import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/**
 * The recommendations of an entity, rolled up over its children (a group's are its team's):
 * open ones with their total, dismissed and snoozed ones, and the resources not judged.
 * `retry` reloads, for after a recommendation was dismissed or restored.
 */
export function useEntityRecommendations(entityRef: string) {
  const api = useApi(costscopeApiRef);
  return useAsyncRetry(
    () => api.getEntityRecommendations(entityRef),
    [api, entityRef],
  );
}
