import { useMemo } from 'react';
import { Box, Button, Paper, Typography } from '@material-ui/core';
import SaveAlt from '@material-ui/icons/SaveAlt';
import { Table, TableColumn } from '@backstage/core-components';
import type {
  CommitmentMonth,
  CommitmentSummary,
  DateRange,
} from '@costscope/backstage-plugin-common';
import { useCommitments } from '../../hooks';
import { csvFileName, downloadCsv, toCsv } from '../../utils/csv';
import { formatMoney, formatShare } from '../../utils/format';
import { denseTableOptions } from '../../utils/tableOptions';
import { AsyncContent } from '../AsyncContent';
import { CostFigure } from '../CostFigure';
import { ReportedCommitmentsTable } from './ReportedCommitmentsTable';

/** Whether a month has anything to show: eligible usage or a commitment. */
function hasData(month: CommitmentMonth): boolean {
  return month.coverage !== null || month.utilization !== null;
}

/** The CSV of the months: exact decimal amounts, shares as fractions. */
export function commitmentsToCsv(summary: CommitmentSummary): string {
  return toCsv(
    [
      'month',
      'currency',
      'coverage',
      'utilization',
      'effective_savings_rate',
      'eligible_list_cost',
      'covered_list_cost',
      'eligible_effective_cost',
      'used_commitment_cost',
      'unused_commitment_cost',
    ],
    summary.months.map(m => [
      m.month,
      summary.currency,
      m.coverage,
      m.utilization,
      m.effectiveSavingsRate,
      m.eligibleListCost,
      m.coveredListCost,
      m.eligibleEffectiveCost,
      m.usedCommitmentCost,
      m.unusedCommitmentCost,
    ]),
  );
}

function Latest(props: { month: CommitmentMonth; currency: string }) {
  const { month, currency } = props;
  return (
    <Paper variant="outlined">
      <Box p={2} display="flex" flexWrap="wrap" style={{ gap: 48 }}>
        <CostFigure
          label={`Coverage, ${month.month}`}
          value={formatShare(month.coverage)}
          testId="costscope-commitment-coverage"
          detail={`${formatMoney(
            month.coveredListCost,
            currency,
          )} of ${formatMoney(
            month.eligibleListCost,
            currency,
          )} eligible usage at list price`}
        />
        <CostFigure
          label="Utilization"
          value={formatShare(month.utilization)}
          testId="costscope-commitment-utilization"
          detail="Share of the commitment that usage used"
        />
        <CostFigure
          label="Effective savings rate"
          value={formatShare(month.effectiveSavingsRate)}
          testId="costscope-commitment-esr"
          detail="Saved against list price on eligible usage, unused commitment counted"
        />
        <CostFigure
          label="Unused commitment"
          value={formatMoney(month.unusedCommitmentCost, currency)}
          testId="costscope-commitment-unused"
          amount={month.unusedCommitmentCost}
          detail="Amortized cost nothing used"
        />
      </Box>
    </Paper>
  );
}

function Months(props: { summary: CommitmentSummary }) {
  const { summary } = props;
  const { currency } = summary;
  // Newest first; the table writes bookkeeping into its rows: give it copies.
  const rows = useMemo(
    () => [...summary.months].reverse().map(m => ({ ...m })),
    [summary],
  );
  const money = (field: keyof CommitmentMonth, title: string) => ({
    title,
    field,
    align: 'right' as const,
    render: (row: CommitmentMonth) =>
      formatMoney(row[field] as string, currency),
  });
  const share = (field: keyof CommitmentMonth, title: string) => ({
    title,
    field,
    align: 'right' as const,
    render: (row: CommitmentMonth) => formatShare(row[field] as number | null),
  });
  const columns: TableColumn<CommitmentMonth>[] = [
    { title: 'Month', field: 'month', highlight: true },
    share('coverage', 'Coverage'),
    share('utilization', 'Utilization'),
    share('effectiveSavingsRate', 'Effective savings rate'),
    money('eligibleListCost', 'Eligible usage at list price'),
    money('eligibleEffectiveCost', 'Eligible usage, amortized'),
    money('unusedCommitmentCost', 'Unused commitment'),
  ];
  return (
    <Box>
      <Box display="flex" justifyContent="flex-end" mb={1}>
        <Button
          variant="outlined"
          size="small"
          startIcon={<SaveAlt />}
          onClick={() =>
            downloadCsv(
              csvFileName('costscope-commitments', summary.from, summary.to),
              commitmentsToCsv(summary),
            )
          }
        >
          Download CSV
        </Button>
      </Box>
      <Table<CommitmentMonth>
        title="Savings Plans and reservations by month"
        columns={columns}
        data={rows}
        options={denseTableOptions(rows.length, 12)}
      />
    </Box>
  );
}

/** Coverage, utilization, effective savings rate and unused commitment, month by month. */
export function CommitmentsView(props: { summary: CommitmentSummary }) {
  const { summary } = props;
  const latest = [...summary.months].reverse().find(hasData);
  const reported = summary.reported ?? [];
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
      {latest ? (
        <>
          <Latest month={latest} currency={summary.currency} />
          <Months summary={summary} />
        </>
      ) : (
        <Paper variant="outlined">
          <Box p={2} data-testid="costscope-commitments-empty">
            <Typography variant="h6">
              No commitments in this period&apos;s bill
            </Typography>
            <Typography variant="body2" color="textSecondary">
              Coverage and utilization come from the bill&apos;s FOCUS columns
              CommitmentDiscountId and CommitmentDiscountStatus (FOCUS 1.0:
              ChargeSubcategory). Read a FOCUS export that has them (AWS Data
              Exports, Azure Cost Management) as a cost source to see your
              Savings Plans and reservations here.
              {reported.length > 0
                ? ' The figures the provider reports itself are below.'
                : ' With the AWS module, the figures Cost Explorer reports itself show here once read.'}
            </Typography>
          </Box>
        </Paper>
      )}
      {reported.map(report => (
        <ReportedCommitmentsTable
          key={`${report.sourceId} ${report.commitmentType}`}
          report={report}
        />
      ))}
    </Box>
  );
}

/** The Costscope page's Commitments tab: the months of `range`. */
export function CommitmentsReport(props: { range: DateRange }) {
  const state = useCommitments(props.range);
  return (
    <AsyncContent state={state} errorTitle="Could not load commitments">
      {summary => <CommitmentsView summary={summary} />}
    </AsyncContent>
  );
}
