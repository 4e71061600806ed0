export { EntityCostContent, isUnmapped } from './EntityCostContent';
