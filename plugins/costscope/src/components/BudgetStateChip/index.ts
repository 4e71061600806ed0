export { BudgetStateChip, budgetStateColor } from './BudgetStateChip';
