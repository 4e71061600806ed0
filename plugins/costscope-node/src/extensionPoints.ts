import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { CommitmentReportSource } from './commitments';
import { InventorySource } from './inventory';
import { PriceSource } from './prices';
import { CostSource } from './sources';
import { UnitMetricSource } from './unitMetrics';

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

/**
 * Lets backend modules add inventory sources (for example EC2 with CloudWatch utilisation).
 * @public
 */
export interface CostscopeInventorySourcesExtensionPoint {
  addInventorySource(...sources: InventorySource[]): void;
}

/** @public */
export const costscopeInventorySourcesExtensionPoint =
  createExtensionPoint<CostscopeInventorySourcesExtensionPoint>({
    id: 'costscope.inventory-sources',
  });

/**
 * Lets backend modules add sources of business metric values for unit cost (for example a
 * Prometheus-compatible query API).
 * @public
 */
export interface CostscopeUnitMetricSourcesExtensionPoint {
  addUnitMetricSource(...sources: UnitMetricSource[]): void;
}

/** @public */
export const costscopeUnitMetricSourcesExtensionPoint =
  createExtensionPoint<CostscopeUnitMetricSourcesExtensionPoint>({
    id: 'costscope.unit-metric-sources',
  });

/**
 * Lets backend modules add sources of on-demand list prices (for example the AWS Price List
 * Query API), which price recommendations when billing data does not.
 * @public
 */
export interface CostscopePriceSourcesExtensionPoint {
  addPriceSource(...sources: PriceSource[]): void;
}

/** @public */
export const costscopePriceSourcesExtensionPoint =
  createExtensionPoint<CostscopePriceSourcesExtensionPoint>({
    id: 'costscope.price-sources',
  });

/**
 * Lets backend modules add sources of a provider's own commitment coverage and utilization
 * (for example AWS Cost Explorer's Savings Plans and reservation reports).
 * @public
 */
export interface CostscopeCommitmentReportSourcesExtensionPoint {
  addCommitmentReportSource(...sources: CommitmentReportSource[]): void;
}

/** @public */
export const costscopeCommitmentReportSourcesExtensionPoint =
  createExtensionPoint<CostscopeCommitmentReportSourcesExtensionPoint>({
    id: 'costscope.commitment-report-sources',
  });
