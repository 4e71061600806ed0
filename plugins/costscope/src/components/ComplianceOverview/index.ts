export { ComplianceOverview } from './ComplianceOverview';
export type { ComplianceOverviewProps } from './ComplianceOverview';
