/**
 * Costscope backend module for AWS: Cost Explorer costs, EC2 inventory and CloudWatch
 * utilisation.
 *
 * @packageDocumentation
 */
export { costscopeModuleAws as default } from './module';
export { costscopeModuleAws } from './module';
export { CostExplorerCostSource } from './cost/CostExplorerCostSource';
export { Ec2InventorySource } from './inventory/Ec2InventorySource';
