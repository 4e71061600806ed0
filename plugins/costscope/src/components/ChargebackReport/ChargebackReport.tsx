import { useMemo, useState } from 'react';
import { Box, Button, Paper, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import SaveAlt from '@material-ui/icons/SaveAlt';
import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { ResponseError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { costscopeAdminPermission } from '@costscope/backstage-plugin-common';
import type {
  ChargebackOwnerBy,
  ChargebackReport as ChargebackReportData,
  ChargebackReportLine,
  CostBasis,
  DateRange,
} from '@costscope/backstage-plugin-common';
import { costscopeApiRef } from '../../api';
import { useChargeback, useCostBasis } from '../../hooks';
import { withBasis } from '../../utils/costBasis';
import { CostBasisPicker } from '../CostBasisPicker';
import {
  CHARGEBACK_BY_LABELS,
  CHARGEBACK_KIND_LABELS,
  sameMoney,
  sumMoney,
} from '../../utils/compliance';
import { csvFileName, downloadCsv } from '../../utils/csv';
import { compareMoney, formatMoney } from '../../utils/format';
import { denseTableOptions } from '../../utils/tableOptions';
import { CostFigure } from '../CostFigure';
import { AsyncContent } from '../AsyncContent';
import { errorMessage } from '../../utils/errorMessage';

const BY_OPTIONS: ChargebackOwnerBy[] = ['group', 'costCenter'];

/** A flat copy of a line: the table writes bookkeeping into its rows. */
interface Row {
  id: number;
  month: string;
  owner: string;
  ownerName?: string;
  ownerText: string;
  service: string;
  kind: ChargebackReportLine['kind'];
  cost: string;
}

/**
 * The file name of a downloaded report:
 * `costscope-chargeback-<from>-<to>-<by>-<basis>.csv`, so that an amortized and a billed
 * export of the same month do not overwrite each other.
 */
export function chargebackFileName(
  range: DateRange,
  by: ChargebackOwnerBy,
  costBasis: CostBasis,
): string {
  return csvFileName(
    'costscope-chargeback',
    range.from,
    range.to,
    by,
    costBasis,
  );
}

function Owner(props: { row: Row; by: ChargebackOwnerBy }) {
  const { row, by } = props;
  if (!row.owner) {
    return (
      <Typography variant="body2" color="textSecondary" component="span">
        Unallocated
      </Typography>
    );
  }
  if (by === 'group') {
    try {
      return (
        <EntityRefLink
          entityRef={parseEntityRef(row.owner)}
          title={row.ownerName}
        />
      );
    } catch {
      // Not an entity ref: show it as text.
    }
  }
  return <>{row.ownerText}</>;
}

function Totals(props: { report: ChargebackReportData }) {
  const { report } = props;
  const sum = sumMoney(report.lines.map(line => line.cost));
  const addsUp = sum !== undefined && sameMoney(sum, report.total);
  return (
    <Paper variant="outlined">
      <Box p={2} display="flex" flexDirection="column" style={{ gap: 8 }}>
        <CostFigure
          label={`${withBasis('Total', report.costBasis)}, ${report.from} – ${
            report.to
          }`}
          value={formatMoney(report.total, report.currency)}
          testId="costscope-chargeback-total"
          amount={report.total}
          detail={`The whole bill, in ${report.lines.length.toLocaleString()} line${
            report.lines.length === 1 ? '' : 's'
          }`}
        />
        <Typography variant="body2" color="textSecondary">
          {report.sharedCost === 'own-line'
            ? 'Shared and unallocated cost appear as lines of their own.'
            : 'Shared and unallocated cost are split over the owners in proportion to their cost.'}
        </Typography>
        {!addsUp && (
          <Alert severity="warning" data-testid="costscope-chargeback-mismatch">
            The lines add up to{' '}
            {sum === undefined
              ? 'an unreadable amount'
              : formatMoney(sum, report.currency)}
            , not to the bill's {formatMoney(report.total, report.currency)}.
          </Alert>
        )}
      </Box>
    </Paper>
  );
}

function LinesTable(props: { report: ChargebackReportData }) {
  const { report } = props;
  const { by, currency } = report;
  const rows = useMemo<Row[]>(
    () =>
      report.lines.map((line, index) => ({
        id: index,
        month: line.month,
        owner: line.owner,
        ownerName: line.ownerName,
        ownerText: line.owner ? line.ownerName ?? line.owner : 'Unallocated',
        service: line.service,
        kind: line.kind,
        cost: line.cost,
      })),
    [report.lines],
  );
  const columns: TableColumn<Row>[] = [
    { title: 'Month', field: 'month' },
    {
      title: by === 'group' ? 'Team' : 'Cost center',
      field: 'ownerText',
      highlight: true,
      render: row => <Owner row={row} by={by} />,
    },
    { title: 'Service', field: 'service' },
    {
      title: 'Kind',
      field: 'kind',
      render: row => CHARGEBACK_KIND_LABELS[row.kind] ?? row.kind,
    },
    {
      title: 'Cost',
      field: 'cost',
      type: 'numeric',
      customSort: (a, b) => compareMoney(a.cost, b.cost),
      render: row => formatMoney(row.cost, currency),
    },
  ];
  return (
    <Box role="region" aria-label="Chargeback lines">
      <Table<Row>
        title={withBasis('Chargeback lines', report.costBasis)}
        columns={columns}
        data={rows}
        options={denseTableOptions(rows.length, 20, {
          search: rows.length > 20,
          pageSizeOptions: [20, 50, 100],
        })}
        emptyContent={<div style={{ padding: 16 }}>No cost in this range.</div>}
      />
      <Box display="flex" justifyContent="flex-end" px={2} py={1}>
        <Typography
          variant="subtitle2"
          data-testid="costscope-chargeback-footer"
        >
          Total: {formatMoney(report.total, currency)}
        </Typography>
      </Box>
    </Box>
  );
}

/** Props of {@link ChargebackReport}. */
export interface ChargebackReportProps {
  range: DateRange;
}

/**
 * The chargeback report for a range: what each team (or cost center) pays per service and
 * month, adding up to the bill, with the server's CSV for download.
 */
export function ChargebackReport(props: ChargebackReportProps) {
  const { range } = props;
  const api = useApi(costscopeApiRef);
  const [by, setBy] = useState<ChargebackOwnerBy>('group');
  const { costBasis, setCostBasis } = useCostBasis();
  const report = useChargeback({ ...range, costBasis }, by);
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<
    { message: string; forbidden: boolean } | undefined
  >();
  // The organisation-wide export needs costscope.admin; the table is open to readers. A
  // policy may still refuse the export itself (a 403), which shows the same notice.
  const admin = usePermission({ permission: costscopeAdminPermission });
  const forbidden =
    (!admin.loading && !admin.allowed) || downloadError?.forbidden === true;

  const download = async () => {
    setDownloading(true);
    setDownloadError(undefined);
    try {
      const query = { from: range.from, to: range.to, costBasis, by };
      // The server's text as it is: its total line is exact, a rebuilt file might not be.
      const csv = await api.getChargebackCsv(query);
      downloadCsv(chargebackFileName(range, by, costBasis), csv);
    } catch (e) {
      setDownloadError({
        message: errorMessage(e),
        forbidden: (e as Partial<ResponseError>).statusCode === 403,
      });
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <ToggleButtonGroup
          size="small"
          exclusive
          value={by}
          aria-label="Charge back"
          onChange={(_event, next: ChargebackOwnerBy | null) => {
            // A click on the selected button would deselect it: keep the selection.
            if (next) setBy(next);
          }}
        >
          {BY_OPTIONS.map(option => (
            <ToggleButton key={option} value={option}>
              {CHARGEBACK_BY_LABELS[option]}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <CostBasisPicker value={costBasis} onChange={setCostBasis} />
        <Box flexGrow={1} />
        <Button
          variant="outlined"
          size="small"
          startIcon={<SaveAlt />}
          disabled={downloading || admin.loading || forbidden}
          onClick={download}
        >
          {downloading ? 'Downloading…' : 'Download CSV'}
        </Button>
      </Box>
      {forbidden && (
        <Alert
          severity="info"
          data-testid="costscope-chargeback-download-forbidden"
        >
          Only Costscope admins can download the organisation-wide chargeback
          CSV. The report below shows the same lines and total; ask a Costscope
          admin for the file.
        </Alert>
      )}
      {downloadError && !downloadError.forbidden && (
        <Alert
          severity="error"
          data-testid="costscope-chargeback-download-error"
        >
          Could not download the CSV: {downloadError.message}
        </Alert>
      )}
      <AsyncContent state={report} errorTitle="Could not load the chargeback">
        {value => (
          <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
            <Totals report={value} />
            <LinesTable report={value} />
          </Box>
        )}
      </AsyncContent>
    </Box>
  );
}
