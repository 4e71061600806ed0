export { CostExplanation } from './CostExplanation';
export type { CostExplanationProps } from './CostExplanation';
