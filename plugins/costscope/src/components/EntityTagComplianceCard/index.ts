export { EntityTagComplianceCard } from './EntityTagComplianceCard';
export type { EntityTagComplianceCardProps } from './EntityTagComplianceCard';
export { NonCompliantTable } from './NonCompliantTable';
export type { NonCompliantTableProps } from './NonCompliantTable';
