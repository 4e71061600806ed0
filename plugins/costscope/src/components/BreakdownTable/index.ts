export { BreakdownTable } from './BreakdownTable';
export type { BreakdownTableProps } from './BreakdownTable';
