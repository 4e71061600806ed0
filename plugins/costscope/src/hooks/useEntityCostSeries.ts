import { useApi } from '@backstage/core-plugin-api';
import type {
  CostQuery,
  SeriesGroupBy,
} from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The daily cost of an entity for a range, split by a dimension, on the query's basis. */
export function useEntityCostSeries(
  entityRef: string,
  query: CostQuery,
  groupBy: SeriesGroupBy = 'service',
) {
  const api = useApi(costscopeApiRef);
  const { from, to, costBasis } = query;
  return useAsyncRetry(
    () => api.getEntitySeries(entityRef, { from, to, costBasis, groupBy }),
    [api, entityRef, from, to, costBasis, groupBy],
  );
}
