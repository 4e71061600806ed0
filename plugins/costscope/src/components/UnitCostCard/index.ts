export { UnitCostCard, trendStart } from './UnitCostCard';
export type { UnitCostCardProps } from './UnitCostCard';
