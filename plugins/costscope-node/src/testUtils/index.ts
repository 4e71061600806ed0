/**
 * Test helpers for cost sources of Costscope backend modules.
 *
 * @packageDocumentation
 */
export * from './readCostSource';
export * from './units';
export * from './focusSplitExport';
