import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CostscopePage } from './CostscopePage';
import {
  budgetList,
  costAlerts,
  createFakeApi,
  freezeDate,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { formatMoney } from '../../utils/format';

describe('CostscopePage', () => {
  beforeEach(() => freezeDate());
  afterEach(() => jest.useRealTimers());

  it('shows totals, unallocated cost, groups and ingest runs', async () => {
    const api = createFakeApi();
    await renderWithApi(<CostscopePage />, { api });

    const total = await screen.findByTestId('costscope-org-total');
    expect(total).toHaveAttribute('data-amount', '5000.000000001');
    expect(total).toHaveTextContent(formatMoney('5000.000000001', 'USD'));
    expect(api.getOverview).toHaveBeenCalledWith({
      from: '2024-04-15',
      to: '2024-05-14',
      costBasis: 'effective',
    });
    expect(screen.getByTestId('costscope-org-allocated')).toHaveAttribute(
      'data-amount',
      '4000.000000000',
    );
    expect(screen.getByTestId('costscope-org-unallocated')).toHaveAttribute(
      'data-amount',
      '1000.000000001',
    );
    expect(screen.getByText('80% of the total')).toBeInTheDocument();
    expect(screen.getByText('20% of the total')).toBeInTheDocument();
    expect(screen.getByText('2024-05-14')).toBeInTheDocument(); // data through

    // Unallocated cost by service and top unallocated resources.
    expect(
      screen.getByText('Unallocated cost by service (amortized)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Amazon S3')).toBeInTheDocument();
    expect(
      screen.getByText('Top unallocated resources (amortized)'),
    ).toBeInTheDocument();
    expect(screen.getByText('orphan-logs')).toBeInTheDocument();

    // Cost by group, linked to the catalog.
    expect(screen.getByRole('link', { name: 'Payments' })).toHaveAttribute(
      'href',
      '/catalog/default/group/payments',
    );

    // Ingest runs.
    expect(await screen.findByText('Ingest runs')).toBeInTheDocument();
    expect(api.getIngestRuns).toHaveBeenCalledWith({ limit: 20 });
    expect(screen.getAllByText('succeeded')).toHaveLength(2);
    expect(screen.getByText('failed')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: /Details of run run-2/ }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('missing ChargePeriodStart'),
    ).toBeInTheDocument();
  });

  it('shows budgets and the alert history', async () => {
    const api = createFakeApi({
      listBudgets: jest.fn(async () => ({ items: budgetList })),
      getAlerts: jest.fn(async () => ({ items: costAlerts })),
    });
    await renderWithApi(<CostscopePage />, { api });

    expect(await screen.findByText('Budgets')).toBeInTheDocument();
    expect(api.listBudgets).toHaveBeenCalledTimes(1);
    const budgetRows = within(
      screen.getByText('Budgets').closest('[class*="MuiPaper-root"]')!,
    )
      .getAllByRole('row')
      .slice(1);
    expect(budgetRows).toHaveLength(4);
    expect(within(budgetRows[0]).getByText('Over budget')).toBeInTheDocument();
    expect(
      within(budgetRows[0]).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments');

    expect(await screen.findByText('Alert history')).toBeInTheDocument();
    expect(api.getAlerts).toHaveBeenCalledWith({ limit: 50 });
    expect(
      screen.getByText('checkout-api reached 80% of its monthly budget'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Unusual spend for payments on 2024-05-10'),
    ).toBeInTheDocument();
  });

  it('says how to create budgets and that no alert fired when there are none', async () => {
    const api = createFakeApi();
    await renderWithApi(<CostscopePage />, { api });
    expect(
      await screen.findByText('No budget is set yet.'),
    ).toBeInTheDocument();
    expect(await screen.findByText(/No alert has fired/)).toBeInTheDocument();
  });

  it('shows an error of the budgets without hiding the rest', async () => {
    const api = createFakeApi({
      listBudgets: jest.fn(async () => {
        throw new Error('budgets failed');
      }),
      getAlerts: jest.fn(async () => ({ items: costAlerts })),
    });
    await renderWithApi(<CostscopePage />, { api });
    expect(
      await screen.findByText(/Could not load budgets/),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/budgets failed/)).length,
    ).toBeGreaterThan(0);
    expect(await screen.findByText('Alert history')).toBeInTheDocument();
    expect(
      await screen.findByTestId('costscope-org-total'),
    ).toBeInTheDocument();
  });

  it('asks for the range the picker selects', async () => {
    const api = createFakeApi();
    await renderWithApi(<CostscopePage />, { api });
    await screen.findByTestId('costscope-org-total');
    await userEvent.click(
      screen.getByRole('button', { name: 'Month to date' }),
    );
    await waitFor(() =>
      expect(api.getOverview).toHaveBeenLastCalledWith({
        from: '2024-05-01',
        to: '2024-05-14',
        costBasis: 'effective',
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Billed cost' }));
    await waitFor(() =>
      expect(api.getOverview).toHaveBeenLastCalledWith({
        from: '2024-05-01',
        to: '2024-05-14',
        costBasis: 'billed',
      }),
    );
    expect(
      await screen.findByText('Unallocated cost by service (billed)'),
    ).toBeInTheDocument();
  });

  it('shows errors of the overview and of the runs separately', async () => {
    const api = createFakeApi({
      getOverview: jest.fn(async () => {
        throw new Error('overview failed');
      }),
    });
    await renderWithApi(<CostscopePage />, { api });
    expect(
      (await screen.findAllByText(/overview failed/)).length,
    ).toBeGreaterThan(0);
    expect(await screen.findByText('Ingest runs')).toBeInTheDocument();
  });
});
