import { useMemo } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import SaveAlt from '@material-ui/icons/SaveAlt';
import { Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  BudgetListItem,
  BudgetPeriod,
  BudgetSource,
  BudgetState,
} from '@costscope/backstage-plugin-common';
import {
  BUDGET_MONTHLY_ANNOTATION,
  BUDGET_PERIOD_LABELS,
  BUDGET_SOURCE_SHORT_LABELS,
  BUDGET_STATE_SEVERITY,
  formatPercent,
  lastDayOf,
} from '../../utils/budgets';
import { csvFileName, downloadCsv, toCsv } from '../../utils/csv';
import { compareMoney, formatMoney } from '../../utils/format';
import { denseTableOptions } from '../../utils/tableOptions';
import { BudgetStateChip } from '../BudgetStateChip';

/** A flat copy of a list item: the table writes bookkeeping into its rows. */
interface Row {
  entityRef: string;
  name: string;
  title?: string;
  source: BudgetSource;
  period: BudgetPeriod;
  periodText: string;
  currency: string;
  amount: string;
  spent: string;
  percentUsed: number;
  forecast: string;
  state: BudgetState;
}

function toRow(item: BudgetListItem): Row {
  const { status } = item;
  return {
    entityRef: item.entityRef,
    name: item.title ?? item.entityRef,
    title: item.title,
    source: status.budget.source,
    period: status.budget.period,
    periodText: `${status.period.from} – ${lastDayOf(status.period)}`,
    currency: status.budget.currency,
    amount: status.budget.amount,
    spent: status.spent,
    percentUsed: status.percentUsed,
    forecast: status.forecast.amount,
    state: status.state,
  };
}

/** The CSV of a budget list: exact decimal amounts, the percentage as sent. */
export function budgetsToCsv(items: BudgetListItem[]): string {
  return toCsv(
    [
      'entity_ref',
      'source',
      'period',
      'period_from',
      'period_to',
      'currency',
      'amount',
      'spent',
      'percent_used',
      'forecast',
      'forecast_low',
      'forecast_high',
      'state',
    ],
    items.map(({ entityRef, status }) => [
      entityRef,
      status.budget.source,
      status.budget.period,
      status.period.from,
      status.period.to,
      status.budget.currency,
      status.budget.amount,
      status.spent,
      status.percentUsed,
      status.forecast.amount,
      status.forecast.low,
      status.forecast.high,
      status.state,
    ]),
  );
}

function EntityName(props: { entityRef: string; title?: string }) {
  try {
    return (
      <EntityRefLink
        entityRef={parseEntityRef(props.entityRef)}
        title={props.title}
      />
    );
  } catch {
    return <>{props.title ?? props.entityRef}</>;
  }
}

function EmptyBudgets() {
  return (
    <Box p={2}>
      <Typography variant="body2" paragraph>
        No budget is set yet.
      </Typography>
      <Typography variant="body2">
        Owners set one on the Budget card of their component, system or group
        page. Or declare budgets as code: the{' '}
        <code>{BUDGET_MONTHLY_ANNOTATION}</code> annotation on an entity, or{' '}
        <code>costscope.budgets</code> in app-config.
      </Typography>
    </Box>
  );
}

/** Props of {@link BudgetsTable}. */
export interface BudgetsTableProps {
  items: BudgetListItem[];
}

/** Every budget in force with where it stands, the most severe state first. */
export function BudgetsTable(props: BudgetsTableProps) {
  const { items } = props;
  const rows = useMemo(() => items.map(toRow), [items]);
  const columns: TableColumn<Row>[] = [
    {
      title: 'Entity',
      field: 'name',
      highlight: true,
      render: row => <EntityName entityRef={row.entityRef} title={row.title} />,
    },
    {
      title: 'Source',
      field: 'source',
      render: row => BUDGET_SOURCE_SHORT_LABELS[row.source] ?? row.source,
    },
    {
      title: 'Period',
      field: 'period',
      render: row => (
        <span title={row.periodText}>
          {BUDGET_PERIOD_LABELS[row.period] ?? row.period}
        </span>
      ),
    },
    {
      title: 'Budget',
      field: 'amount',
      type: 'numeric',
      customSort: (a, b) => compareMoney(a.amount, b.amount),
      render: row => formatMoney(row.amount, row.currency),
    },
    {
      title: 'Spent',
      field: 'spent',
      type: 'numeric',
      customSort: (a, b) => compareMoney(a.spent, b.spent),
      render: row => formatMoney(row.spent, row.currency),
    },
    {
      title: 'Used',
      field: 'percentUsed',
      type: 'numeric',
      render: row => formatPercent(row.percentUsed),
    },
    {
      title: 'Forecast',
      field: 'forecast',
      type: 'numeric',
      customSort: (a, b) => compareMoney(a.forecast, b.forecast),
      render: row => formatMoney(row.forecast, row.currency),
    },
    {
      title: 'State',
      field: 'state',
      defaultSort: 'desc',
      // By severity, not alphabetically; the fuller budget first within a state.
      customSort: (a, b) =>
        BUDGET_STATE_SEVERITY[a.state] - BUDGET_STATE_SEVERITY[b.state] ||
        a.percentUsed - b.percentUsed,
      render: row => <BudgetStateChip state={row.state} />,
    },
  ];

  return (
    <Box>
      <Box display="flex" justifyContent="flex-end" mb={1}>
        <Button
          variant="outlined"
          size="small"
          startIcon={<SaveAlt />}
          disabled={items.length === 0}
          onClick={() =>
            downloadCsv(csvFileName('costscope-budgets'), budgetsToCsv(items))
          }
        >
          Download CSV
        </Button>
      </Box>
      <Table<Row>
        title="Budgets"
        columns={columns}
        data={rows}
        options={denseTableOptions(rows.length, 20, {
          search: rows.length > 20,
          pageSizeOptions: [20, 50, 100],
        })}
        emptyContent={<EmptyBudgets />}
      />
    </Box>
  );
}
