import { useMemo } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import SaveAlt from '@material-ui/icons/SaveAlt';
import InfoOutlined from '@material-ui/icons/InfoOutlined';
import { Table, TableColumn } from '@backstage/core-components';
import type {
  NonCompliantResource,
  TagSourceUsed,
} from '@costscope/backstage-plugin-common';
import {
  TAG_SOURCE_LABELS,
  describeProblems,
  nonCompliantToCsv,
} from '../../utils/compliance';
import { downloadCsv } from '../../utils/csv';
import { ResourceCostRow, resourceColumns } from '../../utils/resourceColumns';
import { denseTableOptions } from '../../utils/tableOptions';

/** A flat copy of a resource: the table writes bookkeeping into its rows. */
interface Row extends ResourceCostRow {
  problems: string[];
  tagsUsed: TagSourceUsed;
  disagreement?: string;
}

function toRow(resource: NonCompliantResource): Row {
  return {
    resourceId: resource.resourceId,
    resourceName: resource.resourceName,
    name: resource.resourceName ?? resource.resourceId,
    service: resource.service,
    account: [resource.provider, resource.accountId].filter(Boolean).join(' '),
    cost: resource.cost,
    problems: describeProblems(resource),
    tagsUsed: resource.tagsUsed,
    disagreement: resource.disagreement,
  };
}

function Problems(props: { row: Row }) {
  const { row } = props;
  return (
    <Box>
      <Box
        component="ul"
        m={0}
        pl={2}
        aria-label={`Problems of ${row.name}`}
        style={{ listStyle: 'disc' }}
      >
        {row.problems.map((problem, index) => (
          <li key={index}>{problem}</li>
        ))}
      </Box>
      {row.disagreement && (
        <Box
          display="flex"
          alignItems="flex-start"
          mt={0.5}
          style={{ gap: 4 }}
          data-testid="costscope-tag-disagreement"
        >
          <InfoOutlined fontSize="small" color="action" aria-hidden />
          <Typography variant="caption" color="textSecondary">
            Billing and inventory tags disagree: {row.disagreement}
          </Typography>
        </Box>
      )}
    </Box>
  );
}

/** Props of {@link NonCompliantTable}. */
export interface NonCompliantTableProps {
  resources: NonCompliantResource[];
  currency: string;
  /** Name of the downloaded file. */
  fileName: string;
  /** How many resources break a rule in all, when the list holds only the costliest. */
  totalCount?: number;
}

/** The resources that break the tag policy, highest cost first, with a "Download CSV" button. */
export function NonCompliantTable(props: NonCompliantTableProps) {
  const { resources, currency, fileName, totalCount } = props;
  const rows = useMemo(() => resources.map(toRow), [resources]);
  const columns: TableColumn<Row>[] = [
    ...resourceColumns<Row>(currency),
    {
      title: 'Problems',
      field: 'problems',
      sorting: false,
      render: row => <Problems row={row} />,
    },
    {
      title: 'Judged on',
      field: 'tagsUsed',
      render: row => TAG_SOURCE_LABELS[row.tagsUsed] ?? row.tagsUsed,
    },
  ];
  const capped = totalCount !== undefined && totalCount > resources.length;

  return (
    <Box role="region" aria-label="Non-compliant resources">
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        mb={1}
        style={{ gap: 8 }}
      >
        <Typography variant="body2" color="textSecondary">
          {capped
            ? `The ${resources.length.toLocaleString()} costliest of ${totalCount.toLocaleString()} non-compliant resources.`
            : ''}
        </Typography>
        <Button
          variant="outlined"
          size="small"
          startIcon={<SaveAlt />}
          disabled={resources.length === 0}
          onClick={() =>
            downloadCsv(fileName, nonCompliantToCsv(resources, currency))
          }
        >
          Download CSV
        </Button>
      </Box>
      <Table<Row>
        title="Non-compliant resources"
        columns={columns}
        data={rows}
        options={denseTableOptions(rows.length, 10, {
          search: rows.length > 10,
          pageSizeOptions: [10, 25, 50],
        })}
        emptyContent={
          <div style={{ padding: 16 }}>No resource breaks the tag policy.</div>
        }
      />
    </Box>
  );
}
