export { ResourcesTable, ResourceListTable } from './ResourcesTable';
export type { ResourcesTableProps } from './ResourcesTable';
