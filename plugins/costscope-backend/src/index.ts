/**
 * Costscope backend plugin: FOCUS ingestion, allocation to catalog entities, cost APIs.
 *
 * @packageDocumentation
 */
export { costscopePlugin as default } from './plugin';
export { costscopePlugin } from './plugin';
export type { SnapshotEntity } from './allocation/catalogSnapshot';
export type { CostscopeEntityResource } from './permissions/entityResource';
export {
  costscopeConditions,
  costscopeEntityResourceRef,
  costscopeEntityRules,
  createCostscopeConditionalDecision,
} from './permissions/rules';
export type { CostscopeEntityQuery } from './permissions/rules';
