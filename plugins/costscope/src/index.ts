/**
 * Costscope frontend: the Cost tab, cost cards and the organisation cost overview.
 *
 * @packageDocumentation
 */
export {
  costscopePlugin,
  EntityCostContent,
  EntityCostCard,
  EntityBudgetCard,
  EntityTagComplianceCard,
  EntitySavingsCard,
  CostscopePage,
} from './plugin';
export type { EntitySavingsCardProps } from './components/EntitySavingsCard';
export type { EntityTagComplianceCardProps } from './components/EntityTagComplianceCard';
export { costscopeApiRef } from './api';
export { isCostscopeAvailable } from './utils/isCostscopeAvailable';
export {
  RANGE_PRESETS,
  DEFAULT_RANGE_PRESET,
  rangeForPreset,
} from './utils/dateRange';
export type { RangePreset } from './utils/dateRange';
