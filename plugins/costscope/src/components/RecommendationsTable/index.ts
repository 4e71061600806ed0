export {
  RecommendationsTable,
  RecommendationListTable,
  recommendationsToCsv,
} from './RecommendationsTable';
export type {
  RecommendationsTableProps,
  RecommendationListTableProps,
} from './RecommendationsTable';
