import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { IngestRunsTable } from './IngestRunsTable';
import { ingestRuns } from '../../__testUtils__/fixtures';

describe('IngestRunsTable', () => {
  it('lists runs with status, counts and billing periods', async () => {
    await renderInTestApp(<IngestRunsTable runs={ingestRuns} />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    const first = within(rows[0]);
    expect(first.getByText('demo')).toBeInTheDocument();
    expect(first.getByText('schedule')).toBeInTheDocument();
    expect(first.getByText('succeeded')).toBeInTheDocument();
    expect(first.getByText('12.3 s')).toBeInTheDocument();
    expect(first.getByText((120000).toLocaleString())).toBeInTheDocument();
    expect(first.getByText('2024-04, 2024-05')).toBeInTheDocument();
    expect(within(rows[1]).getByText('failed')).toBeInTheDocument();
  });

  it('says how many objects a run skipped, and why', async () => {
    const incremental = {
      ...ingestRuns[0],
      id: 'run-s3',
      sourceId: 's3-focus',
      filesRead: 2,
      filesSkipped: 3,
      inputs: [
        { name: 'a.parquet', status: 'read' as const },
        { name: 'b.parquet', status: 'read' as const },
        { name: 'c.parquet', status: 'skipped' as const, reason: 'unchanged' },
        { name: 'd.parquet', status: 'skipped' as const, reason: 'unchanged' },
        {
          name: 'e.parquet',
          status: 'skipped' as const,
          reason: 'delivery incomplete',
        },
      ],
    };
    await renderInTestApp(<IngestRunsTable runs={[incremental]} />);
    const files = screen.getByText(/2 read · 3 skipped/);
    expect(files).toHaveAttribute(
      'title',
      'unchanged: 2, delivery incomplete: 1',
    );
  });

  it('shows the API calls a run made, what they cost and the days it replaced', async () => {
    await renderInTestApp(<IngestRunsTable runs={ingestRuns} />);
    const row = screen.getByText('aws-111122223333').closest('tr')!;
    expect(within(row).getByText('3 ($0.03)')).toBeInTheDocument();
    expect(
      within(row).getByText('2024-05-09 – 2024-05-13 (excl.)'),
    ).toBeInTheDocument();
  });

  it('shows the data a query engine scanned for a run', async () => {
    const athena = {
      ...ingestRuns[0],
      id: 'run-athena',
      sourceId: 'aws-athena-cur-focus',
      apiCalls: {
        'athena:StartQueryExecution': 2,
        'athena:GetQueryResults': 2,
      },
      apiCostUsd: '0.010000000',
      inputs: [
        // 1.5 MiB + 0.5 MiB
        {
          name: 'Athena 2026-10',
          status: 'read' as const,
          bytesScanned: 1572864,
        },
        {
          name: 'Athena 2026-11',
          status: 'read' as const,
          bytesScanned: 524288,
        },
      ],
    };
    await renderInTestApp(<IngestRunsTable runs={[athena]} />);
    expect(screen.getByText('4 ($0.01) · 2.0 MiB scanned')).toBeInTheDocument();
  });

  it('shows the rejections of a run in a dialog', async () => {
    await renderInTestApp(<IngestRunsTable runs={ingestRuns} />);
    await userEvent.click(
      screen.getByRole('button', {
        name: /Details of run run-2: 3 rejected rows/,
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Run run-2 of demo')).toBeInTheDocument();
    expect(
      within(dialog).getByText('The first 2 of 3 rejected rows:'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('BilledCost is not a number'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('42')).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('shows the error of a failed run', async () => {
    await renderInTestApp(<IngestRunsTable runs={ingestRuns} />);
    await userEvent.click(
      screen.getByRole('button', { name: /Details of run run-1/ }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('AccessDenied: s3:GetObject'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('No rejected rows.')).toBeInTheDocument();
  });

  it('says when there is no run yet', async () => {
    await renderInTestApp(<IngestRunsTable runs={[]} />);
    expect(screen.getByText('No ingest run recorded yet.')).toBeInTheDocument();
  });
});
