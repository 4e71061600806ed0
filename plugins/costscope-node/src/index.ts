/**
 * Extension points for Costscope backend modules.
 *
 * @packageDocumentation
 */
export * from './sources';
export * from './inventory';
export * from './extensionPoints';
