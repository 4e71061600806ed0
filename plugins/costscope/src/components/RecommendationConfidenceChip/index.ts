export {
  RecommendationConfidenceChip,
  confidenceColor,
} from './RecommendationConfidenceChip';
