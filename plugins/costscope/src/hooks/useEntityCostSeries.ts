import { useApi } from '@backstage/core-plugin-api';
import type {
  DateRange,
  SeriesGroupBy,
} from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** The daily cost of an entity for a range, split by a dimension. */
export function useEntityCostSeries(
  entityRef: string,
  range: DateRange,
  groupBy: SeriesGroupBy = 'service',
) {
  const api = useApi(costscopeApiRef);
  const { from, to } = range;
  return useAsyncRetry(
    () => api.getEntitySeries(entityRef, { from, to, groupBy }),
    [api, entityRef, from, to, groupBy],
  );
}
