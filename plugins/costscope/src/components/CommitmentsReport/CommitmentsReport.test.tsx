import { screen, within } from '@testing-library/react';
import { CommitmentsReport, commitmentsToCsv } from './CommitmentsReport';
import { createFakeApi } from '../../__testUtils__/fixtures';
import { commitmentsFor } from '../../__testUtils__/commitmentFixtures';
import { renderWithApi } from '../../__testUtils__/render';

const range = { from: '2026-01-01', to: '2026-04-30' };

describe('CommitmentsReport', () => {
  it('shows the latest month with data and every month, newest first', async () => {
    const api = createFakeApi();
    await renderWithApi(<CommitmentsReport range={range} />, { api });

    expect(
      await screen.findByTestId('costscope-commitment-coverage'),
    ).toHaveTextContent('75%');
    expect(screen.getByText('Coverage, 2026-04')).toBeInTheDocument();
    expect(
      screen.getByTestId('costscope-commitment-utilization'),
    ).toHaveTextContent('95.6%');
    expect(screen.getByTestId('costscope-commitment-esr')).toHaveTextContent(
      '18.5%',
    );
    expect(screen.getByTestId('costscope-commitment-unused')).toHaveTextContent(
      '$50.00',
    );
    expect(api.getCommitments).toHaveBeenCalledWith(range);

    const rows = within(screen.getByRole('table')).getAllByRole('row');
    // Header, then four months newest first.
    const months = rows
      .slice(1)
      .map(row => within(row).getAllByRole('cell')[0].textContent);
    expect(months).toEqual(['2026-04', '2026-03', '2026-02', '2026-01']);
    // A month before the plan: no utilization to speak of.
    expect(within(rows[4]).getAllByRole('cell')[2]).toHaveTextContent('–');
  });

  it('says where commitment data comes from when there is none', async () => {
    const empty = {
      ...commitmentsFor(range),
      months: commitmentsFor(range).months.map(m => ({
        ...m,
        coverage: null,
        utilization: null,
        effectiveSavingsRate: null,
      })),
    };
    const api = createFakeApi({ getCommitments: jest.fn(async () => empty) });
    await renderWithApi(<CommitmentsReport range={range} />, { api });
    expect(
      await screen.findByTestId('costscope-commitments-empty'),
    ).toHaveTextContent('CommitmentDiscountStatus');
  });

  it('shows an error that names what failed', async () => {
    const api = createFakeApi({
      getCommitments: jest.fn(async () => {
        throw new Error('backend down');
      }),
    });
    await renderWithApi(<CommitmentsReport range={range} />, { api });
    expect(
      await screen.findByText(/Could not load commitments/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/backend down/).length).toBeGreaterThan(0);
  });

  it('writes exact amounts and shares to CSV', () => {
    const csv = commitmentsToCsv(commitmentsFor(range)).split('\r\n');
    expect(csv[0]).toBe(
      'month,currency,coverage,utilization,effective_savings_rate,eligible_list_cost,covered_list_cost,eligible_effective_cost,used_commitment_cost,unused_commitment_cost',
    );
    expect(csv[1]).toBe(
      '2026-01,USD,0,,0,2000.000000000,0.000000000,2000.000000000,0.000000000,0.000000000',
    );
    expect(csv[4]).toBe(
      '2026-04,USD,0.75,0.955752,0.185,2000.000000000,1500.000000000,1580.000000000,1080.000000000,50.000000000',
    );
  });
});
