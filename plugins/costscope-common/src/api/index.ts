export * from './types';
export type { CostscopeApi, RequestOptions } from './CostscopeApi';
export { CostscopeClient } from './CostscopeClient';
