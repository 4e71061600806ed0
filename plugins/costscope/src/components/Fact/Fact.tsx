import { ReactNode } from 'react';
import { Box, Typography } from '@material-ui/core';

/** Props of {@link Fact}. */
export interface FactProps {
  label: string;
  value: ReactNode;
  testId?: string;
}

/** A small labelled value, as the savings tips show their evidence and figures. */
export function Fact(props: FactProps) {
  return (
    <Box minWidth={110}>
      <Typography variant="caption" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div" data-testid={props.testId}>
        {props.value}
      </Typography>
    </Box>
  );
}
