export { EntityCostReview } from './EntityCostReview';
export type { EntityCostReviewProps } from './EntityCostReview';
