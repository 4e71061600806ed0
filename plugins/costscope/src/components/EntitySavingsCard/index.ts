export { EntitySavingsCard } from './EntitySavingsCard';
export type { EntitySavingsCardProps } from './EntitySavingsCard';
