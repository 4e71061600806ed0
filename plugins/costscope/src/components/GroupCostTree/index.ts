export { GroupCostTree } from './GroupCostTree';
export type { GroupCostTreeProps } from './GroupCostTree';
