import { useMemo } from 'react';
import { Box, Typography } from '@material-ui/core';
import {
  Link,
  SubvalueCell,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { CostAlert, CostDriver } from '@costscope/backstage-plugin-common';
import { formatThreshold } from '../../utils/budgets';
import { compareMoney, formatDateTime, formatMoney } from '../../utils/format';
import { denseTableOptions } from '../../utils/tableOptions';

/** Drivers shown per alert; the rest are in the alert's notification. */
const MAX_DRIVERS = 3;

/** The table writes bookkeeping into its rows: give it copies. */
type Row = CostAlert;

function EntityName(props: { entityRef: string }) {
  try {
    return <EntityRefLink entityRef={parseEntityRef(props.entityRef)} />;
  } catch {
    return <>{props.entityRef}</>;
  }
}

function Drivers(props: { drivers: CostDriver[]; currency: string }) {
  const { drivers, currency } = props;
  if (drivers.length === 0) return <>–</>;
  return (
    <Box
      component="ul"
      m={0}
      pl={2}
      aria-label="Top drivers"
      style={{ listStyle: 'disc' }}
    >
      {drivers.slice(0, MAX_DRIVERS).map(driver => (
        <li key={`${driver.serviceName}|${driver.resourceId ?? ''}`}>
          {driver.serviceName}
          {driver.resourceId ? ` ${driver.resourceId}` : ''}:{' '}
          {formatMoney(driver.amount, currency)} (
          {formatMoney(driver.change, currency, { signed: true })})
        </li>
      ))}
    </Box>
  );
}

/** Props of {@link AlertsTable}. */
export interface AlertsTableProps {
  alerts: CostAlert[];
}

/** The alerts that fired, newest first, each linked to its entity's Cost tab. */
export function AlertsTable(props: AlertsTableProps) {
  const rows = useMemo<Row[]>(
    () => props.alerts.map(alert => ({ ...alert })),
    [props.alerts],
  );
  const columns: TableColumn<Row>[] = [
    {
      title: 'When',
      field: 'createdAt',
      defaultSort: 'desc',
      render: row => formatDateTime(row.createdAt),
    },
    {
      title: 'Entity',
      field: 'entityRef',
      render: row => <EntityName entityRef={row.entityRef} />,
    },
    {
      title: 'Kind',
      field: 'kind',
      render: row =>
        row.kind === 'budget' && row.threshold ? (
          <SubvalueCell
            value="Budget"
            subvalue={formatThreshold(row.threshold)}
          />
        ) : (
          { budget: 'Budget', anomaly: 'Anomaly' }[row.kind] ?? row.kind
        ),
    },
    {
      title: 'Alert',
      field: 'title',
      highlight: true,
      render: row => (
        <SubvalueCell value={row.title} subvalue={row.description} />
      ),
    },
    {
      title: 'Amount',
      field: 'amount',
      type: 'numeric',
      customSort: (a, b) => compareMoney(a.amount, b.amount),
      render: row => (
        <SubvalueCell
          value={formatMoney(row.amount, row.currency)}
          subvalue={`vs ${formatMoney(row.reference, row.currency)} ${
            row.kind === 'budget' ? 'budget' : 'expected'
          }`}
        />
      ),
    },
    {
      title: 'Top drivers',
      sorting: false,
      render: row => <Drivers drivers={row.drivers} currency={row.currency} />,
    },
    {
      title: 'Delivered to',
      field: 'deliveredTo',
      sorting: false,
      render: row =>
        row.deliveredTo.length > 0 ? row.deliveredTo.join(', ') : '–',
    },
    {
      title: '',
      sorting: false,
      render: row => (
        <Link to={row.link} aria-label={`Cost of ${row.entityRef}`}>
          View cost
        </Link>
      ),
    },
  ];

  return (
    <Table<Row>
      title="Alert history"
      columns={columns}
      data={rows}
      options={denseTableOptions(rows.length, 20, {
        search: rows.length > 20,
        pageSizeOptions: [20, 50, 100],
      })}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2">
            No alert has fired. Alerts fire when spend or its forecast crosses a
            budget threshold, and on unusual daily spend.
          </Typography>
        </Box>
      }
    />
  );
}
