import { Box, Typography, useTheme } from '@material-ui/core';
import ArrowUpward from '@material-ui/icons/ArrowUpward';
import ArrowDownward from '@material-ui/icons/ArrowDownward';
import type { Money } from '@costscope/backstage-plugin-common';
import { formatChangeRatio, formatMoney, moneySign } from '../../utils/format';

/** Props of {@link CostChange}. */
export interface CostChangeProps {
  change: Money;
  changeRatio: number | null;
  currency: string;
  /** Show the amount beside the percentage (default true). */
  showAmount?: boolean;
}

/**
 * The change of cost against the previous range. An increase is bad (error colour, arrow
 * up), a decrease good (success colour, arrow down).
 */
export function CostChange(props: CostChangeProps) {
  const { change, changeRatio, currency, showAmount = true } = props;
  const theme = useTheme();
  const sign = moneySign(change);
  let direction: 'increase' | 'decrease' | 'none' = 'none';
  if (sign > 0) direction = 'increase';
  else if (sign < 0) direction = 'decrease';

  const color = {
    increase: theme.palette.error.main,
    decrease: theme.palette.success.main,
    none: theme.palette.text.secondary,
  }[direction];
  const Icon = { increase: ArrowUpward, decrease: ArrowDownward, none: null }[
    direction
  ];
  const ratio = formatChangeRatio(changeRatio);
  // Without earlier cost there is no ratio: a bare dash would hide the whole change, so the
  // amount shows even where only the ratio was asked for.
  const amountShown = showAmount || changeRatio === null;
  const ratioText = changeRatio === null ? 'new' : ratio;
  const text =
    direction === 'none'
      ? 'No change'
      : [
          amountShown ? formatMoney(change, currency, { signed: true }) : '',
          amountShown ? `(${ratioText})` : ratioText,
        ]
          .filter(Boolean)
          .join(' ');

  return (
    <Box
      component="span"
      display="inline-flex"
      alignItems="center"
      data-testid="costscope-change"
      data-direction={direction}
      style={{ color }}
      title={
        direction === 'none'
          ? 'Same cost as the previous period'
          : `Cost ${direction} against the previous period of equal length`
      }
    >
      {Icon && <Icon fontSize="small" aria-hidden="true" />}
      <Typography component="span" variant="body1" style={{ color }}>
        <span
          style={{
            position: 'absolute',
            width: 1,
            height: 1,
            overflow: 'hidden',
            clip: 'rect(0 0 0 0)',
          }}
        >
          {direction === 'none' ? '' : `${direction}: `}
        </span>
        {text}
      </Typography>
    </Box>
  );
}
