/**
 * Costscope backend plugin: FOCUS ingestion, allocation to catalog entities, cost APIs.
 *
 * @packageDocumentation
 */
export { costscopePlugin as default } from './plugin';
export { costscopePlugin } from './plugin';
