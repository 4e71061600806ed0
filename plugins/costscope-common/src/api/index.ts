export * from './types';
export * from './budgetTypes';
export * from './recommendationTypes';
export type { CostscopeApi, RequestOptions } from './CostscopeApi';
export { CostscopeClient } from './CostscopeClient';
export * from './complianceTypes';
export * from './digestTypes';
export * from './unitCostTypes';
export * from './commitmentTypes';
