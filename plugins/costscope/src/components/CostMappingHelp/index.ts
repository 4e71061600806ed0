export { CostMappingHelp, mappingSnippet } from './CostMappingHelp';
export type { CostMappingHelpProps } from './CostMappingHelp';
