export { computeRecommendations } from './computeRecommendations';
export type {
  ComputeRecommendationsOptions,
  ComputedRecommendations,
} from './computeRecommendations';
export { createPriceTable, pricesFromSnapshot } from './priceTable';
export type {
  PriceTable,
  PriceTableInput,
  InstanceTypeInfo,
} from './priceTable';
export { PriceCache, PriceFileSource } from './PriceCache';
export {
  DEFAULT_RECOMMENDATIONS_CONFIG,
  recommendationsConfig,
} from './recommendationsConfig';
export type { RecommendationsConfig } from './recommendationsConfig';
export { readRecommendationsConfig } from './readRecommendationsConfig';
export {
  buildRecommendationList,
  evidenceChangedMaterially,
  stateOn,
} from './recommendationList';
export { summariseUtilisation } from './utilisationStats';
export type { MetricStats, UtilisationStats } from './utilisationStats';
