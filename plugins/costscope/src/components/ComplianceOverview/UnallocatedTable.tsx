import { useMemo } from 'react';
import { Box, Chip, Typography } from '@material-ui/core';
import { Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  LikelyOwner,
  UnallocatedResource,
} from '@costscope/backstage-plugin-common';
import { CONFIDENCE_LABELS } from '../../utils/compliance';
import { ResourceCostRow, resourceColumns } from '../../utils/resourceColumns';
import { denseTableOptions } from '../../utils/tableOptions';

/** A flat copy of a resource: the table writes bookkeeping into its rows. */
interface Row extends ResourceCostRow {
  owner: string;
  confidence: string;
  likelyOwner?: LikelyOwner;
}

const CONFIDENCE_RANK: Record<string, number> = { high: 3, medium: 2, low: 1 };

function toRow(resource: UnallocatedResource): Row {
  return {
    resourceId: resource.resourceId,
    resourceName: resource.resourceName,
    name: resource.resourceName ?? resource.resourceId,
    service: resource.service,
    account: [resource.provider, resource.accountId].filter(Boolean).join(' '),
    cost: resource.cost,
    owner: resource.likelyOwner?.ownerRef ?? '',
    confidence: resource.likelyOwner?.confidence ?? '',
    likelyOwner: resource.likelyOwner,
  };
}

function EntityName(props: { entityRef: string }) {
  try {
    return <EntityRefLink entityRef={parseEntityRef(props.entityRef)} />;
  } catch {
    return <>{props.entityRef}</>;
  }
}

function Owner(props: { owner?: LikelyOwner }) {
  const { owner } = props;
  if (!owner) {
    return (
      <Typography variant="body2" color="textSecondary">
        No guess
      </Typography>
    );
  }
  return (
    <Box>
      <EntityName entityRef={owner.ownerRef} />
      {owner.entityRef && (
        <Typography variant="caption" color="textSecondary" component="div">
          probably <EntityName entityRef={owner.entityRef} />
        </Typography>
      )}
    </Box>
  );
}

function Evidence(props: { row: Row }) {
  const evidence = props.row.likelyOwner?.evidence ?? [];
  if (evidence.length === 0) return <>–</>;
  return (
    <Box
      component="ul"
      m={0}
      pl={2}
      aria-label={`Evidence for ${props.row.name}`}
      style={{ listStyle: 'disc' }}
    >
      {evidence.map((item, index) => (
        <li key={index}>{item.detail}</li>
      ))}
    </Box>
  );
}

/** Props of {@link UnallocatedTable}. */
export interface UnallocatedTableProps {
  resources: UnallocatedResource[];
  currency: string;
}

/** The costliest unallocated resources, with whom to ask about each and why. */
export function UnallocatedTable(props: UnallocatedTableProps) {
  const { resources, currency } = props;
  const rows = useMemo(() => resources.map(toRow), [resources]);
  const columns: TableColumn<Row>[] = [
    ...resourceColumns<Row>(currency),
    {
      title: 'Likely owner',
      field: 'owner',
      render: row => <Owner owner={row.likelyOwner} />,
    },
    {
      title: 'Confidence',
      field: 'confidence',
      customSort: (a, b) =>
        (CONFIDENCE_RANK[a.confidence] ?? 0) -
        (CONFIDENCE_RANK[b.confidence] ?? 0),
      render: row =>
        row.likelyOwner ? (
          <Chip
            size="small"
            variant="outlined"
            label={
              CONFIDENCE_LABELS[row.likelyOwner.confidence] ??
              row.likelyOwner.confidence
            }
          />
        ) : (
          '–'
        ),
    },
    {
      title: 'Evidence',
      field: 'likelyOwner',
      sorting: false,
      render: row => <Evidence row={row} />,
    },
  ];

  return (
    <Box role="region" aria-label="Top unallocated resources">
      <Table<Row>
        title="Top unallocated resources"
        subtitle="Whom to ask about cost that no entity was allocated"
        columns={columns}
        data={rows}
        options={denseTableOptions(rows.length, 10, {
          pageSizeOptions: [10, 25, 50],
        })}
        emptyContent={
          <div style={{ padding: 16 }}>
            All cost in this range is allocated.
          </div>
        }
      />
    </Box>
  );
}
