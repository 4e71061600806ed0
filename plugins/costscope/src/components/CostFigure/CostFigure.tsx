import { ReactNode } from 'react';
import { Box, Typography } from '@material-ui/core';

/** Props of {@link CostFigure}. */
export interface CostFigureProps {
  label: string;
  value: ReactNode;
  /** A line under the value. */
  detail?: ReactNode;
  /** `data-testid` of the value element. */
  testId?: string;
  /** The raw decimal amount behind the value, as `data-amount` on the value element. */
  amount?: string;
}

/** One headline figure: a label, a large value and an optional detail line. */
export function CostFigure(props: CostFigureProps) {
  const { label, value, detail, testId, amount } = props;
  return (
    <Box minWidth={160}>
      <Typography variant="overline" color="textSecondary" component="div">
        {label}
      </Typography>
      <Typography
        variant="h4"
        component="div"
        data-testid={testId}
        data-amount={amount}
      >
        {value}
      </Typography>
      {detail !== undefined && (
        <Typography variant="body2" color="textSecondary" component="div">
          {detail}
        </Typography>
      )}
    </Box>
  );
}
