export { IngestRunsTable, RunStatusChip } from './IngestRunsTable';
export type { IngestRunsTableProps } from './IngestRunsTable';
