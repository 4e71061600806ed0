export { BudgetsTable, budgetsToCsv } from './BudgetsTable';
export type { BudgetsTableProps } from './BudgetsTable';
