import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  useTheme,
} from '@material-ui/core';
import type { ComplianceTrendPoint } from '@costscope/backstage-plugin-common';
import { resourcesText } from '../../utils/compliance';
import { formatMoney, formatShare } from '../../utils/format';

/** A share as a small bar beside its figure; the figure carries the meaning, the bar is decoration. */
function ShareBar(props: { share: number | null }) {
  const theme = useTheme();
  const width =
    props.share === null ? 0 : Math.max(0, Math.min(1, props.share)) * 100;
  return (
    <Box
      display="flex"
      alignItems="center"
      justifyContent="flex-end"
      style={{ gap: 8 }}
    >
      <Box
        aria-hidden
        width={80}
        height={8}
        borderRadius={4}
        bgcolor={theme.palette.action.hover}
        overflow="hidden"
      >
        <Box
          height="100%"
          width={`${width}%`}
          bgcolor={theme.palette.success.main}
        />
      </Box>
      <span style={{ minWidth: 48 }}>{formatShare(props.share)}</span>
    </Box>
  );
}

/** Props of {@link ComplianceTrend}. */
export interface ComplianceTrendProps {
  points: ComplianceTrendPoint[];
  currency: string;
}

/** Compliance month by month, oldest first, as a table with bars. */
export function ComplianceTrend(props: ComplianceTrendProps) {
  const { points, currency } = props;
  if (points.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No month to show.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Compliance by month">
      <TableHead>
        <TableRow>
          <TableCell>Month</TableCell>
          <TableCell>Compliant resources</TableCell>
          <TableCell align="right">Compliant by count</TableCell>
          <TableCell align="right">Cost</TableCell>
          <TableCell align="right">Compliant by cost</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {points.map(point => (
          <TableRow key={point.month}>
            <TableCell component="th" scope="row" role="rowheader">
              {point.month}
            </TableCell>
            <TableCell>{resourcesText(point)}</TableCell>
            <TableCell align="right">
              <ShareBar share={point.compliantShareByCount} />
            </TableCell>
            <TableCell align="right">
              {formatMoney(point.cost.total, currency)}
            </TableCell>
            <TableCell align="right">
              <ShareBar share={point.compliantShareByCost} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
