import { useMemo, useState } from 'react';
import {
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Table as MuiTable,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  useTheme,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { Table, TableColumn } from '@backstage/core-components';
import type { IngestRun } from '@costscope/backstage-plugin-common';
import {
  formatDateTime,
  formatDuration,
  formatMoney,
  moneySign,
} from '../../utils/format';
import { denseTableOptions } from '../../utils/tableOptions';

/** A coloured chip for a run's status. */
export function RunStatusChip(props: { status: IngestRun['status'] }) {
  const theme = useTheme();
  const color =
    {
      succeeded: theme.palette.success.main,
      failed: theme.palette.error.main,
      running: theme.palette.info.main,
    }[props.status] ?? theme.palette.grey[500];
  return (
    <Chip
      size="small"
      label={props.status}
      style={{
        backgroundColor: color,
        color: theme.palette.getContrastText(color),
      }}
    />
  );
}

function RejectionsDialog(props: { run: IngestRun; onClose: () => void }) {
  const { run, onClose } = props;
  const titleId = `costscope-run-${run.id}-title`;
  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>
        Run {run.id} of {run.sourceId}
      </DialogTitle>
      <DialogContent>
        {run.error && (
          <Alert severity="error" style={{ marginBottom: 16 }}>
            {run.error}
          </Alert>
        )}
        {run.rejections.length === 0 ? (
          <Typography>No rejected rows.</Typography>
        ) : (
          <>
            <Typography variant="body2" paragraph>
              {run.rejections.length < run.rowsRejected
                ? `The first ${
                    run.rejections.length
                  } of ${run.rowsRejected.toLocaleString()} rejected rows:`
                : `${run.rejections.length} rejected rows:`}
            </Typography>
            <MuiTable size="small" aria-label="Rejected rows">
              <TableHead>
                <TableRow>
                  <TableCell>File</TableCell>
                  <TableCell align="right">Line</TableCell>
                  <TableCell>Reason</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {run.rejections.map((rejection, index) => (
                  <TableRow
                    key={`${rejection.file}:${rejection.line}:${index}`}
                  >
                    <TableCell>{rejection.file}</TableCell>
                    <TableCell align="right">{rejection.line}</TableCell>
                    <TableCell>{rejection.reason}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </MuiTable>
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** A few periods by name; many as their span, so the column stays narrow. */
function periodsText(periods: string[]): string {
  if (periods.length <= 3) return periods.join(', ');
  const sorted = [...periods].sort();
  return `${sorted[0]} – ${sorted[sorted.length - 1]} (${
    periods.length
  } periods)`;
}

/** Why inputs were skipped, counted by reason: `unchanged: 11, delivery incomplete: 1`. */
function skippedText(inputs: IngestRun['inputs']): string {
  const byReason = new Map<string, number>();
  for (const input of inputs ?? []) {
    if (input.status !== 'skipped') continue;
    const reason = input.reason ?? 'skipped';
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  return [...byReason]
    .map(([reason, count]) => `${reason}: ${count}`)
    .join(', ');
}

/** Props of {@link IngestRunsTable}. */
export interface IngestRunsTableProps {
  runs: IngestRun[];
}

/** The recorded ingest runs; a run's rejections and error open in a dialog. */
/** Bytes in binary units, as the clouds bill scanned data: `1.5 MiB`. */
function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function IngestRunsTable(props: IngestRunsTableProps) {
  const [selected, setSelected] = useState<IngestRun | undefined>();
  const rows = useMemo(
    () =>
      props.runs.map(run => ({
        ...run,
        periodsText: run.daysReplaced
          ? `${run.daysReplaced.from} – ${run.daysReplaced.to} (excl.)`
          : periodsText(run.billingPeriods),
        apiCallCount: Object.values(run.apiCalls ?? {}).reduce(
          (sum, count) => sum + count,
          0,
        ),
        bytesScanned: (run.inputs ?? []).reduce(
          (sum, input) => sum + (input.bytesScanned ?? 0),
          0,
        ),
      })),
    [props.runs],
  );
  type Row = (typeof rows)[number];

  const columns: TableColumn<Row>[] = [
    { title: 'Source', field: 'sourceId', highlight: true },
    { title: 'Trigger', field: 'trigger' },
    {
      title: 'Status',
      field: 'status',
      render: row => <RunStatusChip status={row.status} />,
    },
    {
      title: 'Started',
      field: 'startedAt',
      defaultSort: 'desc',
      render: row => formatDateTime(row.startedAt),
    },
    {
      title: 'Duration',
      field: 'durationMs',
      type: 'numeric',
      render: row => formatDuration(row.durationMs),
    },
    {
      title: 'Files',
      field: 'filesRead',
      type: 'numeric',
      render: row =>
        row.filesSkipped > 0 ? (
          <span title={skippedText(row.inputs)}>
            {row.filesRead.toLocaleString()} read ·{' '}
            {row.filesSkipped.toLocaleString()} skipped
          </span>
        ) : (
          row.filesRead.toLocaleString()
        ),
    },
    {
      title: 'Rows read',
      field: 'rowsRead',
      type: 'numeric',
      render: row => row.rowsRead.toLocaleString(),
    },
    {
      title: 'Rows rejected',
      field: 'rowsRejected',
      type: 'numeric',
      render: row =>
        row.rejections.length > 0 || row.error ? (
          <Button
            size="small"
            color={row.rowsRejected > 0 || row.error ? 'secondary' : 'default'}
            aria-label={`Details of run ${row.id}: ${row.rowsRejected} rejected rows`}
            onClick={() => setSelected(props.runs.find(r => r.id === row.id))}
          >
            {row.rowsRejected.toLocaleString()}
            {row.error ? ' · error' : ''}
          </Button>
        ) : (
          row.rowsRejected.toLocaleString()
        ),
    },
    {
      title: 'API calls',
      field: 'apiCallCount',
      type: 'numeric',
      render: row =>
        row.apiCallCount === 0 ? (
          '–'
        ) : (
          <span
            title={Object.entries(row.apiCalls)
              .map(([operation, count]) => `${operation}: ${count}`)
              .join('\n')}
          >
            {row.apiCallCount.toLocaleString()}
            {/* Cloud API fees are in USD whatever the billing currency. */}
            {moneySign(row.apiCostUsd) > 0
              ? ` (${formatMoney(row.apiCostUsd, 'USD')})`
              : ''}
            {/* Query engines (Athena) bill the data a query scanned. */}
            {row.bytesScanned > 0
              ? ` · ${formatBytes(row.bytesScanned)} scanned`
              : ''}
          </span>
        ),
    },
    { title: 'Data replaced', field: 'periodsText' },
  ];

  return (
    <>
      <Table<Row>
        title="Ingest runs"
        columns={columns}
        data={rows}
        options={denseTableOptions(rows.length)}
        emptyContent={
          <div style={{ padding: 16 }}>No ingest run recorded yet.</div>
        }
      />
      {selected && (
        <RejectionsDialog
          run={selected}
          onClose={() => setSelected(undefined)}
        />
      )}
    </>
  );
}
