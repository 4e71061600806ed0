export { CostChart, buildChartData } from './CostChart';
export type { CostChartProps, ChartKey } from './CostChart';
