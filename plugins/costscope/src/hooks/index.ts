export { useEntityCostSummary } from './useEntityCostSummary';
export { useEntityCostSeries } from './useEntityCostSeries';
export { useEntityResources } from './useEntityResources';
export { useCostOverview } from './useCostOverview';
export { useIngestRuns } from './useIngestRuns';
export { useRangePreset } from './useRangePreset';
