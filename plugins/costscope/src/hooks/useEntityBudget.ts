import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The budget status of an entity, and whether the caller may edit it. */
export function useEntityBudget(entityRef: string) {
  const api = useApi(costscopeApiRef);
  return useAsyncRetry(() => api.getEntityBudget(entityRef), [api, entityRef]);
}
