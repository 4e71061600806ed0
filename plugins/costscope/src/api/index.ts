export { costscopeApiRef } from './CostscopeApiRef';
