/**
 * Costscope backend module for AWS: Cost Explorer costs, EC2 inventory and CloudWatch
 * utilisation.
 *
 * @packageDocumentation
 */
export { costscopeModuleAws as default } from './module';
export { costscopeModuleAws } from './module';
