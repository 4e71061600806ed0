import { screen, within } from '@testing-library/react';
import type {
  CommitmentSummary,
  ReportedCommitments,
} from '@costscope/backstage-plugin-common';
import { CommitmentsReport } from './CommitmentsReport';
import { ReportedCommitmentsTable } from './ReportedCommitmentsTable';
import { createFakeApi } from '../../__testUtils__/fixtures';
import { commitmentsFor } from '../../__testUtils__/commitmentFixtures';
import { renderWithApi } from '../../__testUtils__/render';

const range = { from: '2026-09-01', to: '2026-10-31' };

const savingsPlans: ReportedCommitments = {
  sourceId: 'aws-ce-commitments-111122223333',
  provider: 'AWS',
  commitmentType: 'SavingsPlans',
  currency: 'USD',
  months: [
    {
      month: '2026-09',
      coveredCost: '0.000000000',
      eligibleCost: '4.000000000',
      coverage: 0,
      usedCommitmentCost: null,
      purchasedCommitmentCost: null,
      unusedCommitmentCost: null,
      utilization: null,
      netSavings: null,
    },
    {
      month: '2026-10',
      coveredCost: '15.000000000',
      eligibleCost: '17.000000000',
      coverage: 0.882352,
      usedCommitmentCost: '10.800000000',
      purchasedCommitmentCost: '12.000000000',
      unusedCommitmentCost: '1.200000000',
      utilization: 0.9,
      netSavings: '3.000000000',
    },
  ],
};
const reservations: ReportedCommitments = {
  ...savingsPlans,
  commitmentType: 'Reservations',
  months: [],
};

/** A bill without commitment columns (the Cost Explorer cost source): FOCUS months empty. */
function summaryWith(reported: ReportedCommitments[]): CommitmentSummary {
  const base = commitmentsFor(range);
  return {
    ...base,
    months: base.months.map(m => ({
      ...m,
      coverage: null,
      utilization: null,
      effectiveSavingsRate: null,
    })),
    reported,
  };
}

const cellsOf = (row: HTMLElement) => [
  within(row).getByRole('rowheader').textContent,
  ...within(row)
    .getAllByRole('cell')
    .map(cell => cell.textContent),
];

describe('reported commitments on the Commitments tab', () => {
  it("shows one table per reported source and type below the bill's, even when the bill has none", async () => {
    const api = createFakeApi({
      getCommitments: jest.fn(async () =>
        summaryWith([savingsPlans, reservations]),
      ),
    });
    await renderWithApi(<CommitmentsReport range={range} />, { api });

    const table = await screen.findByRole('table', {
      name: 'As reported by AWS Cost Explorer — Savings Plans',
    });
    // The bill has no commitment columns: its empty state, pointing below.
    expect(screen.getByTestId('costscope-commitments-empty')).toHaveTextContent(
      'The figures the provider reports itself are below.',
    );
    const [header, ...rows] = within(table).getAllByRole('row');
    expect(
      within(header)
        .getAllByRole('columnheader')
        .map(cell => cell.textContent),
    ).toEqual([
      'Month',
      'Coverage',
      'Covered usage (on-demand equivalent)',
      'Eligible usage (on-demand equivalent)',
      'Utilization',
      'Purchased commitment',
      'Unused commitment',
      'Net savings',
    ]);
    // Newest first; months are row headers; a dash where nothing was reported.
    expect(within(rows[0]).getByRole('rowheader')).toHaveTextContent('2026-10');
    expect(cellsOf(rows[0])).toEqual([
      '2026-10',
      '88.2%',
      '$15.00',
      '$17.00',
      '90%',
      '$12.00',
      '$1.20',
      '$3.00',
    ]);
    expect(cellsOf(rows[1])).toEqual([
      '2026-09',
      '0%',
      '$0.00',
      '$4.00',
      '–',
      '–',
      '–',
      '–',
    ]);

    // The reservations report has no months in the period: its own empty state.
    expect(
      screen.getByRole('heading', {
        name: 'As reported by AWS Cost Explorer — Reservations',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('costscope-reported-commitments-empty'),
    ).toHaveTextContent('No months reported for this period.');
  });

  it('shows no provider tables when none reported, and says where they would come from', async () => {
    const api = createFakeApi({
      getCommitments: jest.fn(async () => summaryWith([])),
    });
    await renderWithApi(<CommitmentsReport range={range} />, { api });
    expect(
      await screen.findByTestId('costscope-commitments-empty'),
    ).toHaveTextContent('the figures Cost Explorer reports itself show here');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('names other providers as they are', async () => {
    await renderWithApi(
      <ReportedCommitmentsTable
        report={{ ...savingsPlans, provider: 'Azure' }}
      />,
      { api: createFakeApi() },
    );
    expect(
      screen.getByRole('table', {
        name: 'As reported by Azure — Savings Plans',
      }),
    ).toBeInTheDocument();
  });
});
