import { useMemo } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import SaveAlt from '@material-ui/icons/SaveAlt';
import { SubvalueCell, Table, TableColumn } from '@backstage/core-components';
import type {
  ResourceCost,
  ResourceCostList,
} from '@costscope/backstage-plugin-common';
import { costColumns } from '../../utils/costColumns';
import { downloadCsv, resourcesToCsv } from '../../utils/csv';
import { formatMoney } from '../../utils/format';
import { denseTableOptions } from '../../utils/tableOptions';

type Row = ResourceCost & { name: string };

/** Props of {@link ResourcesTable}. */
export interface ResourcesTableProps {
  title: string;
  resources: ResourceCost[];
  currency: string;
  /** Name of the downloaded file. */
  fileName: string;
  /** Show the entity each resource was allocated to. */
  showEntity?: boolean;
  /** The cost of resources of entities hidden from the viewer, shown as a note. */
  notVisible?: string;
}

/** A sortable table of resources with their cost, and a "Download CSV" button. */
export function ResourcesTable(props: ResourcesTableProps) {
  const { title, resources, currency, fileName, showEntity, notVisible } =
    props;
  // The table writes bookkeeping into its rows: give it copies.
  const rows = useMemo<Row[]>(
    () => resources.map(r => ({ ...r, name: r.resourceName ?? r.resourceId })),
    [resources],
  );
  const columns: TableColumn<Row>[] = [
    {
      title: 'Resource',
      field: 'name',
      highlight: true,
      render: row =>
        row.resourceName && row.resourceName !== row.resourceId ? (
          <SubvalueCell value={row.resourceName} subvalue={row.resourceId} />
        ) : (
          row.resourceId
        ),
    },
    { title: 'Type', field: 'resourceType', emptyValue: '–' },
    { title: 'Service', field: 'service' },
    {
      title: 'Account',
      field: 'account',
      render: row => `${row.provider} ${row.account}`,
    },
    { title: 'Region', field: 'region', emptyValue: '–' },
    ...(showEntity
      ? [{ title: 'Entity', field: 'entityRef', emptyValue: '–' }]
      : []),
    ...costColumns<Row>(currency),
    // Only where some resource was billed in another currency and converted.
    ...(resources.some(r => r.originalCost)
      ? [
          {
            title: 'Billed as',
            field: 'originalCost',
            type: 'numeric' as const,
            sorting: false,
            emptyValue: '–',
            render: (row: Row) =>
              row.originalCost
                ? formatMoney(row.originalCost.cost, row.originalCost.currency)
                : '–',
          },
        ]
      : []),
  ];

  return (
    <Box>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 16 }}>
        <Box flexGrow={1}>
          {notVisible && (
            <Typography
              variant="body2"
              color="textSecondary"
              data-testid="costscope-resources-not-visible"
            >
              Not listed: {formatMoney(notVisible, currency)} on resources of
              entities not visible to you.
            </Typography>
          )}
        </Box>
        <Button
          variant="outlined"
          size="small"
          startIcon={<SaveAlt />}
          disabled={resources.length === 0}
          onClick={() => downloadCsv(fileName, resourcesToCsv(resources))}
        >
          Download CSV
        </Button>
      </Box>
      <Table<Row>
        title={title}
        columns={columns}
        data={rows}
        options={denseTableOptions(rows.length, 20, {
          search: true,
          pageSizeOptions: [20, 50, 100],
        })}
        emptyContent={
          <div style={{ padding: 16 }}>No resources in this range.</div>
        }
      />
    </Box>
  );
}

/** Convenience: a resources table for an API resource list. */
export function ResourceListTable(
  props: Omit<ResourcesTableProps, 'resources' | 'currency'> & {
    list: ResourceCostList;
  },
) {
  const { list, ...rest } = props;
  return (
    <ResourcesTable
      {...rest}
      resources={list.resources}
      currency={list.currency}
      notVisible={list.notVisible}
    />
  );
}
