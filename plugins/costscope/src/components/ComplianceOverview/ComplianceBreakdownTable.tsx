import { useMemo } from 'react';
import { Box } from '@material-ui/core';
import { Table, TableColumn } from '@backstage/core-components';
import type { ComplianceBreakdownItem } from '@costscope/backstage-plugin-common';
import { nonCompliantCost, resourcesText } from '../../utils/compliance';
import { compareMoney, formatMoney, formatShare } from '../../utils/format';
import { denseTableOptions } from '../../utils/tableOptions';

/** A flat copy of an item: the table writes bookkeeping into its rows. */
interface Row {
  key: string;
  name: string;
  resourcesText: string;
  byCount: number | null;
  nonCompliantCost: string;
  byCost: number | null;
}

/** Props of {@link ComplianceBreakdownTable}. */
export interface ComplianceBreakdownTableProps {
  title: string;
  nameTitle: string;
  items: ComplianceBreakdownItem[];
  currency: string;
}

const shareSort = (a: number | null, b: number | null) => (a ?? -1) - (b ?? -1);

/** Compliance of each slice (account, service): most non-compliant cost first. */
export function ComplianceBreakdownTable(props: ComplianceBreakdownTableProps) {
  const { title, nameTitle, items, currency } = props;
  const rows = useMemo<Row[]>(
    () =>
      items.map(item => ({
        key: item.key,
        name: item.label ?? item.key,
        resourcesText: resourcesText(item),
        byCount: item.compliantShareByCount,
        nonCompliantCost: nonCompliantCost(item),
        byCost: item.compliantShareByCost,
      })),
    [items],
  );
  const columns: TableColumn<Row>[] = [
    {
      title: nameTitle,
      field: 'name',
      highlight: true,
      render: row =>
        row.name === row.key ? row.key : `${row.name} (${row.key})`,
    },
    {
      title: 'Compliant resources',
      field: 'resourcesText',
      sorting: false,
    },
    {
      title: 'Compliant by count',
      field: 'byCount',
      type: 'numeric',
      customSort: (a, b) => shareSort(a.byCount, b.byCount),
      render: row => formatShare(row.byCount),
    },
    {
      title: 'Non-compliant cost',
      field: 'nonCompliantCost',
      type: 'numeric',
      defaultSort: 'desc',
      customSort: (a, b) =>
        compareMoney(a.nonCompliantCost, b.nonCompliantCost),
      render: row => formatMoney(row.nonCompliantCost, currency),
    },
    {
      title: 'Compliant by cost',
      field: 'byCost',
      type: 'numeric',
      customSort: (a, b) => shareSort(a.byCost, b.byCost),
      render: row => formatShare(row.byCost),
    },
  ];
  return (
    <Box role="region" aria-label={title}>
      <Table<Row>
        title={title}
        columns={columns}
        data={rows}
        options={denseTableOptions(rows.length, 10, {
          search: rows.length > 10,
          pageSizeOptions: [10, 25, 50],
        })}
        emptyContent={
          <div style={{ padding: 16 }}>No resource in the policy's scope.</div>
        }
      />
    </Box>
  );
}
