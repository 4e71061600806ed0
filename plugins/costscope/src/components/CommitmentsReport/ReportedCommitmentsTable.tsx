import {
  Box,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type {
  ReportedCommitmentMonth,
  ReportedCommitments,
} from '@costscope/backstage-plugin-common';
import { formatMoney, formatShare } from '../../utils/format';

/** Who reports for a provider: the AWS module reads Cost Explorer. */
const REPORTERS: Record<string, string> = { AWS: 'AWS Cost Explorer' };
const TYPES: Record<ReportedCommitments['commitmentType'], string> = {
  SavingsPlans: 'Savings Plans',
  Reservations: 'Reservations',
};

/** "As reported by AWS Cost Explorer — Savings Plans". */
export function reportedTitle(report: ReportedCommitments): string {
  const reporter = REPORTERS[report.provider] ?? report.provider;
  return `As reported by ${reporter} — ${
    TYPES[report.commitmentType] ?? report.commitmentType
  }`;
}

/** Figures and months stay on one line; headers wrap between words only. */
const NO_WRAP = { whiteSpace: 'nowrap' } as const;
const HEADER_STYLE = { wordBreak: 'keep-all', minWidth: 80 } as const;

const money = (amount: string | null, currency: string) =>
  amount === null ? '–' : formatMoney(amount, currency);

const COLUMNS: Array<{
  title: string;
  value: (m: ReportedCommitmentMonth, currency: string) => string;
}> = [
  { title: 'Coverage', value: m => formatShare(m.coverage) },
  {
    title: 'Covered usage (on-demand equivalent)',
    value: (m, c) => money(m.coveredCost, c),
  },
  {
    title: 'Eligible usage (on-demand equivalent)',
    value: (m, c) => money(m.eligibleCost, c),
  },
  { title: 'Utilization', value: m => formatShare(m.utilization) },
  {
    title: 'Purchased commitment',
    value: (m, c) => money(m.purchasedCommitmentCost, c),
  },
  {
    title: 'Unused commitment',
    value: (m, c) => money(m.unusedCommitmentCost, c),
  },
  { title: 'Net savings', value: (m, c) => money(m.netSavings, c) },
];

/**
 * One provider report (a source and commitment type), month by month, newest first, as the
 * provider computed it; a dash where it reports no such figure.
 */
export function ReportedCommitmentsTable(props: {
  report: ReportedCommitments;
}) {
  const { report } = props;
  const title = reportedTitle(report);
  const months = [...report.months].reverse();
  return (
    <Paper variant="outlined">
      <Box p={2}>
        <Typography variant="h6" component="h3">
          {title}
        </Typography>
        {months.length === 0 ? (
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="costscope-reported-commitments-empty"
          >
            No months reported for this period.
          </Typography>
        ) : (
          <TableContainer>
            <Table size="small" aria-label={title}>
              <TableHead>
                <TableRow>
                  <TableCell component="th" scope="col">
                    Month
                  </TableCell>
                  {COLUMNS.map(column => (
                    <TableCell
                      key={column.title}
                      component="th"
                      scope="col"
                      align="right"
                      style={HEADER_STYLE}
                    >
                      {column.title}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {months.map(month => (
                  <TableRow key={month.month}>
                    {/* MUI v4 calls a body <th> a cell; it heads its row. */}
                    <TableCell
                      component="th"
                      scope="row"
                      role="rowheader"
                      style={NO_WRAP}
                    >
                      {month.month}
                    </TableCell>
                    {COLUMNS.map(column => (
                      <TableCell
                        key={column.title}
                        align="right"
                        style={NO_WRAP}
                      >
                        {column.value(month, report.currency)}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
        <Typography variant="caption" color="textSecondary">
          Source {report.sourceId}, amounts in {report.currency}.
        </Typography>
      </Box>
    </Paper>
  );
}
