export { EntityBudgetCard } from './EntityBudgetCard';
