import { useState } from 'react';
import {
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import type {
  BudgetChange,
  BudgetInput,
} from '@costscope/backstage-plugin-common';
import { useEntityBudgetHistory } from '../../hooks';
import { BUDGET_PERIOD_UNITS } from '../../utils/budgets';
import { formatDateTime, formatMoney } from '../../utils/format';
import { AsyncContent } from '../AsyncContent';

function budgetText(budget: BudgetInput | undefined): string {
  if (!budget) return '–';
  return `${formatMoney(budget.amount, budget.currency)} ${
    BUDGET_PERIOD_UNITS[budget.period] ?? budget.period
  }`;
}

function HistoryTable(props: { changes: BudgetChange[] }) {
  const { changes } = props;
  return (
    <Table size="small" aria-label="Budget history">
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>Who</TableCell>
          <TableCell>Action</TableCell>
          <TableCell>Change</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map(change => (
          <TableRow key={change.id}>
            <TableCell>{formatDateTime(change.at)}</TableCell>
            <TableCell>{change.by}</TableCell>
            <TableCell>{change.action}</TableCell>
            <TableCell>
              {budgetText(change.before)} → {budgetText(change.after)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function HistoryList(props: { entityRef: string }) {
  const history = useEntityBudgetHistory(props.entityRef);
  return (
    <AsyncContent
      state={history}
      empty={
        <Typography variant="body2" color="textSecondary">
          No change recorded. Budgets declared as code have their history in
          version control.
        </Typography>
      }
    >
      {changes => <HistoryTable changes={changes} />}
    </AsyncContent>
  );
}

/**
 * The changes of an entity's UI budget, collapsed until asked for: most visits need the
 * status, not the history, so the request waits for the click.
 */
export function BudgetHistory(props: {
  entityRef: string;
  /** Changes after each save, so that an open history reloads. */
  revision?: number;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Box mt={2}>
      <Button
        size="small"
        aria-expanded={open}
        aria-controls="costscope-budget-history"
        endIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
        onClick={() => setOpen(!open)}
      >
        History
      </Button>
      {open && (
        <Box id="costscope-budget-history" mt={1}>
          <HistoryList key={props.revision} entityRef={props.entityRef} />
        </Box>
      )}
    </Box>
  );
}
