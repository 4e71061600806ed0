/**
 * Shared types, permissions, annotation names and the typed API client of Costscope.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './money';
export * from './api';
