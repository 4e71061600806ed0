export { CostChange } from './CostChange';
export type { CostChangeProps } from './CostChange';
