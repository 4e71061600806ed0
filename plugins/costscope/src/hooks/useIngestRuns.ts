import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The most recent ingest runs, newest first. */
export function useIngestRuns(limit: number = 20) {
  const api = useApi(costscopeApiRef);
  return useAsyncRetry(
    async () => (await api.getIngestRuns({ limit })).items,
    [api, limit],
  );
}
