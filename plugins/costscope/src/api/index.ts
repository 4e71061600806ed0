export { costscopeApiRef } from './CostscopeApiRef';
export { costscopeApiFactory } from './costscopeApiFactory';
