import type { CostBasis } from '@costscope/backstage-plugin-common';

/** How each basis is named next to an amount, and what it means. */
export const COST_BASIS_TEXT: Record<
  CostBasis,
  { label: string; adjective: string; description: string }
> = {
  effective: {
    label: 'Amortized',
    adjective: 'amortized',
    description:
      'Effective cost: Savings Plan and reservation purchases spread over the usage they cover. How FinOps teams show cost back to the teams that use it.',
  },
  billed: {
    label: 'Billed',
    adjective: 'billed',
    description:
      'Billed cost: cash as invoiced. Commitment purchases count when billed; the usage they cover shows at zero.',
  },
  list: {
    label: 'List',
    adjective: 'at list price',
    description:
      'List cost: the usage at public on-demand prices, before any discount. List minus amortized is what discounts saved.',
  },
};

/** "Total, amortized" style: a label with the basis its amounts are counted on. */
export function withBasis(label: string, basis: CostBasis): string {
  return `${label} (${COST_BASIS_TEXT[basis].adjective})`;
}
