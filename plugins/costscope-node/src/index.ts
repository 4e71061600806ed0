/**
 * Extension points for Costscope backend modules.
 *
 * @packageDocumentation
 */
export * from './sources';
export * from './inventory';
export * from './unitMetrics';
export * from './prices';
export * from './commitments';
export * from './focusDailyRows';
export * from './extensionPoints';
