export * from './types';
export * from './budgetTypes';
export type { CostscopeApi, RequestOptions } from './CostscopeApi';
export { CostscopeClient } from './CostscopeClient';
