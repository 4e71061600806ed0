import { useMemo } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import type { CostBreakdownItem } from '@costscope/backstage-plugin-common';
import { costColumns } from '../../utils/costColumns';
import { denseTableOptions } from '../../utils/tableOptions';
import { EntityName } from './EntityName';

type Row = CostBreakdownItem & { name: string };

/** Props of {@link BreakdownTable}. */
export interface BreakdownTableProps {
  title: string;
  items: CostBreakdownItem[];
  currency: string;
  /** Title of the first column (default "Name"). */
  nameTitle?: string;
  /** The keys are entity refs: link them to their catalog pages. */
  entityRefs?: boolean;
  /** Shown when there are no items. */
  emptyText?: string;
}

/** A sortable table of a cost breakdown: name, cost and share. */
export function BreakdownTable(props: BreakdownTableProps) {
  const { title, items, currency, nameTitle = 'Name', entityRefs } = props;
  // The table writes bookkeeping into its rows: give it copies.
  const rows = useMemo<Row[]>(
    () => items.map(item => ({ ...item, name: item.label ?? item.key })),
    [items],
  );
  const columns: TableColumn<Row>[] = [
    {
      title: nameTitle,
      field: 'name',
      highlight: true,
      render: row =>
        entityRefs ? (
          <EntityName entityRef={row.key} label={row.label} />
        ) : (
          row.name
        ),
    },
    ...costColumns<Row>(currency),
  ];
  return (
    <Table<Row>
      title={title}
      columns={columns}
      data={rows}
      options={denseTableOptions(rows.length, 10, {
        search: rows.length > 10,
        pageSizeOptions: [10, 25, 50],
      })}
      emptyContent={
        props.emptyText ? (
          <div style={{ padding: 16 }}>{props.emptyText}</div>
        ) : undefined
      }
    />
  );
}
