import { Chip, Theme, useTheme } from '@material-ui/core';
import { deepOrange } from '@material-ui/core/colors';
import type { BudgetState } from '@costscope/backstage-plugin-common';
import { BUDGET_STATE_LABELS } from '../../utils/budgets';

/** The colour of a budget state: green, amber, orange, red. */
export function budgetStateColor(theme: Theme, state: BudgetState): string {
  switch (state) {
    case 'ok':
      return theme.palette.success.main;
    case 'warning':
      return theme.palette.warning.main;
    case 'forecast-over':
      // Between the amber warning and the red "over": spent is still under the budget.
      return deepOrange[700];
    case 'over':
      return theme.palette.error.main;
    default:
      return theme.palette.grey[500];
  }
}

/** A chip with a budget state's label, coloured by the state. */
export function BudgetStateChip(props: { state: BudgetState }) {
  const theme = useTheme();
  const color = budgetStateColor(theme, props.state);
  return (
    <Chip
      size="small"
      label={BUDGET_STATE_LABELS[props.state] ?? props.state}
      data-state={props.state}
      style={{
        backgroundColor: color,
        color: theme.palette.getContrastText(color),
      }}
    />
  );
}
