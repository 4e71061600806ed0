import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { CostSource } from './sources';

/**
 * Lets backend modules add cost sources (for example AWS Cost Explorer) to Costscope.
 * @public
 */
export interface CostscopeCostSourcesExtensionPoint {
  addCostSource(...sources: CostSource[]): void;
}

/** @public */
export const costscopeCostSourcesExtensionPoint =
  createExtensionPoint<CostscopeCostSourcesExtensionPoint>({
    id: 'costscope.cost-sources',
  });
