import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { COST_BASES, CostBasis } from '@costscope/backstage-plugin-common';

const PARAM = 'costBasis';

function asBasis(value: string | null | undefined): CostBasis | undefined {
  return COST_BASES.find(basis => basis === value);
}

/** The configured basis (`costscope.costBasis`), effective unless set. */
export function useConfiguredCostBasis(): CostBasis {
  const config = useApi(configApiRef);
  return (
    asBasis(config.getOptionalString('costscope.costBasis')) ?? 'effective'
  );
}

/**
 * The cost basis a view shows, kept in the URL (`?costBasis=billed`) so that a link shares
 * it; without one, the configured basis (`costscope.costBasis`, default effective).
 */
export function useCostBasis(): {
  costBasis: CostBasis;
  setCostBasis: (basis: CostBasis) => void;
} {
  const configured = useConfiguredCostBasis();
  const [searchParams, setSearchParams] = useSearchParams();
  const costBasis = asBasis(searchParams.get(PARAM)) ?? configured;
  const setCostBasis = useCallback(
    (basis: CostBasis) => {
      const next = new URLSearchParams(searchParams);
      next.set(PARAM, basis);
      setSearchParams(next, { replace: true });
    },
    [searchParams, setSearchParams],
  );
  return { costBasis, setCostBasis };
}
