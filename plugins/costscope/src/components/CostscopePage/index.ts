export { CostscopePage } from './CostscopePage';
