import { useApi } from '@backstage/core-plugin-api';
import type { UnitCostQuery } from '@costscope/backstage-plugin-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { costscopeApiRef } from '../api';

/** An entity's cost per unit of its business metric, per day or month of a range. */
export function useEntityUnitCost(entityRef: string, query: UnitCostQuery) {
  const api = useApi(costscopeApiRef);
  const { from, to, costBasis, metric, granularity } = query;
  return useAsyncRetry(
    () =>
      api.getEntityUnitCost(entityRef, {
        from,
        to,
        costBasis,
        metric,
        granularity,
      }),
    [api, entityRef, from, to, costBasis, metric, granularity],
  );
}
