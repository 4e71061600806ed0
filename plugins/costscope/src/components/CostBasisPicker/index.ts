export { CostBasisPicker } from './CostBasisPicker';
export type { CostBasisPickerProps } from './CostBasisPicker';
