import { ReactNode, useMemo } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import SaveAlt from '@material-ui/icons/SaveAlt';
import { Table, TableColumn } from '@backstage/core-components';
import type { KubernetesWorkloadCost } from '@costscope/backstage-plugin-common';
import { costColumns } from '../../utils/costColumns';
import { downloadCsv, kubernetesToCsv } from '../../utils/csv';
import { formatShare } from '../../utils/format';
import { denseTableOptions } from '../../utils/tableOptions';

type Row = KubernetesWorkloadCost & { id: string };

const NO_WRAP = { whiteSpace: 'nowrap' } as const;
// The theme lets table cells break anywhere in a word; a name breaks only where <wbr> allows.
const WHOLE_WORDS = { wordBreak: 'normal', overflowWrap: 'normal' } as const;

/** The name with a line-break opportunity after each `-`, `/` and `.`, and nowhere else. */
function breakableName(name: string): ReactNode {
  return name
    .split(/(?<=[-/.])/)
    .flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, part]));
}

/** Props of {@link KubernetesWorkloadsTable}. */
export interface KubernetesWorkloadsTableProps {
  title: string;
  lines: KubernetesWorkloadCost[];
  currency: string;
  fileName: string;
  /** Show the entity of each workload (the cluster's whole split). */
  showEntity?: boolean;
}

const KIND_NOTES: Partial<Record<KubernetesWorkloadCost['kind'], string>> = {
  idle: 'capacity no workload requested',
  system: 'system namespaces',
  unsplit: 'no OpenCost weights',
  unallocated: 'no catalog entity',
};

/** The bill's own split (FOCUS 1.3, AWS split cost allocation) has no OpenCost figures. */
const SPLIT_BY: Record<string, string> = {
  bill: 'the bill',
  opencost: 'OpenCost',
};

const resourceColumn = (
  title: string,
  value: (row: Row) => number | null | undefined,
): TableColumn<Row> => ({
  title,
  type: 'numeric',
  customSort: (a, b) => (value(a) ?? -1) - (value(b) ?? -1),
  render: row => formatShare(value(row)),
});

/**
 * Workloads with their cost, their cpu/ram/gpu/storage shares of it and their efficiency
 * (usage over request), sortable, with a "Download CSV" button.
 */
export function KubernetesWorkloadsTable(props: KubernetesWorkloadsTableProps) {
  const { title, lines, currency, fileName, showEntity } = props;
  // The table writes bookkeeping into its rows: give it copies.
  const rows = useMemo<Row[]>(
    () =>
      lines.map(l => ({
        ...l,
        id: `${l.cluster}|${l.workload}|${l.entityRef ?? ''}|${
          l.splitBy ?? ''
        }`,
      })),
    [lines],
  );
  const figures: TableColumn<Row>[] = [
    { title: 'Cluster', field: 'cluster', emptyValue: '–' },
    ...(showEntity
      ? [{ title: 'Entity', field: 'entityRef', emptyValue: '–' }]
      : []),
    {
      title: 'Split by',
      field: 'splitBy',
      render: row => SPLIT_BY[row.splitBy ?? ''] ?? '–',
    },
    ...costColumns<Row>(currency),
    resourceColumn('CPU', row => row.resources?.cpu),
    resourceColumn('RAM', row => row.resources?.ram),
    resourceColumn('GPU', row => row.resources?.gpu),
    resourceColumn('Storage', row => row.resources?.storage),
    resourceColumn('CPU used of request', row => row.efficiency.cpu),
    resourceColumn('RAM used of request', row => row.efficiency.ram),
  ];
  const columns: TableColumn<Row>[] = [
    {
      title: 'Workload',
      field: 'workload',
      highlight: true,
      cellStyle: WHOLE_WORDS,
      render: row => (
        <>
          {breakableName(row.workload)}
          {KIND_NOTES[row.kind] ? ` (${KIND_NOTES[row.kind]})` : null}
        </>
      ),
    },
    // Figures, clusters and refs stay on one line; the table scrolls sideways instead.
    ...figures.map(column => ({ ...column, cellStyle: NO_WRAP })),
  ];
  return (
    <Box mt={2}>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 16 }}>
        <Box flexGrow={1}>
          <Typography variant="body2" color="textSecondary">
            CPU, RAM, GPU and Storage: the share of the cost each resource's
            OpenCost cost holds. Used of request: usage over request, from
            OpenCost. Split by the bill: the bill divided the node per pod
            itself, so OpenCost's figures do not apply.
          </Typography>
        </Box>
        <Button
          variant="outlined"
          size="small"
          startIcon={<SaveAlt />}
          disabled={lines.length === 0}
          onClick={() => downloadCsv(fileName, kubernetesToCsv(lines))}
        >
          Download CSV
        </Button>
      </Box>
      <Table<Row>
        title={title}
        columns={columns}
        data={rows}
        options={denseTableOptions(rows.length, 20)}
        emptyContent={
          <div style={{ padding: 16 }}>No Kubernetes cost in this range.</div>
        }
      />
    </Box>
  );
}
