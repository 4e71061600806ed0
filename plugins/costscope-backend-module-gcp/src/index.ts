/**
 * Costscope backend module for Google Cloud: daily costs from Google's FOCUS view in BigQuery,
 * aggregated by BigQuery.
 *
 * @packageDocumentation
 */
export { costscopeModuleGcp as default } from './module';
export { costscopeModuleGcp } from './module';
